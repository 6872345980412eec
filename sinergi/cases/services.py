"""Writes for integrated case handling. Every service checks the policy, runs in one transaction and
writes its audit event (names of fields only, never identity values) and a timeline entry."""

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import AGENCY_READER_ROLES, Role
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.core.crypto import blind_index, name_birth_index, nik_index, normalize_digits, normalize_text
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Agency, Tenant

from . import dates
from . import taxonomy as t
from .models import Case, CaseCounter, Diversion, IntakeDraft, Person, Referral, RightItem, ServiceRecord, TimelineEntry

ERR_STAGE = _("This step is not allowed from the current stage.")
ERR_MEDIATION_SEXUAL = _("Mediation is not allowed for sexual-violence cases (UU TPKS bars out-of-court settlement).")
ERR_UNRESOLVED_RIGHTS = _(
    "The case cannot be closed: some needed rights of a child victim are still planned or in progress. "
    "Only the office head can close it, with a recorded reason."
)
ERR_REASON_REQUIRED = _("A reason is required.")
ERR_AGENCY_TENANT = _("The agency does not belong to this regency/city.")
ERR_NIK = _("A NIK has 16 digits.")
ERR_REGION = _("The kelurahan/desa is not in the chosen kecamatan, or the kecamatan is not in this regency/city.")
ERR_NO_VICTIM = _("At least one victim is required.")
ERR_ASSIGNEE = _("Cases can only be assigned to a case manager of the same regency/city.")
ERR_DUE = _("The due date cannot be in the past.")
ERR_DUE_TOO_FAR = _("The due date cannot be more than a year ahead.")
CANCELLED_LABEL = _("cancelled")

IDENTITY_ATTRS = (
    "full_name",
    "nik",
    "birth_date",
    "address",
    "phone",
    "school_name",
    "guardian_name",
    "guardian_phone",
)


@dataclass
class PersonInput:
    role: str = Person.Role.VICTIM
    full_name: str = ""
    nik: str = ""
    birth_date: dt.date | None = None
    address: str = ""
    phone: str = ""
    school_name: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    sex: str = ""
    age: int | None = None
    has_disability: bool = False
    disabilities: list[str] = field(default_factory=list)
    education: str = ""
    district_code: str = ""
    village_code: str = ""
    relation_to_victim: str = ""
    perpetrator_status: str = ""


@dataclass
class IntakeInput:
    channel: str
    reported_on: dt.date
    category: str = t.Category.OTHER
    forms: list[str] = field(default_factory=list)
    channel_detail: str = ""
    incident_on: dt.date | None = None
    incident_place: str = ""
    district_code: str = ""
    village_code: str = ""
    chronology: str = ""
    triage: dict[str, bool] = field(default_factory=dict)
    is_lpsk_protected: bool = False
    people: list[PersonInput] = field(default_factory=list)


# ---- helpers ---------------------------------------------------------------------------------


def _timeline(*, case: Case, kind: str, actor: Any, summary: str, text: str = "", referral=None, at=None):
    return TimelineEntry.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary=str(summary)[:300],
        text=text,
        referral=referral,
        created_at=at or timezone.now(),
    )


def _resolve_region(*, tenant: Tenant, district_code: str, village_code: str) -> tuple[District | None, Village | None]:
    district = village = None
    if district_code:
        district = District.objects.filter(code=district_code, regency_id=tenant.regency_id).first()
        if district is None:
            raise ValidationError({"district": ERR_REGION})
    if village_code:
        village = Village.objects.filter(code=village_code).select_related("district").first()
        if village is None or district is None or village.district_id != district.code:
            raise ValidationError({"village": ERR_REGION})
    return district, village


