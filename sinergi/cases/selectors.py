"""Reads for case handling: visibility-scoped querysets, need-to-know projections, inboxes, statistics."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.roles import AGENCY_READER_ROLES
from sinergi.core.crypto import name_birth_index, nik_index, normalize_text

from . import case_counts, fieldsets, overdue

# The case list's reads live in list_selectors; callers keep asking here (one import path for views and API).
from .list_selectors import (  # noqa: F401
    ERR_TEAM_FILTER,
    LIST_DEFERRED_FIELDS,
    TEAM_ONLY_FILTERS,
    CaseFilters,
    _name_keys,
    _overdue_q,
    case_list_count,
    case_list_for_user,
    case_list_page_ids,
    case_list_rows,
    case_list_with_overdue_flag,
    case_number_q,
    case_queryset_for_user,
    registered_child_names,
)
from .models import Case, Person, Referral, RightItem, TimelineEntry
from .policy import (
    VISIBLE_REFERRAL_STATUSES,
    is_agency_reader,
    is_case_team,
    is_grant_current,
    visible_cases_q,
    visible_cases_split,
)
from .taxonomy import OPEN_REFERRAL_STATUSES, Stage, category_age_conflicts


def case_category_warnings(*, case: Case) -> list[str]:
    """What intake warns about: a category that contradicts the victims' ages or sex (SIMFONI-PPA counts
    each victim by its own classification, see taxonomy.victim_category)."""
    victims = case.people.filter(role=Person.Role.VICTIM).values_list("age", "sex")
    return category_age_conflicts(case.category, list(victims))


def case_get_for_user(*, user: Any, pk: UUID | str) -> Case:
    """The case if the user may see it; 404 otherwise (missing and forbidden look the same)."""
    try:
        return (
            case_queryset_for_user(user=user)
            .select_related("tenant", "district", "village", "assigned_to", "created_by")
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class AgencyGrant:
    """One referral through which an agency reader receives part of a case."""

    service: str
    victim_id: Any  # None: the referral is for the whole case
    is_current: bool  # False once a completed referral is past the tenant's grace period


def _agency_grants(*, user: Any, case: Case) -> list[AgencyGrant]:
    """The referrals this agency reader may see on the case (one query per request and case)."""
    if not (user.agency_id and user.role in AGENCY_READER_ROLES):
        return []
    cache_key = f"_agency_grants_{user.pk}"
    if not hasattr(case, cache_key):
        rows = list(
            Referral.objects.filter(
                case_id=case.pk, agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES
            ).values_list("service_type", "victim_id", "status", "completed_at")
        )
        grants = [
            AgencyGrant(
                service=service,
                victim_id=victim_id,
                is_current=is_grant_current(
                    tenant=case.tenant, status=status, completed_at=completed_at, case_closed_at=case.closed_at
                ),
            )
            for service, victim_id, status, completed_at in rows
        ]
        setattr(case, cache_key, grants)
    return getattr(case, cache_key)


def _grant_fields(grant: AgencyGrant) -> frozenset[str]:
    fields = fieldsets.SERVICE_FIELDSETS[grant.service]
    return fields if grant.is_current else fields & fieldsets.EXPIRED_ACCESS_FIELDS


def fields_for(*, user: Any, case: Case) -> frozenset[str]:
    """The case-level need-to-know field set of this reader (victims: see `person_fields`)."""
    if is_case_team.test(user, case):
        return fieldsets.ALL_FIELDS
    fields: set[str] = set()
    for grant in _agency_grants(user=user, case=case):
        fields |= _grant_fields(grant)
    return frozenset(fields) if fields else fieldsets.SATGAS_FIELDS


def guardian_withheld(*, case: Case, victim: Person) -> bool:
    """The guardian is, or may be close to, an alleged perpetrator: an agency must not get the guardian's
    contact (a call to the guardian could reach the perpetrator)."""
    guardian = normalize_text(victim.guardian_name or "")
    for person in case.people.all():
        if person.role != Person.Role.PERPETRATOR:
            continue
        if person.relation_to_victim in fieldsets.GUARDIAN_RISK_RELATIONS:
            return True
        if guardian and normalize_text(person.full_name or "") == guardian:
            return True
    return False


def person_fields(*, user: Any, case: Case, person: Person) -> frozenset[str]:
    """The fields of this one person that this reader may receive.

    A referred agency receives, for each victim, only the fields of the services referred for that
    victim (or for the whole case); never a sibling's fields through a service referred for another child.
    """
    if is_case_team.test(user, case):
        return fieldsets.ALL_FIELDS
    if person.role != Person.Role.VICTIM:
        return fields_for(user=user, case=case)
    fields: set[str] = set()
    for grant in _agency_grants(user=user, case=case):
        if grant.victim_id is None or grant.victim_id == person.pk:
            fields |= _grant_fields(grant)
    if fields & fieldsets.GUARDIAN_FIELDS and guardian_withheld(case=case, victim=person):
        fields -= fieldsets.GUARDIAN_FIELDS
    return frozenset(fields)


def mask(value: str) -> str:
    """Show the shape, not the content: 'Siti Aminah' -> 'S••• A•••', NIK -> '64••••••••••••12'."""
    if not value:
        return ""
    if value.replace(" ", "").isdigit() and len(value) > 6:
        return value[:2] + "•" * (len(value) - 4) + value[-2:]
    return " ".join(part[:1] + "•••" for part in value.split())


def _person_allowed(prefix: str, fields: frozenset[str]) -> tuple[list[str], set[str]]:
    """(identity field names, profile field names) this field set grants for a person of `prefix`."""
    if prefix == "victim":
        identity = [n for n in fieldsets.IDENTITY_FIELDS if f"victim.{n}" in fields]
        profile = {n.split(".", 1)[1] for n in fields if n.startswith("victim.")} - set(fieldsets.IDENTITY_FIELDS)
        return identity, profile
    identity = list(fieldsets.IDENTITY_FIELDS) if f"{prefix}.identity" in fields else []
    profile = {"sex", "age", "relation"} if f"{prefix}.profile" in fields else set()
    return identity, profile


def person_projection(person: Person, fields: frozenset[str], *, prefix: str, revealed: frozenset[str] = frozenset()):
    """A dict with only the allowed fields of a person; identity fields masked unless revealed."""
    identity, profile = _person_allowed(prefix, fields)
    out: dict[str, Any] = {"id": str(person.pk), "role": person.role}
    for name in identity:
        value = getattr(person, name) or ""
        out[name] = value if name in revealed else mask(value)
    out["identity_fields"] = identity
    out["revealed"] = sorted(revealed & set(identity))
    if "sex" in profile:
        out["sex"] = person.sex
    if "age" in profile:
        out.update(age=person.age, age_band=person.age_band, is_child=person.is_child)
    if "disability" in profile:
        out.update(has_disability=person.has_disability, disabilities=list(person.disabilities))
    if "education" in profile:
        out["education"] = person.education
    if "region" in profile:
        out.update(district=person.district_id, village=person.village_id)
    if "relation" in profile:
        out.update(relation_to_victim=person.relation_to_victim, perpetrator_status=person.perpetrator_status)
    return out


def referral_letter_fields(*, referral: Referral) -> frozenset[str]:
    """What the referral letter carries: the need-to-know set of the service asked for (per child, the
    guardian's contact is withheld by the same rule as on the agency's page, see case_projection)."""
    return fieldsets.SERVICE_FIELDSETS[referral.service_type]


def case_projection(
    *,
    user: Any,
    case: Case,
    revealed: dict[str, frozenset[str]] | None = None,
    for_referral: Referral | None = None,
) -> dict:
    """Everything a reader may receive about a case, and nothing else. Used by HTML and JSON alike.

    `for_referral`: what the receiving agency of that referral receives in its letter — the field set of
    the service asked for and, for a referral about one child, that child only (the caller checks that
    `user` may print it)."""
    fields = fields_for(user=user, case=case) if for_referral is None else referral_letter_fields(referral=for_referral)
    revealed = revealed or {}
    out: dict[str, Any] = {
        "id": str(case.pk),
        "number": case.number,
        "stage": case.stage,
        "reported_on": case.reported_on.isoformat(),
        "fields": sorted(fields),
    }
    if "case.channel" in fields:
        out["channel"] = case.channel
        out["channel_detail"] = case.channel_detail
    if "case.category" in fields:
        out["category"] = case.category
    if "case.forms" in fields:
        out["forms"] = list(case.forms)
    if "case.incident" in fields:
        out["incident_on"] = case.incident_on.isoformat() if case.incident_on else None
        out["incident_place"] = case.incident_place
        out["district"] = case.district_id
        out["village"] = case.village_id
    if "case.chronology" in fields:
        out["chronology"] = case.chronology
    if "case.risk" in fields:
        out["risk_level"] = case.risk_level
        out["triage"] = dict(case.triage)
    if fields == fieldsets.ALL_FIELDS:
        out.update(
            {
                "assigned_to": str(case.assigned_to_id) if case.assigned_to_id else None,
                "first_response_due_at": case.first_response_due_at.isoformat(),
                "first_responded_at": case.first_responded_at.isoformat() if case.first_responded_at else None,
                "closure_reason": case.closure_reason,
                "is_lpsk_protected": case.is_lpsk_protected,
                "has_child_victim": case.has_child_victim,
            }
        )
    people = list(case.people.all()) if fields else []
    out["victims"] = []
    for p in people:
        if p.role != Person.Role.VICTIM:
            continue
        if for_referral is None:
            victim_fields = person_fields(user=user, case=case, person=p)
        elif for_referral.victim_id in (None, p.pk):
            victim_fields = fields
            if fields & fieldsets.GUARDIAN_FIELDS and guardian_withheld(case=case, victim=p):
                victim_fields = fields - fieldsets.GUARDIAN_FIELDS
        else:
            continue
        if any(f.startswith("victim.") for f in victim_fields):
            out["victims"].append(
                person_projection(p, victim_fields, prefix="victim", revealed=revealed.get(str(p.pk), frozenset()))
            )
    out["perpetrators"] = [
        person_projection(p, fields, prefix="perpetrator", revealed=revealed.get(str(p.pk), frozenset()))
        for p in people
        if p.role == Person.Role.PERPETRATOR and (fields & fieldsets.PERPETRATOR_FIELDS)
    ]
    out["reporters"] = [
        person_projection(p, fields, prefix="reporter", revealed=revealed.get(str(p.pk), frozenset()))
        for p in people
        if p.role == Person.Role.REPORTER and "reporter.identity" in fields
    ]
    return out


def allowed_identity_fields(*, user: Any, case: Case, person: Person) -> frozenset[str]:
    identity, _profile = _person_allowed(person.role, person_fields(user=user, case=case, person=person))
    return frozenset(identity)


def person_in_projection(*, user: Any, case: Case, person: Person) -> bool:
    """Whether the person appears in this reader's projection (anyone else is a 404, as if missing)."""
    fields = person_fields(user=user, case=case, person=person)
    if person.role == Person.Role.VICTIM:
        return any(f.startswith("victim.") for f in fields)
    if person.role == Person.Role.PERPETRATOR:
        return bool(fields & fieldsets.PERPETRATOR_FIELDS)
    return "reporter.identity" in fields


