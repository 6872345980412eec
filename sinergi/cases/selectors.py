"""Reads for case handling: visibility-scoped querysets, need-to-know projections, inboxes, statistics."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as DbCase
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.roles import AGENCY_READER_ROLES, Role
from sinergi.core.crypto import name_birth_index, nik_index

from . import fieldsets
from .models import Case, Person, Referral, RightItem, TimelineEntry
from .policy import VISIBLE_REFERRAL_STATUSES, is_case_team, visible_cases_q
from .taxonomy import OPEN_REFERRAL_STATUSES, ReferralStatus, Stage


def case_queryset_for_user(*, user: Any) -> QuerySet[Case]:
    q = visible_cases_q(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    risk: str = ""
    category: str = ""
    district: str = ""
    overdue: bool = False
    mine: bool = False
    referred_to_my_agency: bool = False
    number: str = ""
    identity_nik: str = ""
    identity_name: str = ""
    identity_birth_date: dt.date | None = None
    reported_from: dt.date | None = None
    reported_to: dt.date | None = None


def case_list_for_user(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may see, filtered on the server. Identity search goes through blind indexes."""
    f = filters or CaseFilters()
    qs = case_queryset_for_user(user=user)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.risk:
        qs = qs.filter(risk_level=f.risk)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.reported_from:
        qs = qs.filter(reported_on__gte=f.reported_from)
    if f.reported_to:
        qs = qs.filter(reported_on__lte=f.reported_to)
    if f.mine:
        qs = qs.filter(assigned_to_id=user.pk)
    if f.referred_to_my_agency:
        qs = qs.filter(
            pk__in=Referral.objects.filter(agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES).values(
                "case_id"
            )
        )
    if f.overdue:
        qs = qs.filter(_overdue_q())
    if f.number:
        qs = qs.filter(number__icontains=f.number.strip())
    # Exact identity search only for the case team (blind index: equality, never partial match).
    if (f.identity_nik or (f.identity_name and f.identity_birth_date)) and user.role in (
        Role.CASE_MANAGER,
        Role.OFFICE_HEAD,
    ):
        person_q = Q()
        if f.identity_nik:
            person_q |= Q(nik_bidx=nik_index(f.identity_nik))
        if f.identity_name and f.identity_birth_date:
            person_q |= Q(name_dob_bidx=name_birth_index(f.identity_name, f.identity_birth_date))
        qs = qs.filter(pk__in=Person.objects.filter(person_q, tenant_id=user.tenant_id).values("case_id"))
    elif f.identity_nik or f.identity_name:
        qs = qs.none()
    return qs.select_related("district", "assigned_to").order_by("-reported_on", "-created_at")


def _overdue_q() -> Q:
    """An open case whose first response, or one of whose open referrals, is past due."""
    overdue_referrals = Referral.objects.filter(
        case_id=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES, due_on__lt=timezone.localdate()
    )
    return (
        Q(first_responded_at__isnull=True, first_response_due_at__lt=timezone.now()) | Q(Exists(overdue_referrals))
    ) & ~Q(stage=Stage.CLOSED)