def _next_number(*, tenant: Tenant, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(tenant=tenant, year=year)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"PPA/{tenant.code_compact}/{year}/{counter.last:05d}"


def _first_response_due(*, tenant: Tenant, start: dt.datetime, has_child: bool, risk: str) -> dt.datetime:
    urgent = has_child or risk in (t.RiskLevel.HIGH, t.RiskLevel.CRITICAL)
    hours = tenant.first_response_hours if urgent else tenant.first_response_hours_low_risk
    return start + dt.timedelta(hours=hours)


def _build_person(*, tenant: Tenant, case: Case, data: PersonInput, incident_day: dt.date) -> Person:
    nik = normalize_digits(data.nik)
    if nik and len(nik) != 16:
        raise ValidationError({"nik": ERR_NIK})
    dates.check_age(data.age)
    computed_age = dates.age_from_birth(data.birth_date, on=incident_day, tenant=tenant)
    district, village = _resolve_region(tenant=tenant, district_code=data.district_code, village_code=data.village_code)
    age = data.age if data.age is not None else computed_age
    person = Person(
        tenant=tenant,
        case=case,
        role=data.role,
        full_name=data.full_name.strip(),
        nik=nik,
        birth_date=data.birth_date.isoformat() if data.birth_date else "",
        address=data.address.strip(),
        phone=data.phone.strip(),
        school_name=data.school_name.strip(),
        guardian_name=data.guardian_name.strip(),
        guardian_phone=data.guardian_phone.strip(),
        nik_bidx=nik_index(nik),
        name_dob_bidx=name_birth_index(data.full_name, data.birth_date),
        sex=data.sex,
        age=age,
        age_band=t.age_band(age),
        is_child=age is not None and age < 18,
        has_disability=data.has_disability or bool(data.disabilities),
        disabilities=sorted(set(data.disabilities)),
        education=data.education,
        district=district,
        village=village,
        relation_to_victim=data.relation_to_victim if data.role == Person.Role.PERPETRATOR else "",
        perpetrator_status=(data.perpetrator_status or t.PerpetratorStatus.UNKNOWN)
        if data.role == Person.Role.PERPETRATOR
        else "",
    )
    person.full_clean(exclude=["case", "tenant"])
    return person


def _lock_case(case: Case) -> None:
    """Lock the row for this transaction and reload what concurrent requests may have changed, so
    that a decision (stage, assignee) is taken on current data and no write undoes another."""
    current = (
        Case.objects.select_for_update()
        .filter(pk=case.pk)
        .values("stage", "assigned_to_id", "first_responded_at", "reopened_count")
        .get()
    )
    for name, value in current.items():
        setattr(case, name, value)


def _set_forms(case: Case, forms: list[str]) -> None:
    valid = [f for f in t.ViolenceForm.values if f in set(forms)]
    case.forms = valid
    for form in t.ViolenceForm.values:
        setattr(case, f"is_form_{form}", form in valid)


def _is_sexual(case: Case) -> bool:
    return case.category == t.Category.SEXUAL or "sexual" in case.forms


# ---- intake ----------------------------------------------------------------------------------


@transaction.atomic
def case_intake(*, actor: Any, tenant: Tenant, data: IntakeInput, draft: IntakeDraft | None = None) -> Case:
    """Register a report from any channel as a new case with its people, triage and due time."""
    policy.require(actor, "cases.create_case", tenant)
    case = _create_case(actor=actor, tenant=tenant, data=data)
    _discard_drafts_of_report(actor=actor, data=data, draft=draft)
    return case


def _strings(value: Any):
    """Every string in a draft's JSON, however it is nested (a client may keep victims in a list)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _discard_drafts_of_report(*, actor: Any, data: IntakeInput, draft: IntakeDraft | None) -> None:
    """A submitted report's draft goes with the submission: a lost phone or a shared account must not keep
    a child's name readable. Drafts are matched by the one named and by the victim's name, because a client
    may send the report without naming its draft."""
    # The blind index's own normaliser: "Putri  LESTARI" and "putri lestari" are one name.
    names = {normalize_text(p.full_name) for p in data.people if p.role == Person.Role.VICTIM and p.full_name.strip()}
    doomed = []
    for candidate in IntakeDraft.objects.filter(owner_id=actor.pk, tenant_id=actor.tenant_id):
        if draft is not None and candidate.pk == draft.pk:
            doomed.append(candidate.pk)
            continue
        try:
            payload = json.loads(candidate.payload or "{}")
        except ValueError:
            continue
        if any(normalize_text(text) in names for text in _strings(payload)):
            doomed.append(candidate.pk)
    if doomed:
        IntakeDraft.objects.filter(pk__in=doomed, owner_id=actor.pk).delete()
        audit(actor=actor, action="case.drafts_discarded", extra={"count": len(doomed), "reason": "submitted"})


def _create_case(*, actor: Any, tenant: Tenant, data: IntakeInput, tracking_code_bidx: str = "") -> Case:
    victims = [p for p in data.people if p.role == Person.Role.VICTIM]
    if not victims:
        raise ValidationError(ERR_NO_VICTIM)
    dates.check_report_dates(reported_on=data.reported_on, incident_on=data.incident_on, tenant=tenant)
    district, village = _resolve_region(tenant=tenant, district_code=data.district_code, village_code=data.village_code)
    now = timezone.now()
    risk = t.risk_from_triage(data.triage)
    case = Case(
        tenant=tenant,
        number=_next_number(tenant=tenant, year=data.reported_on.year),
        channel=data.channel,
        channel_detail=data.channel_detail.strip(),
        reported_on=data.reported_on,
        category=data.category,
        incident_on=data.incident_on,
        incident_place=data.incident_place,
        district=district,
        village=village,
        chronology=data.chronology.strip(),
        triage={k: bool(v) for k, v in data.triage.items() if k in {q[0] for q in t.TRIAGE_QUESTIONS}},
        risk_level=risk,
        is_lpsk_protected=data.is_lpsk_protected,
        stage=t.Stage.RECEIVED,
        stage_changed_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        first_response_due_at=now,
        tracking_code_bidx=tracking_code_bidx,
    )
    _set_forms(case, data.forms)
    incident_day = data.incident_on or data.reported_on
    people = [_build_person(tenant=tenant, case=case, data=p, incident_day=incident_day) for p in data.people]
    case.has_child_victim = any(p.is_child for p in people if p.role == Person.Role.VICTIM)
    case.first_response_due_at = _first_response_due(
        tenant=tenant, start=now, has_child=case.has_child_victim, risk=risk
    )
    if actor is not None and getattr(actor, "role", None) == Role.CASE_MANAGER:
        case.assigned_to = actor
    case.full_clean(exclude=["tenant", "created_by", "assigned_to", "district", "village", "number"])
    case.save()
    Person.objects.bulk_create(people)
    _init_rights(case=case)
    _timeline(case=case, kind=TimelineEntry.Kind.CREATED, actor=actor, summary=f"{case.get_channel_display()}")
    audit(
        actor=actor,
        action="case.created",
        obj=case,
        fields=["channel", "category", "forms", "chronology", "people"],
        extra={"people": len(people), "risk": risk, "channel": case.channel},
    )
    _flag_possible_duplicates(actor=actor, case=case, people=people)
    return case


def _flag_possible_duplicates(*, actor: Any, case: Case, people: list[Person]) -> None:
    """A victim already named in a case the author may not open: tell the office head, never the author."""
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    from .selectors import duplicates_outside_scope

    victims = [p for p in people if p.role == Person.Role.VICTIM and (p.nik_bidx or p.name_dob_bidx)]
    if not victims or getattr(actor, "role", None) == Role.OFFICE_HEAD:
        return
    numbers = duplicates_outside_scope(user=actor, case=case, people=victims)
    if not numbers:
        return
    audit(actor=actor, action="case.possible_duplicate_flagged", obj=case, extra={"other_cases": len(numbers)})
    notify(
        recipients=list(User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True)),
        kind="possible_duplicate",
        title=str(_("Possible duplicate: %(number)s may concern a person already known") % {"number": case.number}),
        body=str(_("Other cases naming the same person: %(numbers)s") % {"numbers": ", ".join(numbers)}),
        url=f"/cases/{case.pk}/",
    )


# Rights every child victim has from the start (UU 35/2014 art. 59A: fast handling; UU TPKS art. 30
# and UU TPPO: restitution for sexual-violence and trafficking victims).
def _default_rights(case: Case) -> dict[str, str]:
    defaults = {t.Right.FAST_RESPONSE: t.RightStatus.PLANNED}
    if _is_sexual(case) or case.category == t.Category.TPPO or "trafficking" in case.forms:
        defaults[t.Right.RESTITUTION] = t.RightStatus.PLANNED
        defaults[t.Right.PSYCHOLOGICAL_REHAB] = t.RightStatus.PLANNED
    if case.category == t.Category.TPPO or "trafficking" in case.forms:
        defaults[t.Right.REINTEGRATION] = t.RightStatus.PLANNED
    return defaults


def _init_rights(*, case: Case) -> None:
    children = [p for p in case.people.all() if p.role == Person.Role.VICTIM and p.is_child]
    defaults = _default_rights(case)
    RightItem.objects.bulk_create(
        [
            RightItem(
                tenant_id=case.tenant_id,
                case=case,
                victim=child,
                right=right,
                status=defaults.get(right, t.RightStatus.NOT_NEEDED),
            )
            for child in children
            for right in t.Right.values
        ],
        ignore_conflicts=True,
    )


def rights_recompute(*, case: Case) -> None:
    """Derive each automatic right from referrals, services and the first response."""
    defaults = _default_rights(case)
    referrals = list(case.referrals.exclude(status__in=[t.ReferralStatus.DECLINED, t.ReferralStatus.CANCELLED]))
    has_services = set(
        ServiceRecord.objects.filter(referral__case=case).values_list("referral_id", flat=True).distinct()
    )
    rank = {
        t.RightStatus.NOT_NEEDED: 0,
        t.RightStatus.PLANNED: 1,
        t.RightStatus.IN_PROGRESS: 2,
        t.RightStatus.FULFILLED: 3,
    }
    for item in RightItem.objects.filter(case=case, is_manual=False):
        status = defaults.get(item.right, t.RightStatus.NOT_NEEDED)
        if item.right == t.Right.FAST_RESPONSE:
            status = t.RightStatus.FULFILLED if case.first_responded_at else t.RightStatus.PLANNED
        else:
            derived = []
            for ref in referrals:
                if t.SERVICE_RIGHT.get(ref.service_type) != item.right:
                    continue
                if ref.victim_id not in (None, item.victim_id):
                    continue
                if ref.status == t.ReferralStatus.COMPLETED:
                    derived.append(t.RightStatus.FULFILLED)
                elif ref.status == t.ReferralStatus.ACCEPTED or ref.pk in has_services:
                    derived.append(t.RightStatus.IN_PROGRESS)
                else:
                    derived.append(t.RightStatus.PLANNED)
            if derived:
                # Several referrals for one right: it is fulfilled once one is completed.
                status = max(derived, key=lambda s: rank[s])
        if status != item.status:
            RightItem.objects.filter(pk=item.pk).update(status=status, updated_at=timezone.now())


@transaction.atomic
def right_set(*, actor: Any, item: RightItem, status: str, reason: str) -> RightItem:
    """Set a right by hand (with a reason), or give it back to automatic derivation (status='auto')."""
    case = item.case
    policy.require(actor, "cases.change_case", case)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if status == "auto":
        item.is_manual = False
    else:
        if status not in t.RightStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        item.status = status
        item.is_manual = True
    item.reason = reason.strip()
    item.updated_by = actor
    item.save()
    if not item.is_manual:
        rights_recompute(case=case)
        item.refresh_from_db()
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.RIGHT,
        actor=actor,
        summary=f"{item.get_right_display()}: {item.get_status_display()}",
        text=item.reason,
    )
    audit(
        actor=actor, action="case.right_set", obj=case, fields=["rights"], extra={"right": item.right, "status": status}
    )
    return item


# ---- workflow --------------------------------------------------------------------------------


@transaction.atomic
def case_triage(*, actor: Any, case: Case, answers: dict[str, bool]) -> Case:
    """Record the triage checklist; risk and first-response due time follow from it."""
    policy.require(actor, "cases.change_case", case)
    case.triage = {k: bool(answers.get(k)) for k, _label, _w in t.TRIAGE_QUESTIONS}
    case.risk_level = t.risk_from_triage(case.triage)
    if case.first_responded_at is None:
        case.first_response_due_at = _first_response_due(
            tenant=case.tenant, start=case.created_at, has_child=case.has_child_victim, risk=case.risk_level
        )
    if case.assigned_to_id is None and actor.role == Role.CASE_MANAGER:
        case.assigned_to = actor
    case.save(update_fields=["triage", "risk_level", "first_response_due_at", "assigned_to", "updated_at"])
    _timeline(case=case, kind=TimelineEntry.Kind.TRIAGED, actor=actor, summary=str(case.get_risk_level_display()))
    audit(
        actor=actor, action="case.triaged", obj=case, fields=["triage", "risk_level"], extra={"risk": case.risk_level}
    )
    return case


@transaction.atomic
def case_record_first_response(*, actor: Any, case: Case, note: str = "") -> Case:
    policy.require(actor, "cases.change_case", case)
    if case.first_responded_at is None:
        case.first_responded_at = timezone.now()
        case.save(update_fields=["first_responded_at", "updated_at"])
        rights_recompute(case=case)
        _timeline(case=case, kind=TimelineEntry.Kind.NOTE, actor=actor, summary=str(_("First response")), text=note)
        audit(actor=actor, action="case.first_response", obj=case, fields=["first_responded_at"])
    return case


@transaction.atomic
def case_change_stage(*, actor: Any, case: Case, to_stage: str, note: str = "") -> Case:
    """Move along the UPTD PPA flow (closing and reopening have their own services)."""
    _lock_case(case)
    policy.require(actor, "cases.change_case", case)
    if to_stage not in t.STAGE_TRANSITIONS.get(case.stage, ()):
        raise ValidationError({"stage": ERR_STAGE})
    previous = case.stage
    now = timezone.now()
    case.stage = to_stage
    case.stage_changed_at = now
    fields = ["stage", "stage_changed_at", "updated_at"]
    if case.first_responded_at is None:
        # Reaching out to (or assessing) the victim is the first response.
        case.first_responded_at = now
        fields.append("first_responded_at")
    if case.assigned_to_id is None and actor.role == Role.CASE_MANAGER:
        case.assigned_to = actor
        fields.append("assigned_to")
    case.save(update_fields=fields)
    rights_recompute(case=case)
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.STAGE,
        actor=actor,
        summary=f"{t.Stage(previous).label} → {t.Stage(to_stage).label}",
        text=note,
    )
    audit(
        actor=actor, action="case.stage_changed", obj=case, fields=["stage"], extra={"from": previous, "to": to_stage}
    )
    return case


@transaction.atomic
def case_assign(*, actor: Any, case: Case, assignee: Any) -> Case:
    """Reassignment by a supervisor (office head)."""
    policy.require(actor, "cases.assign_case", case)
    if assignee.tenant_id != case.tenant_id or assignee.role != Role.CASE_MANAGER or not assignee.is_active:
        raise ValidationError({"assignee": ERR_ASSIGNEE})
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    _timeline(case=case, kind=TimelineEntry.Kind.ASSIGNED, actor=actor, summary=assignee.display_name)
    audit(
        actor=actor,
        action="case.assigned",
        obj=case,
        fields=["assigned_to"],
        extra={"from": str(previous) if previous else None, "to": str(assignee.pk)},
    )
    from sinergi.notifications.services import notify

    notify(
        recipients=[assignee],
        kind="case_assigned",
        title=str(_("Case %(number)s was assigned to you") % {"number": case.number}),
        url=f"/cases/{case.pk}/",
    )
    return case


@transaction.atomic
def case_add_note(*, actor: Any, case: Case, text: str) -> TimelineEntry:
    policy.require(actor, "cases.change_case", case)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    entry = _timeline(case=case, kind=TimelineEntry.Kind.NOTE, actor=actor, summary=str(_("Note")), text=text.strip())
    audit(actor=actor, action="case.note_added", obj=case, fields=["timeline"])
    return entry


@transaction.atomic
def case_update_incident(
    *,
    actor: Any,
    case: Case,
    category: str,
    forms: list[str],
    chronology: str,
    incident_on: dt.date | None,
    incident_place: str,
    district_code: str,
    village_code: str,
    is_lpsk_protected: bool,
) -> Case:
    """Correct the incident data after assessment."""
    _lock_case(case)
    policy.require(actor, "cases.change_case", case)
    dates.check_report_dates(reported_on=case.reported_on, incident_on=incident_on, tenant=case.tenant)
    district, village = _resolve_region(tenant=case.tenant, district_code=district_code, village_code=village_code)
    changed = []
    for name, value in (
        ("category", category),
        ("incident_on", incident_on),
        ("incident_place", incident_place),
        ("district", district),
        ("village", village),
        ("is_lpsk_protected", is_lpsk_protected),
        ("chronology", chronology.strip()),
    ):
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if sorted(forms) != sorted(case.forms):
        _set_forms(case, forms)
        changed.append("forms")
    if changed:
        case.full_clean(exclude=["tenant", "created_by", "assigned_to", "district", "village", "number"])
        form_fields = [f"is_form_{f}" for f in t.ViolenceForm.values] if "forms" in changed else []
        case.save(update_fields=[*changed, *form_fields, "updated_at"])
        _timeline(case=case, kind=TimelineEntry.Kind.NOTE, actor=actor, summary=str(_("Incident data updated")))
        audit(actor=actor, action="case.updated", obj=case, fields=changed)
    return case


@transaction.atomic
def person_add(*, actor: Any, case: Case, data: PersonInput) -> Person:
    policy.require(actor, "cases.change_case", case)
    person = _build_person(tenant=case.tenant, case=case, data=data, incident_day=case.incident_on or case.reported_on)
    person.save()
    if person.role == Person.Role.VICTIM and person.is_child and not case.has_child_victim:
        case.has_child_victim = True
        case.save(update_fields=["has_child_victim", "updated_at"])
    if person.role == Person.Role.VICTIM and person.is_child:
        _init_rights(case=case)
        rights_recompute(case=case)
    audit(
        actor=actor,
        action="case.person_added",
        obj=case,
        fields=[f"{person.role}.{a}" for a in IDENTITY_ATTRS if getattr(person, a)],
    )
    return person


def identity_reveal(*, actor: Any, case: Case, person: Person, fields: list[str]) -> dict[str, str]:
    """Plaintext of the identity fields the actor may see; every reveal is an audit event."""
    from .selectors import allowed_identity_fields

    policy.require_visible(actor, "cases.view_case", case)
    allowed = allowed_identity_fields(user=actor, case=case, person=person)
    wanted = [f for f in fields if f in allowed] if fields else sorted(allowed)
    if not wanted:
        raise PermissionDenied
    audit(
        actor=actor,
        action="case.identity_revealed",
        obj=case,
        fields=[f"{person.role}.{f}" for f in wanted],
        extra={"person": str(person.pk)},
    )
    return {f: getattr(person, f) for f in wanted}


# ---- referrals and services ------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    agency: Agency,
    service_type: str,
    victim: Person | None = None,
    due_on: dt.date | None = None,
    note: str = "",
) -> Referral:
    """Refer the case to the agency that owns a service. Mediation is refused for sexual violence."""
    policy.require(actor, "cases.refer_case", case)
    if service_type not in t.ServiceType.values:
        raise ValidationError({"service_type": _("Unknown service.")})
    if service_type == t.ServiceType.MEDIATION and _is_sexual(case):
        raise ValidationError({"service_type": ERR_MEDIATION_SEXUAL})
    if agency.tenant_id != case.tenant_id or not agency.is_active:
        raise ValidationError({"agency": ERR_AGENCY_TENANT})
    if victim is not None and (victim.case_id != case.pk or victim.role != Person.Role.VICTIM):
        raise ValidationError({"victim": _("Choose a victim of this case.")})
    today = dates.today(case.tenant)
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": ERR_DUE})
    if due_on is not None and due_on > today + dt.timedelta(days=dates.MAX_DUE_DAYS):
        raise ValidationError({"due_on": ERR_DUE_TOO_FAR})
    now = timezone.now()
    referral = Referral.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        victim=victim,
        agency=agency,
        service_type=service_type,
        note=note.strip(),
        due_on=due_on or today + dt.timedelta(days=case.tenant.referral_due_days),
        requested_by=actor,
        requested_at=now,
    )
    rights_recompute(case=case)
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()} → {agency.short_name}",
        referral=referral,
    )
    audit(
        actor=actor,
        action="referral.created",
        obj=referral,
        tenant=case.tenant,
        extra={"case": str(case.pk), "service": service_type, "agency": str(agency.pk)},
    )
    from sinergi.notifications.services import notify

    notify(
        recipients=list(agency.users.filter(is_active=True, role__in=AGENCY_READER_ROLES)),
        kind="referral_received",
        title=str(
            _("New referral: %(service)s (%(number)s)")
            % {"service": referral.get_service_type_display(), "number": case.number}
        ),
        url=f"/cases/referrals/{referral.pk}/",
    )
    return referral


@transaction.atomic
def referral_respond(*, actor: Any, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving agency accepts, or declines with a reason."""
    policy.require(actor, "cases.respond_referral", referral)
    if not accept and not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    referral.status = t.ReferralStatus.ACCEPTED if accept else t.ReferralStatus.DECLINED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.decline_reason = "" if accept else reason.strip()
    referral.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    case = referral.case
    rights_recompute(case=case)
    verb = _("accepted") if accept else _("declined")
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()}: {referral.agency.short_name} {verb}",
        text=referral.decline_reason,
        referral=referral,
    )
    audit(actor=actor, action="referral.accepted" if accept else "referral.declined", obj=referral, tenant=case.tenant)
    if case.assigned_to_id:
        from sinergi.notifications.services import notify

        notify(
            recipients=[case.assigned_to],
            kind="referral_response",
            title=str(
                _("%(agency)s %(verb)s the referral for %(number)s")
                % {"agency": referral.agency.short_name, "verb": verb, "number": case.number}
            ),
            url=f"/cases/{case.pk}/",
        )
    return referral


