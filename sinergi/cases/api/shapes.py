"""Output shapes (documentation of the projection; the projection itself is the body)."""

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from sinergi.core import policy
from sinergi.core.api_support import (
    iso_or_none,
)

from .. import fieldsets, overdue
from .. import taxonomy as t
from ..models import Case, Diversion, Person, Referral, RightItem, ServiceRecord, TimelineEntry


class PersonProjectionSerializer(serializers.Serializer):
    """A person as the reader may see them: only the keys of the reader's field set are present."""

    id = serializers.UUIDField()
    role = serializers.ChoiceField(Person.Role.choices)
    full_name = serializers.CharField(required=False, help_text="Masked (e.g. `S••• A•••`) unless revealed.")
    nik = serializers.CharField(required=False, help_text="Masked unless revealed.")
    birth_date = serializers.CharField(required=False, help_text="ISO date when revealed, masked otherwise.")
    address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    school_name = serializers.CharField(required=False)
    guardian_name = serializers.CharField(required=False)
    guardian_phone = serializers.CharField(required=False)
    identity_fields = serializers.ListField(
        child=serializers.ChoiceField(fieldsets.IDENTITY_FIELDS),
        help_text="Identity fields this reader may reveal for this person.",
    )
    revealed = serializers.ListField(
        child=serializers.ChoiceField(fieldsets.IDENTITY_FIELDS), help_text="Identity fields shown in clear."
    )
    sex = serializers.ChoiceField(t.Sex.choices, required=False, allow_blank=True)
    age = serializers.IntegerField(required=False, allow_null=True)
    age_band = serializers.CharField(required=False)
    is_child = serializers.BooleanField(required=False)
    has_disability = serializers.BooleanField(required=False)
    disabilities = serializers.ListField(child=serializers.ChoiceField(t.Disability.choices), required=False)
    education = serializers.ChoiceField(t.Education.choices, required=False, allow_blank=True)
    district = serializers.CharField(required=False, allow_null=True, help_text="Kecamatan code.")
    village = serializers.CharField(required=False, allow_null=True, help_text="Desa/kelurahan code.")
    relation_to_victim = serializers.ChoiceField(t.Relation.choices, required=False, allow_blank=True)
    perpetrator_status = serializers.ChoiceField(t.PerpetratorStatus.choices, required=False, allow_blank=True)

    class Meta:
        ref_name = "CasePerson"