def case_list_with_overdue_flag(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `is_overdue` (same rule as the "overdue" filter) in the same query."""
    return qs.annotate(
        is_overdue=DbCase(When(_overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


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


def _agency_referrals(*, user: Any, case: Case) -> list[tuple[str, Any]]:
    """(service_type, victim_id) of the referrals this agency reader may see on the case."""
    if not (user.agency_id and user.role in AGENCY_READER_ROLES):
        return []
    cache_key = f"_agency_refs_{user.pk}"
    if not hasattr(case, cache_key):  # one query per request, however often it is asked
        refs = Referral.objects.filter(
            case_id=case.pk, agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES
        ).values_list("service_type", "victim_id")
        setattr(case, cache_key, list(refs))
    return getattr(case, cache_key)


def fields_for(*, user: Any, case: Case) -> frozenset[str]:
    """The need-to-know field set of this reader for this case."""
    if is_case_team.test(user, case):
        return fieldsets.ALL_FIELDS
    refs = _agency_referrals(user=user, case=case)
    if refs:
        return fieldsets.fields_for_services({service for service, _victim in refs})
    return fieldsets.SATGAS_FIELDS


def visible_victim_ids(*, user: Any, case: Case) -> frozenset | None:
    """Victims this reader may see: None means all (case team, or a referral for the whole case);
    an agency referred for one child sees that child only, never the child's siblings."""
    if is_case_team.test(user, case):
        return None
    refs = _agency_referrals(user=user, case=case)
    if any(victim_id is None for _service, victim_id in refs):
        return None
    return frozenset(victim_id for _service, victim_id in refs)


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


def case_projection(*, user: Any, case: Case, revealed: dict[str, frozenset[str]] | None = None) -> dict:
    """Everything a reader may receive about a case, and nothing else. Used by HTML and JSON alike."""
    fields = fields_for(user=user, case=case)
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
    victim_ids = visible_victim_ids(user=user, case=case) if fields else frozenset()
    out["victims"] = [
        person_projection(p, fields, prefix="victim", revealed=revealed.get(str(p.pk), frozenset()))
        for p in people
        if p.role == Person.Role.VICTIM
        and any(f.startswith("victim.") for f in fields)
        and (victim_ids is None or p.pk in victim_ids)
    ]
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
    if person.role == Person.Role.VICTIM:
        victim_ids = visible_victim_ids(user=user, case=case)
        if victim_ids is not None and person.pk not in victim_ids:
            return frozenset()
    identity, _profile = _person_allowed(person.role, fields_for(user=user, case=case))
    return frozenset(identity)


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


def referral_inbox_for_user(*, user: Any, status: str = "open") -> QuerySet[Referral]:
    """Referrals addressed to the user's agency (open by default), oldest due first."""
    if not (user.tenant_id and user.agency_id):
        return Referral.objects.none()
    qs = Referral.objects.filter(tenant_id=user.tenant_id, agency_id=user.agency_id)
    if status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("case", "agency").order_by("due_on", "requested_at")


def rights_for_case(*, case: Case) -> QuerySet[RightItem]:
    return RightItem.objects.filter(case=case).select_related("victim", "updated_by").order_by("victim_id", "right")


def timeline_for_case(*, case: Case) -> QuerySet[TimelineEntry]:
    return TimelineEntry.objects.filter(case=case).select_related("actor", "referral__agency").order_by("-created_at")


def duplicate_matches(*, user: Any, tenant: Any, nik: str = "", name: str = "", birth_date=None, exclude_case=None):
    """People already known under the same NIK or same name + birth date (blind-index equality).

    Returns (count, visible_case_numbers): the count is always given to the case team as a warning;
    case numbers only for cases this user may already see.
    """
    q = Q()
    if nik:
        q |= Q(nik_bidx=nik_index(nik))
    if name and birth_date:
        q |= Q(name_dob_bidx=name_birth_index(name, birth_date))
    if not q:
        return 0, []
    matches = Person.objects.filter(q, tenant_id=tenant.pk)
    if exclude_case is not None:
        matches = matches.exclude(case_id=exclude_case.pk)
    case_ids = set(matches.values_list("case_id", flat=True))
    visible = list(case_queryset_for_user(user=user).filter(pk__in=case_ids).values_list("number", flat=True)[:10])
    return len(case_ids), visible


def case_counts_for_dashboard(*, user: Any) -> dict:
    qs = case_queryset_for_user(user=user)
    now = timezone.now()
    agg = qs.aggregate(
        open=Count("pk", filter=~Q(stage=Stage.CLOSED)),
        new=Count("pk", filter=Q(stage=Stage.RECEIVED)),
        overdue_first_response=Count(
            "pk", filter=Q(first_responded_at__isnull=True, first_response_due_at__lt=now) & ~Q(stage=Stage.CLOSED)
        ),
        mine=Count("pk", filter=Q(assigned_to_id=user.pk) & ~Q(stage=Stage.CLOSED)),
    )
    agg["inbox"] = (
        referral_inbox_for_user(user=user).filter(status=ReferralStatus.PENDING).count() if user.agency_id else 0
    )
    return agg