@transaction.atomic
def referral_cancel(*, actor: Any, referral: Referral, reason: str) -> Referral:
    policy.require(actor, "cases.cancel_referral", referral)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if referral.status not in t.OPEN_REFERRAL_STATUSES:
        raise ValidationError(ERR_STAGE)
    referral.status = t.ReferralStatus.CANCELLED
    referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "decline_reason"])
    rights_recompute(case=referral.case)
    _timeline(
        case=referral.case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()}: {CANCELLED_LABEL}",
        text=reason,
        referral=referral,
    )
    audit(actor=actor, action="referral.cancelled", obj=referral, tenant=referral.case.tenant)
    return referral


@transaction.atomic
def service_record(
    *,
    actor: Any,
    referral: Referral,
    delivered_on: dt.date,
    sessions: int,
    outcome: str,
    notes: str = "",
) -> ServiceRecord:
    """The receiving agency records a service delivered; a completed outcome completes the referral."""
    policy.require(actor, "cases.record_service", referral)
    dates.check_past_date(delivered_on, field="delivered_on", tenant=referral.case.tenant)
    if sessions < 1 or sessions > 500:
        raise ValidationError({"sessions": _("Enter the number of sessions (1-500).")})
    if outcome not in t.ServiceOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    service = ServiceRecord.objects.create(
        tenant_id=referral.tenant_id,
        referral=referral,
        delivered_on=delivered_on,
        sessions=sessions,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if outcome == t.ServiceOutcome.COMPLETED:
        referral.status = t.ReferralStatus.COMPLETED
        referral.completed_at = timezone.now()
        referral.save(update_fields=["status", "completed_at"])
    case = referral.case
    rights_recompute(case=case)
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.SERVICE,
        actor=actor,
        summary=f"{referral.get_service_type_display()} ({referral.agency.short_name}): {service.get_outcome_display()}",
        referral=referral,
    )
    audit(
        actor=actor,
        action="service.recorded",
        obj=service,
        tenant=case.tenant,
        fields=["notes"] if notes else [],
        extra={"referral": str(referral.pk), "outcome": outcome, "sessions": sessions},
    )
    return service