class CaseProjectionSerializer(serializers.Serializer):
    """A case as the reader may see it (need-to-know): keys outside the reader's field set are absent."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    stage = serializers.ChoiceField(t.Stage.choices)
    reported_on = serializers.DateField()
    fields = serializers.ListField(child=serializers.CharField(), help_text="The reader's need-to-know field set.")
    channel = serializers.ChoiceField(t.Channel.choices, required=False)
    channel_detail = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(t.Category.choices, required=False)
    forms = serializers.ListField(child=serializers.ChoiceField(t.ViolenceForm.choices), required=False)
    incident_on = serializers.DateField(required=False, allow_null=True)
    incident_place = serializers.ChoiceField(t.Place.choices, required=False, allow_blank=True)
    district = serializers.CharField(required=False, allow_null=True)
    village = serializers.CharField(required=False, allow_null=True)
    chronology = serializers.CharField(required=False, allow_blank=True)
    risk_level = serializers.ChoiceField(t.RiskLevel.choices, required=False)
    triage = serializers.DictField(child=serializers.BooleanField(), required=False)
    assigned_to = serializers.UUIDField(required=False, allow_null=True)
    first_response_due_at = serializers.DateTimeField(required=False)
    first_responded_at = serializers.DateTimeField(required=False, allow_null=True)
    closure_reason = serializers.ChoiceField(t.ClosureReason.choices, required=False, allow_blank=True)
    is_lpsk_protected = serializers.BooleanField(required=False)
    has_child_victim = serializers.BooleanField(required=False)
    victims = PersonProjectionSerializer(many=True)
    perpetrators = PersonProjectionSerializer(many=True)
    reporters = PersonProjectionSerializer(many=True)

    class Meta:
        ref_name = "CaseProjection"


class AgencyBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    short_name = serializers.CharField()

    class Meta:
        ref_name = "CaseAgencyBrief"


class ServiceRecordOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    delivered_on = serializers.DateField()
    sessions = serializers.IntegerField()
    outcome = serializers.ChoiceField(t.ServiceOutcome.choices)
    notes = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "ServiceRecord"


def _service_out(service: ServiceRecord) -> dict:
    return {
        "id": str(service.pk),
        "delivered_on": service.delivered_on.isoformat(),
        "sessions": service.sessions,
        "outcome": service.outcome,
        "notes": service.notes,
        "created_at": service.created_at.isoformat(),
    }


class ReferralOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField()
    case_number = serializers.CharField()
    agency = AgencyBriefSerializer()
    service_type = serializers.ChoiceField(t.ServiceType.choices)
    status = serializers.ChoiceField(t.ReferralStatus.choices)
    victim = serializers.UUIDField(allow_null=True, help_text="The referred victim; null for every victim.")
    note = serializers.CharField(allow_blank=True, help_text="Note of the case team to the receiving agency.")
    due_on = serializers.DateField()
    is_overdue = serializers.BooleanField()
    requested_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField(allow_blank=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    services = ServiceRecordOutputSerializer(many=True)
    sharing_basis = serializers.ChoiceField(
        [("consent", "consent"), ("emergency", "emergency")],
        allow_null=True,
        help_text="Recorded consent of the victim or guardian, or the office head's emergency reason.",
    )

    class Meta:
        ref_name = "Referral"


def _referral_out(referral: Referral, user: Any) -> dict:
    """A referral; the caller checked that the reader may see it (case team or the referred agency).
    The case team's note and the reasons are free text that may name people: once the agency's access has
    ended (grace period after completion, or the case closed), the agency keeps its own services only."""
    show_text = policy.can(user, "cases.view_referral_note", referral)
    return {
        "id": str(referral.pk),
        "case": str(referral.case_id),
        "case_number": referral.case.number,
        "agency": {
            "id": str(referral.agency_id),
            "name": referral.agency.name,
            "short_name": referral.agency.short_name,
        },
        "service_type": referral.service_type,
        "status": referral.status,
        "victim": str(referral.victim_id) if referral.victim_id else None,
        "note": referral.note if show_text else "",
        "due_on": referral.due_on.isoformat(),
        "is_overdue": overdue.referral_is_overdue(referral, today=timezone.localdate()),
        "requested_at": referral.requested_at.isoformat(),
        "responded_at": iso_or_none(referral.responded_at),
        "decline_reason": referral.decline_reason if show_text else "",
        "completed_at": iso_or_none(referral.completed_at),
        "services": [_service_out(s) for s in referral.services.all()],
        "sharing_basis": "consent" if referral.consent_id else ("emergency" if referral.emergency_by_id else None),
    }


class TimelineEntryOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(TimelineEntry.Kind.choices)
    summary = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    actor = serializers.UUIDField(allow_null=True)
    actor_name = serializers.CharField(allow_blank=True)
    referral = serializers.UUIDField(allow_null=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "TimelineEntry"


def _timeline_out(entry: TimelineEntry) -> dict:
    return {
        "id": str(entry.pk),
        "kind": entry.kind,
        "summary": entry.summary,
        "text": entry.text,
        "actor": str(entry.actor_id) if entry.actor_id else None,
        "actor_name": entry.actor.display_name if entry.actor_id else "",
        "referral": str(entry.referral_id) if entry.referral_id else None,
        "created_at": entry.created_at.isoformat(),
    }


class RightItemOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    victim = serializers.UUIDField()
    right = serializers.ChoiceField(t.Right.choices)
    status = serializers.ChoiceField(t.RightStatus.choices)
    is_manual = serializers.BooleanField(help_text="Set by hand (with a reason) instead of derived.")
    is_unresolved = serializers.BooleanField(help_text="Planned or in progress: blocks closing the case.")
    reason = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "RightItem"


def _right_out(item: RightItem) -> dict:
    return {
        "id": str(item.pk),
        "victim": str(item.victim_id),
        "right": item.right,
        "status": item.status,
        "is_manual": item.is_manual,
        "is_unresolved": item.status in t.UNRESOLVED_RIGHT_STATUSES,
        "reason": item.reason,
        "updated_at": item.updated_at.isoformat(),
    }


class DiversionOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    level = serializers.ChoiceField(t.DiversionLevel.choices)
    outcome = serializers.ChoiceField(t.DiversionOutcome.choices)
    decided_on = serializers.DateField(allow_null=True)
    is_bapas_involved = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Diversion"


def _diversion_out(diversion: Diversion) -> dict:
    return {
        "id": str(diversion.pk),
        "level": diversion.level,
        "outcome": diversion.outcome,
        "decided_on": iso_or_none(diversion.decided_on),
        "is_bapas_involved": diversion.is_bapas_involved,
        "note": diversion.note,
        "updated_at": diversion.updated_at.isoformat(),
    }


class CaseListItemSerializer(serializers.Serializer):
    """A row of the case list. Category, risk, kecamatan and assignee only for the case team."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    stage = serializers.ChoiceField(t.Stage.choices)
    reported_on = serializers.DateField()
    is_overdue = serializers.BooleanField(required=False)
    category = serializers.ChoiceField(t.Category.choices, required=False)
    risk_level = serializers.ChoiceField(t.RiskLevel.choices, required=False)
    district = serializers.CharField(required=False, allow_null=True)
    assigned_to = serializers.UUIDField(required=False, allow_null=True)
    first_response_due_at = serializers.DateTimeField(required=False)

    class Meta:
        ref_name = "CaseListItem"


def _case_row(user: Any, case: Case) -> dict:
    row = {
        "id": str(case.pk),
        "number": case.number,
        "stage": case.stage,
        "reported_on": case.reported_on.isoformat(),
    }
    if policy.can(user, "cases.view_case_full", case):
        row.update(
            is_overdue=bool(case.is_overdue),
            category=case.category,
            risk_level=case.risk_level,
            district=case.district_id,
            assigned_to=str(case.assigned_to_id) if case.assigned_to_id else None,
            first_response_due_at=case.first_response_due_at.isoformat(),
        )
    return row
