"""Workflow of one case: triage, first response, stage, assignment, notes, incident, people."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.audit.services import record as audit
from sinergi.core import policy

from .. import case_counts, dates, overdue
from .. import taxonomy as t
from ..models import (
    Case,
    Person,
    TimelineEntry,
)
from .common import (
    ERR_ASSIGNEE,
    ERR_STAGE,
    IDENTITY_ATTRS,
    PersonInput,
    _build_person,
    _lock_case,
    _resolve_region,
    _set_forms,
    _timeline,
)
from .intake import _init_rights, rights_recompute
from .name_index import person_name_index_sync


@transaction.atomic
def case_triage(*, actor: Any, case: Case, answers: dict[str, bool]) -> Case:
    """Record the triage checklist; risk and first-response due time follow from it."""
    policy.require(actor, "cases.change_case", case)
    case.triage = {k: bool(answers.get(k)) for k, _label, _w in t.TRIAGE_QUESTIONS}
    case.risk_level = t.risk_from_triage(case.triage)
    if case.first_responded_at is None:
        case.first_response_due_at = overdue.first_response_due_at(
            tenant=case.tenant, start=case.created_at, has_child=case.has_child_victim, risk=case.risk_level
        )
    if case.assigned_to_id is None and actor.role == Role.CASE_MANAGER:
        case.assigned_to = actor
    case_counts.case_save(
        case, update_fields=["triage", "risk_level", "first_response_due_at", "assigned_to", "updated_at"]
    )
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
        case_counts.case_save(case, update_fields=["first_responded_at", "updated_at"])
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
    case_counts.case_save(case, update_fields=fields)
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
    case_counts.case_save(case, update_fields=["assigned_to", "updated_at"])
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
        url=reverse("cases:detail", args=[case.pk]),
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
        case_counts.case_save(case, update_fields=[*changed, *form_fields, "updated_at"])
        _timeline(case=case, kind=TimelineEntry.Kind.NOTE, actor=actor, summary=str(_("Incident data updated")))
        audit(actor=actor, action="case.updated", obj=case, fields=changed)
    return case


@transaction.atomic
def person_add(*, actor: Any, case: Case, data: PersonInput) -> Person:
    policy.require(actor, "cases.change_case", case)
    person = _build_person(tenant=case.tenant, case=case, data=data, incident_day=case.incident_on or case.reported_on)
    person.save()
    person_name_index_sync([person])
    if person.role == Person.Role.VICTIM and person.is_child and not case.has_child_victim:
        case.has_child_victim = True
        case_counts.case_save(case, update_fields=["has_child_victim", "updated_at"])
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
    from ..selectors import allowed_identity_fields

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