# ---- closure ---------------------------------------------------------------------------------


def unresolved_rights(*, case: Case):
    return RightItem.objects.filter(case=case, status__in=t.UNRESOLVED_RIGHT_STATUSES).select_related("victim")


@transaction.atomic
def case_close(*, actor: Any, case: Case, reason: str, note: str = "", override_reason: str = "") -> Case:
    """Terminate the case. Refused while a needed right is unresolved, unless the office head records why."""
    _lock_case(case)
    policy.require(actor, "cases.close_case", case)
    if reason not in t.ClosureReason.values:
        raise ValidationError({"reason": _("Choose a closure reason.")})
    rights_recompute(case=case)
    pending = unresolved_rights(case=case).exists()
    if pending:
        if not policy.can(actor, "cases.close_case_override", case):
            raise ValidationError({"override_reason": ERR_UNRESOLVED_RIGHTS})
        if not override_reason.strip():
            raise ValidationError({"override_reason": ERR_UNRESOLVED_RIGHTS})
        case.closure_override_reason = override_reason.strip()
        case.closure_override_by = actor
    now = timezone.now()
    case.stage = t.Stage.CLOSED
    case.stage_changed_at = now
    case.closed_at = now
    case.closure_reason = reason
    case.closure_note = note.strip()
    if case.first_responded_at is None:
        case.first_responded_at = now
    case.save(
        update_fields=[
            "stage",
            "stage_changed_at",
            "closed_at",
            "closure_reason",
            "closure_note",
            "first_responded_at",
            "closure_override_reason",
            "closure_override_by",
            "updated_at",
        ]
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.CLOSED,
        actor=actor,
        summary=str(t.ClosureReason(reason).label),
        text="\n".join(x for x in (note.strip(), override_reason.strip()) if x),
    )
    audit(
        actor=actor,
        action="case.closed",
        obj=case,
        fields=["stage", "closure_reason"] + (["closure_override_reason"] if pending else []),
        extra={"reason": reason, "override": pending},
    )
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    _lock_case(case)
    policy.require(actor, "cases.reopen_case", case)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    case.stage = t.REOPEN_STAGE
    case.stage_changed_at = timezone.now()
    case.closed_at = None
    case.closure_reason = ""
    case.reopened_count += 1
    case.save(
        update_fields=["stage", "stage_changed_at", "closed_at", "closure_reason", "reopened_count", "updated_at"]
    )
    _timeline(case=case, kind=TimelineEntry.Kind.REOPENED, actor=actor, summary=str(_("Case reopened")), text=reason)
    audit(actor=actor, action="case.reopened", obj=case, fields=["stage"])
    return case