def person_get_for_case(*, case: Case, pk: UUID | str) -> Person:
    try:
        return case.people.get(pk=pk)
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def referrals_for_case(*, user: Any, case: Case) -> QuerySet[Referral]:
    """The case team sees every referral; an agency sees only its own."""
    qs = Referral.objects.filter(case=case).select_related("agency", "victim", "requested_by", "responded_by")
    qs = qs.prefetch_related(Prefetch("services"))
    if is_case_team.test(user, case):
        return qs
    return qs.filter(agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES)


def referral_get_for_user(*, user: Any, pk: UUID | str) -> Referral:
    try:
        referral = Referral.objects.select_related("case", "case__tenant", "agency", "victim").get(
            pk=pk, tenant_id=user.tenant_id
        )
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    from sinergi.core.policy import can

    if not can(user, "cases.view_referral", referral):
        raise Http404
    return referral


# What an agency's inbox may be asked for: never a status whose referral page the agency may not open.
INBOX_STATUSES = ("open", "all", *(str(status) for status in VISIBLE_REFERRAL_STATUSES))


def referral_inbox_for_user(*, user: Any, status: str = "open") -> QuerySet[Referral]:
    """Referrals addressed to the user's agency that its referral page would show, oldest due first."""
    if not (user.tenant_id and is_agency_reader.test(user)) or status not in INBOX_STATUSES:
        return Referral.objects.none()
    qs = Referral.objects.filter(
        tenant_id=user.tenant_id, agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    return qs.select_related("case", "agency").order_by("due_on", "requested_at")


def rights_for_case(*, case: Case) -> QuerySet[RightItem]:
    # No select_related: every reader uses victim_id only, and a joined victim decrypts all its identity fields.
    return RightItem.objects.filter(case=case).order_by("victim_id", "right")


def timeline_for_case(*, case: Case) -> QuerySet[TimelineEntry]:
    return TimelineEntry.objects.filter(case=case).select_related("actor", "referral__agency").order_by("-created_at")


def _matching_case_ids(*, tenant: Any, nik_bidx: str = "", name_dob_bidx: str = "", exclude_case=None) -> set | None:
    """Cases of the tenant naming a person with the same NIK or the same name + birth date (blind index), or
    None when neither is given. One look-up per blind index ((tenant, index) each): an OR of the two made
    SQLite walk the tenant's every person (~130 ms at 200,000 people)."""
    lookups = [Q(nik_bidx=nik_bidx)] if nik_bidx else []
    if name_dob_bidx:
        lookups.append(Q(name_dob_bidx=name_dob_bidx))
    if not lookups:
        return None
    case_ids: set = set()
    for lookup in lookups:
        matches = Person.objects.filter(lookup, tenant_id=tenant.pk)
        if exclude_case is not None:
            matches = matches.exclude(case_id=exclude_case.pk)
        case_ids |= set(matches.order_by().values_list("case_id", flat=True))
    return case_ids


def duplicate_matches(*, user: Any, tenant: Any, nik: str = "", name: str = "", birth_date=None, exclude_case=None):
    """(count, case numbers) of the cases naming the same person that this user may already open.

    A match the user may not open is not counted: a count is information too ("1 other case" about a
    child in a colleague's case). Such matches reach the office head through `duplicates_outside_scope`.
    The same queries run whether or not a hidden match exists, so their time tells nothing either.
    """
    keys = (
        ("nik_bidx", nik_index(nik) if nik else ""),
        ("name_dob_bidx", name_birth_index(name, birth_date) if name and birth_date else ""),
    )
    if not any(value for _key, value in keys):
        return 0, []
    # One subquery per blind index, ORed on the case ids (the OR of two person columns walks every person of
    # the tenant on SQLite); the statement depends on the input only, never on what matches.
    wanted = Q(pk__in=[])
    for key, value in keys:
        if value:
            people = Person.objects.filter(tenant_id=tenant.pk, **{key: value})
            if exclude_case is not None:
                people = people.exclude(case_id=exclude_case.pk)
            wanted |= Q(pk__in=people.order_by().values("case_id"))
    visible = case_queryset_for_user(user=user).filter(wanted)
    numbers = list(visible.order_by("-reported_on").values_list("number", flat=True)[:10])
    return (len(numbers) if len(numbers) < 10 else visible.count()), numbers


def duplicates_outside_scope(*, user: Any, case: Case, people: list[Person]) -> list[str]:
    """Numbers of other cases naming one of these people that `user` may not open (for the office head)."""
    case_ids: set = set()
    for person in people:
        case_ids |= (
            _matching_case_ids(
                tenant=case.tenant, nik_bidx=person.nik_bidx, name_dob_bidx=person.name_dob_bidx, exclude_case=case
            )
            or set()
        )
    if not case_ids:
        return []
    hidden = Case.objects.filter(pk__in=case_ids, tenant_id=case.tenant_id)
    if user is not None and getattr(user, "is_authenticated", False):
        visible = visible_cases_q(user)
        if visible is not None:
            hidden = hidden.exclude(visible)
    return list(hidden.order_by("-reported_on").values_list("number", flat=True)[:10])


def case_counts_for_dashboard(*, user: Any) -> dict:
    """open / new / overdue first responses / mine, over the cases this user may open only (the pending
    referrals of the user's agency are the inbox widget's: referral_inbox_for_user, counted once).

    The part of the user's cases chosen by assignee comes from the per-tenant counters (case_counts),
    the rest (own reports, referred cases) from the cases themselves; overdue first responses through
    the partial index of unanswered cases (it depends on the time, so no counter can hold it).
    """
    counts = {"open": 0, "new": 0, "overdue_first_response": 0, "mine": 0}
    split = visible_cases_split(user)
    if split is not None:
        assignees, rest = split
        if assignees != ():
            counts.update(case_counts.stage_counts(tenant_id=user.tenant_id, assignees=assignees, me=user.pk))
        extra = Case.objects.filter(rest).aggregate(
            open=Count("pk", filter=~Q(stage=Stage.CLOSED)),
            new=Count("pk", filter=Q(stage=Stage.RECEIVED)),
            mine=Count("pk", filter=Q(assigned_to_id=user.pk) & ~Q(stage=Stage.CLOSED)),
        )
        for name, value in extra.items():
            counts[name] += value
        counts["overdue_first_response"] = (
            case_queryset_for_user(user=user).filter(overdue.first_response_overdue_q(now=timezone.now())).count()
        )
    return counts