@transaction.atomic
def diversion_record(
    *,
    actor: Any,
    case: Case,
    level: str,
    outcome: str,
    decided_on: dt.date | None = None,
    is_bapas_involved: bool = False,
    note: str = "",
) -> Diversion:
    """UU SPPA art. 7: diversion attempted at each level of an ABH case."""
    policy.require(actor, "cases.change_case", case)
    if case.category != t.Category.ABH:
        raise ValidationError(_("Diversion applies to cases of children in conflict with the law (ABH)."))
    if level not in t.DiversionLevel.values or outcome not in t.DiversionOutcome.values:
        raise ValidationError(_("Unknown diversion level or outcome."))
    dates.check_past_date(
        decided_on, field="decided_on", floor=case.incident_on or case.reported_on, tenant=case.tenant
    )
    diversion, _created = Diversion.objects.update_or_create(
        case=case,
        level=level,
        defaults={
            "tenant_id": case.tenant_id,
            "outcome": outcome,
            "decided_on": decided_on,
            "is_bapas_involved": is_bapas_involved,
            "note": note.strip(),
            "recorded_by": actor,
        },
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.DIVERSION,
        actor=actor,
        summary=f"{diversion.get_level_display()}: {diversion.get_outcome_display()}",
    )
    audit(
        actor=actor,
        action="case.diversion_recorded",
        obj=case,
        fields=["diversion"],
        extra={"level": level, "outcome": outcome},
    )
    return diversion


@transaction.atomic
def case_document_add(*, actor: Any, case: Case, kind: str, uploaded_file: Any, title: str = ""):
    """Attach evidence (police report, visum, assessment, photo...) to the case and show it on the timeline."""
    from sinergi.documents.services import document_store

    policy.require(actor, "cases.manage_case_documents", case)
    document = document_store(
        actor=actor, tenant=case.tenant, owner=case, kind=kind, uploaded_file=uploaded_file, title=title
    )
    # The title may name a person: it goes only into the encrypted text, never into the summary.
    _timeline(case=case, kind=TimelineEntry.Kind.DOCUMENT, actor=actor, summary=kind, text=document.title)
    return document


@transaction.atomic
def referral_document_add(*, actor: Any, referral: Referral, kind: str, uploaded_file: Any, title: str = ""):
    """Attach a document (service report, assessment...) to a referral; the case timeline shows it."""
    from sinergi.documents.services import document_store

    policy.require(actor, "cases.manage_referral_documents", referral)
    case = referral.case
    document = document_store(
        actor=actor, tenant=case.tenant, owner=referral, kind=kind, uploaded_file=uploaded_file, title=title
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.DOCUMENT,
        actor=actor,
        summary=f"{kind} ({referral.agency.short_name})",
        text=document.title,
        referral=referral,
    )
    return document


# ---- public report and tracking ---------------------------------------------------------------

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _tracking_index(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch in TRACKING_ALPHABET)
    return blind_index(normalized, purpose="tracking") if len(normalized) == 12 else ""


@transaction.atomic
def public_report_submit(*, tenant: Tenant, data: IntakeInput) -> tuple[Case, str]:
    """A report from the public form (no login). Returns the case and a random tracking code shown once."""
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    data.channel = t.Channel.PUBLIC_FORM
    case = _create_case(actor=None, tenant=tenant, data=data, tracking_code_bidx=_tracking_index(code))
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    notify(
        recipients=list(
            User.objects.filter(tenant=tenant, role__in=[Role.CASE_MANAGER, Role.OFFICE_HEAD], is_active=True)
        ),
        kind="public_report",
        title=str(_("New public report %(number)s") % {"number": case.number}),
        url=f"/cases/{case.pk}/",
    )
    return case, f"{code[:4]}-{code[4:8]}-{code[8:]}"


def public_report_status(*, tenant: Tenant, code: str) -> str | None:
    """The stage of a publicly reported case, and nothing else; None for unknown codes."""
    index = _tracking_index(code)
    if not index:
        return None
    stage = Case.objects.filter(tenant=tenant, tracking_code_bidx=index).values_list("stage", flat=True).first()
    return stage


# ---- intake drafts (Satgas mobile form) --------------------------------------------------------


def intake_draft_save(*, actor: Any, payload: str, draft: IntakeDraft | None = None) -> IntakeDraft:
    policy.require(actor, "cases.create_case", actor.tenant)
    if len(payload) > 20_000:
        raise ValidationError(_("The draft is too long."))
    if draft is None:
        draft = IntakeDraft(tenant_id=actor.tenant_id, owner=actor)
    elif draft.owner_id != actor.pk:
        raise PermissionDenied
    draft.payload = payload
    draft.save()
    return draft


def intake_draft_delete(*, actor: Any, draft: IntakeDraft) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDenied
    draft.delete()


DRAFT_RETENTION_DAYS = 14


def intake_drafts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete drafts nobody touched for DRAFT_RETENTION_DAYS: an abandoned draft still names a child
    (UU PDP: keep personal data no longer than needed)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=DRAFT_RETENTION_DAYS)
    deleted, _per_model = IntakeDraft.objects.filter(updated_at__lt=cutoff).delete()
    if deleted:
        audit(actor=None, action="case.drafts_purged", extra={"count": deleted})
    return deleted


# ---- escalation (worker) ----------------------------------------------------------------------


def escalate_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Notify supervisors of overdue first responses and overdue referrals (each escalated once)."""
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    now = now or timezone.now()
    # A referral is overdue once its due date has passed in its tenant's zone: filter with the
    # easternmost date first, then check each row's own tenant.
    latest_today = clock.latest_today(now)
    counts = {"first_response": 0, "referral": 0}
    overdue_cases = (
        Case.objects.filter(
            first_responded_at__isnull=True,
            first_response_due_at__lt=now,
            first_response_escalated_at__isnull=True,
        )
        .exclude(stage=t.Stage.CLOSED)
        .select_related("tenant", "assigned_to")
    )
    for case in overdue_cases.iterator(chunk_size=200):
        with transaction.atomic():
            updated = Case.objects.filter(pk=case.pk, first_response_escalated_at__isnull=True).update(
                first_response_escalated_at=now
            )
            if not updated:
                continue
            supervisors = list(User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True))
            recipients = supervisors + ([case.assigned_to] if case.assigned_to_id else [])
            notify(
                recipients=recipients,
                kind="first_response_overdue",
                title=str(_("First response overdue: %(number)s") % {"number": case.number}),
                url=f"/cases/{case.pk}/",
            )
            _timeline(
                case=case,
                kind=TimelineEntry.Kind.ESCALATED,
                actor=None,
                summary=str(_("First response overdue")),
                at=now,
            )
            audit(actor=None, action="case.escalated_first_response", obj=case)
            counts["first_response"] += 1
    overdue_referrals = Referral.objects.filter(
        status__in=t.OPEN_REFERRAL_STATUSES, due_on__lt=latest_today, escalated_at__isnull=True
    ).select_related("case", "case__tenant", "agency", "case__assigned_to")
    for referral in overdue_referrals.iterator(chunk_size=200):
        if referral.due_on >= clock.tenant_today(referral.case.tenant, now):
            continue  # still today somewhere west of Jayapura
        with transaction.atomic():
            updated = Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(escalated_at=now)
            if not updated:
                continue
            case = referral.case
            recipients = list(
                User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True)
            ) + list(referral.agency.users.filter(is_active=True, role__in=AGENCY_READER_ROLES))
            if case.assigned_to_id:
                recipients.append(case.assigned_to)
            notify(
                recipients=recipients,
                kind="referral_overdue",
                title=str(
                    _("Referral overdue: %(service)s, %(agency)s (%(number)s)")
                    % {
                        "service": referral.get_service_type_display(),
                        "agency": referral.agency.short_name,
                        "number": case.number,
                    }
                ),
                url=f"/cases/referrals/{referral.pk}/",
            )
            _timeline(
                case=case,
                kind=TimelineEntry.Kind.ESCALATED,
                actor=None,
                summary=str(_("Referral overdue: %(agency)s") % {"agency": referral.agency.short_name}),
                referral=referral,
                at=now,
            )
            audit(actor=None, action="referral.escalated", obj=referral, tenant=case.tenant)
            counts["referral"] += 1
    return counts
