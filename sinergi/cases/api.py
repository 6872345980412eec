"""JSON API for integrated case handling (mounted at /api/v1/cases/).

Every capability of the case pages, under the same policy: views parse input with a nested
InputSerializer, call one selector or service, and answer. Visibility comes from the selectors (404
when not visible, exactly like a missing id), actions from the policy inside the services (403).
Case and person data leave only through `selectors.case_projection` / `person_projection`, so a
referred agency receives its service's field set and nothing else; identity values stay masked
unless the caller asks for an audited reveal (`?reveal=<person id>`).

Identity values never go into a URL: the exact identity search and the duplicate check are POSTs.
"""

import json
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import (
    error_responses,
    iso_or_none,
    optional_choice,
    optional_text,
    paginated,
    validated_input,
    validated_query,
)
from sinergi.documents.api import (
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
    IgnoreAcceptNegotiation,
    OwnerDocumentsApi,
)
from sinergi.jobs.api import JobSerializer, job_accepted
from sinergi.tenants.models import Agency

from . import fieldsets, selectors, services
from . import taxonomy as t
from .forms import DocumentKind
from .forms_referral import ReferralDocumentKind
from .limits import IdentityLookupThrottle
from .models import Case, Diversion, IntakeDraft, Person, Referral, RightItem, ServiceRecord, TimelineEntry

ERR_IDENTITY_SEARCH = _("Enter a NIK, or a full name together with a birth date.")
ERR_DATE_RANGE = _("The start date is after the end date.")
ERR_AGENCY = _("Choose an agency of this regency/city.")
ERR_VICTIM = _("Choose a victim of this case.")

MAX_REVEAL = 10
AUTO = "auto"

RIGHT_STATUS_INPUT_CHOICES = [(AUTO, _("Automatic (derived from referrals and services)")), *t.RightStatus.choices]
INBOX_STATUS_CHOICES = [
    ("open", _("Open")),
    ("all", _("All")),
    *((value, label) for value, label in t.ReferralStatus.choices if value in selectors.INBOX_STATUSES),
]


# ---- Shared pieces ---------------------------------------------------------------------------


DEFAULT_THROTTLES = list(api_settings.DEFAULT_THROTTLE_CLASSES)


class RevealThrottle(ScopedRateThrottle):
    """Counts only requests that reveal identities (`?reveal=`); plain reads use the default rate."""

    def allow_request(self, request, view) -> bool:
        if not request.query_params.getlist("reveal"):
            return True
        return super().allow_request(request, view)


class SummaryThrottle(UserRateThrottle):
    scope = "case_summary"
    rate = "60/hour"


class ExportThrottle(UserRateThrottle):
    scope = "case_export"
    rate = "30/hour"


def _case_for(request: Request, pk: UUID) -> Case:
    return selectors.case_get_for_user(user=request.user, pk=pk)


def _projection(request: Request, case: Case, *, revealed: dict[str, frozenset[str]] | None = None) -> dict:
    return selectors.case_projection(user=request.user, case=case, revealed=revealed)


# ---- Output shapes (documentation of the projection; the projection itself is the body) -----------


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
        "is_overdue": referral.is_open and referral.due_on < timezone.localdate(),
        "requested_at": referral.requested_at.isoformat(),
        "responded_at": iso_or_none(referral.responded_at),
        "decline_reason": referral.decline_reason if show_text else "",
        "completed_at": iso_or_none(referral.completed_at),
        "services": [_service_out(s) for s in referral.services.all()],
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


# ---- Input pieces ----------------------------------------------------------------------------


# The triage checklist: one boolean per question of taxonomy.TRIAGE_QUESTIONS (missing = false).
TriageInputSerializer = type(
    "TriageInputSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "The triage checklist: each question answered true or false (missing = false).",
        "__module__": __name__,
        "Meta": type("Meta", (), {"ref_name": "TriageAnswers"}),
        **{
            key: serializers.BooleanField(required=False, default=False, help_text=str(label))
            for key, label, _weight in t.TRIAGE_QUESTIONS
        },
    },
)


class PersonInputSerializer(serializers.Serializer):
    """A victim, alleged perpetrator or reporter. Identity fields are stored encrypted."""

    full_name = optional_text(200)
    nik = optional_text(32, help_text="16 digits (separators are ignored).")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    address = optional_text(500)
    phone = optional_text(40)
    school_name = optional_text(200)
    guardian_name = optional_text(200)
    guardian_phone = optional_text(40)
    sex = optional_choice(t.Sex.choices)
    age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=120, help_text="Age at the incident."
    )
    has_disability = serializers.BooleanField(required=False, default=False)
    disabilities = serializers.ListField(
        child=serializers.ChoiceField(t.Disability.choices), required=False, default=list
    )
    education = optional_choice(t.Education.choices)
    district = optional_text(20, help_text="Kecamatan code of this regency/city.")
    village = optional_text(20, help_text="Desa/kelurahan code inside that kecamatan.")
    relation_to_victim = optional_choice(t.Relation.choices, help_text="Perpetrators only.")
    perpetrator_status = optional_choice(t.PerpetratorStatus.choices, help_text="Perpetrators only.")

    class Meta:
        ref_name = "PersonInput"


def _person_input(data: dict, *, role: str) -> services.PersonInput:
    return services.PersonInput(
        role=role,
        full_name=data["full_name"],
        nik=data["nik"],
        birth_date=data["birth_date"],
        address=data["address"],
        phone=data["phone"],
        school_name=data["school_name"],
        guardian_name=data["guardian_name"],
        guardian_phone=data["guardian_phone"],
        sex=data["sex"],
        age=data["age"],
        has_disability=data["has_disability"],
        disabilities=list(data["disabilities"]),
        education=data["education"],
        district_code=data["district"],
        village_code=data["village"],
        relation_to_victim=data["relation_to_victim"],
        perpetrator_status=data["perpetrator_status"],
    )


# ---- Cases: list, intake, identity search, duplicates ---------------------------------------------


class CaseListCreateApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        stage = optional_choice(t.Stage.choices)
        risk = optional_choice(t.RiskLevel.choices)
        category = optional_choice(t.Category.choices)
        district = optional_text(20, help_text="Kecamatan code.")
        overdue = serializers.BooleanField(required=False, default=False)
        mine = serializers.BooleanField(required=False, default=False, help_text="Assigned to me.")
        referred_to_my_agency = serializers.BooleanField(required=False, default=False)
        number = optional_text(32, help_text="Part of the case number.")
        reported_from = serializers.DateField(required=False, allow_null=True, default=None)
        reported_to = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "CaseListFilter"

        def validate(self, attrs: dict) -> dict:
            if attrs["reported_from"] and attrs["reported_to"] and attrs["reported_from"] > attrs["reported_to"]:
                raise serializers.ValidationError({"reported_to": [ERR_DATE_RANGE]})
            return attrs

    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(t.Channel.choices)
        channel_detail = optional_text(200)
        reported_on = serializers.DateField()
        category = serializers.ChoiceField(t.Category.choices, required=False, default=t.Category.OTHER.value)
        forms = serializers.ListField(
            child=serializers.ChoiceField(t.ViolenceForm.choices), required=False, default=list
        )
        incident_on = serializers.DateField(required=False, allow_null=True, default=None)
        incident_place = optional_choice(t.Place.choices)
        district = optional_text(20, help_text="Kecamatan code of the incident.")
        village = optional_text(20)
        chronology = optional_text(20_000, help_text="Stored encrypted.")
        triage = TriageInputSerializer(required=False)
        is_lpsk_protected = serializers.BooleanField(required=False, default=False)
        victims = PersonInputSerializer(many=True, allow_empty=False)
        perpetrators = PersonInputSerializer(many=True, required=False)
        reporters = PersonInputSerializer(many=True, required=False)
        draft = serializers.UUIDField(
            required=False,
            allow_null=True,
            default=None,
            help_text="The intake draft this report was typed in: deleted with the submission (so are other "
            "drafts of yours naming the same victim).",
        )

        class Meta:
            ref_name = "CaseIntake"

    @extend_schema(
        operation_id="cases_list",
        summary="Cases visible to me, filtered on the server",
        parameters=[FilterSerializer],
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.view_case_list")
        d = validated_query(self.FilterSerializer, request)
        filters = selectors.CaseFilters(
            stage=d["stage"],
            risk=d["risk"],
            category=d["category"],
            district=d["district"],
            overdue=d["overdue"],
            mine=d["mine"],
            referred_to_my_agency=d["referred_to_my_agency"],
            number=d["number"],
            reported_from=d["reported_from"],
            reported_to=d["reported_to"],
        )
        cases = selectors.case_list_with_overdue_flag(selectors.case_list_for_user(user=user, filters=filters))
        return paginated(self, request, cases, lambda case: _case_row(user, case))

    @extend_schema(
        operation_id="cases_create",
        summary="Register a report (intake) with its victims, perpetrators and reporters",
        request=InputSerializer,
        responses={201: CaseProjectionSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = validated_input(self.InputSerializer, request.data)
        people = [_person_input(p, role=Person.Role.VICTIM) for p in d["victims"]]
        people += [_person_input(p, role=Person.Role.PERPETRATOR) for p in d.get("perpetrators", [])]
        people += [_person_input(p, role=Person.Role.REPORTER) for p in d.get("reporters", [])]
        data = services.IntakeInput(
            channel=d["channel"],
            reported_on=d["reported_on"],
            category=d["category"],
            forms=list(d["forms"]),
            channel_detail=d["channel_detail"],
            incident_on=d["incident_on"],
            incident_place=d["incident_place"],
            district_code=d["district"],
            village_code=d["village"],
            chronology=d["chronology"],
            triage=dict(d.get("triage") or {}),
            is_lpsk_protected=d["is_lpsk_protected"],
            people=people,
        )
        draft = _draft_for(request, d["draft"]) if d["draft"] else None
        case = services.case_intake(actor=request.user, tenant=request.user.tenant, data=data, draft=draft)
        return Response(_projection(request, case), status=status.HTTP_201_CREATED)


class IdentityInputSerializer(serializers.Serializer):
    """An exact identity (blind-index equality): a NIK, or a full name with a birth date."""

    nik = optional_text(32)
    full_name = optional_text(200)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "IdentityQuery"

    def validate(self, attrs: dict) -> dict:
        if not attrs["nik"] and not (attrs["full_name"] and attrs["birth_date"]):
            raise serializers.ValidationError(ERR_IDENTITY_SEARCH)
        return attrs


def _identity_fields(d: dict) -> list[str]:
    return ["nik"] if d["nik"] else ["full_name", "birth_date"]


class CaseIdentitySearchApi(APIView):
    """POST, not GET: identity values never go into a URL (logs, history, proxies)."""

    pagination_class = StandardPagination
    throttle_classes = [*DEFAULT_THROTTLES, IdentityLookupThrottle]

    @extend_schema(
        operation_id="cases_identity_search",
        summary="Find visible cases by exact identity (case team; audited)",
        request=IdentityInputSerializer,
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.check_duplicates", user.tenant)
        d = validated_input(IdentityInputSerializer, request.data)
        filters = selectors.CaseFilters(
            identity_nik=d["nik"], identity_name=d["full_name"], identity_birth_date=d["birth_date"]
        )
        cases = selectors.case_list_with_overdue_flag(selectors.case_list_for_user(user=user, filters=filters))
        audit(actor=user, action="case.identity_searched", fields=_identity_fields(d))
        return paginated(self, request, cases, lambda case: _case_row(user, case))


class CaseDuplicatesApi(APIView):
    throttle_classes = [*DEFAULT_THROTTLES, IdentityLookupThrottle]

    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField(help_text="Cases naming the same person that you may already open.")
        visible_case_numbers = serializers.ListField(
            child=serializers.CharField(), help_text="Only the matching cases you may already see."
        )

        class Meta:
            ref_name = "DuplicateCheck"

    @extend_schema(
        operation_id="cases_duplicates_check",
        summary="Is this person already known? (case team; audited)",
        request=IdentityInputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.check_duplicates", user.tenant)
        d = validated_input(IdentityInputSerializer, request.data)
        count, numbers = selectors.duplicate_matches(
            user=user, tenant=user.tenant, nik=d["nik"], name=d["full_name"], birth_date=d["birth_date"]
        )
        audit(actor=user, action="case.duplicates_checked", fields=_identity_fields(d), extra={"matches": count})
        return Response({"count": count, "visible_case_numbers": numbers})


# ---- One case --------------------------------------------------------------------------------


class CaseDetailApi(APIView):
    throttle_classes = [*DEFAULT_THROTTLES, RevealThrottle]
    throttle_scope = "reveal"

    class QuerySerializer(serializers.Serializer):
        reveal = serializers.ListField(
            child=serializers.UUIDField(), max_length=MAX_REVEAL, required=False, default=list
        )

    @extend_schema(
        operation_id="cases_retrieve",
        summary="A case, limited to my need-to-know fields (audited)",
        parameters=[
            OpenApiParameter(
                "reveal",
                OpenApiTypes.UUID,
                many=True,
                explode=True,
                required=False,
                description=(
                    "Person id whose identity fields you may see are returned in clear (repeatable, at most "
                    f"{MAX_REVEAL}). Every reveal is an audit event; rate limited."
                ),
            )
        ],
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404, 429)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        reveal = validated_input(self.QuerySerializer, {"reveal": request.query_params.getlist("reveal")})["reveal"]
        prefetch_related_objects([case], "people")  # one read shared by the projections below
        revealed: dict[str, frozenset[str]] = {}
        if reveal:
            wanted = list(dict.fromkeys(str(person_id) for person_id in reveal))
            people = {
                str(p.pk): p
                for p in case.people.all()
                if selectors.person_in_projection(user=request.user, case=case, person=p)
            }
            # Check every id before revealing any: a refused request reveals (and audits) nothing.
            if any(person_id not in people for person_id in wanted):
                raise Http404
            for person_id in wanted:
                plain = services.identity_reveal(actor=request.user, case=case, person=people[person_id], fields=[])
                revealed[person_id] = frozenset(plain)
        projection = _projection(request, case, revealed=revealed)
        audit(actor=request.user, action="case.viewed", obj=case)
        return Response(projection, headers={"Cache-Control": "no-store"})


class CaseSummaryPdfApi(APIView):
    throttle_classes = [*DEFAULT_THROTTLES, SummaryThrottle]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        operation_id="cases_summary_pdf",
        summary="Case summary PDF for this reader (audited)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The summary PDF."),
            **error_responses(403, 404),
        },
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        from . import pdf

        case = _case_for(request, pk)
        response = HttpResponse(pdf.case_summary_pdf(user=request.user, case=case), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="summary-{case.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response


class CaseTriageApi(APIView):
    @extend_schema(
        operation_id="cases_triage",
        summary="Record the triage checklist (risk and first-response due time follow)",
        request=TriageInputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(TriageInputSerializer, request.data)
        case = services.case_triage(actor=request.user, case=case, answers=dict(d))
        return Response(_projection(request, case))


class CaseStageApi(APIView):
    class InputSerializer(serializers.Serializer):
        to_stage = serializers.ChoiceField([c for c in t.Stage.choices if c[0] != t.Stage.CLOSED])
        note = optional_text(5000)

        class Meta:
            ref_name = "CaseStageChange"

    @extend_schema(
        operation_id="cases_stage_change",
        summary="Move the case along the UPTD PPA flow",
        request=InputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        case = services.case_change_stage(actor=request.user, case=case, to_stage=d["to_stage"], note=d["note"])
        return Response(_projection(request, case))


class NoteInputSerializer(serializers.Serializer):
    note = optional_text(5000)

    class Meta:
        ref_name = "OptionalNote"


class CaseFirstResponseApi(APIView):
    @extend_schema(
        operation_id="cases_first_response",
        summary="Record the first response to the victim",
        request=NoteInputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(NoteInputSerializer, request.data)
        case = services.case_record_first_response(actor=request.user, case=case, note=d["note"])
        return Response(_projection(request, case))


class CaseAssignApi(APIView):
    class InputSerializer(serializers.Serializer):
        assignee = serializers.UUIDField(help_text="A case manager of this regency/city.")

        class Meta:
            ref_name = "CaseAssign"

    @extend_schema(
        operation_id="cases_assign",
        summary="(Re)assign the case manager (office head)",
        request=InputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.assign_case", case)
        d = validated_input(self.InputSerializer, request.data)
        assignee = User.objects.filter(pk=d["assignee"], tenant_id=case.tenant_id).first()
        if assignee is None:
            raise ValidationError({"assignee": services.ERR_ASSIGNEE})
        case = services.case_assign(actor=request.user, case=case, assignee=assignee)
        return Response(_projection(request, case))


class CaseNoteApi(APIView):
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=10_000)

        class Meta:
            ref_name = "CaseNote"

    @extend_schema(
        operation_id="cases_note_add",
        summary="Add a note to the timeline",
        request=InputSerializer,
        responses={201: TimelineEntryOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        entry = services.case_add_note(actor=request.user, case=case, text=d["text"])
        return Response(_timeline_out(entry), status=status.HTTP_201_CREATED)


class CaseIncidentApi(APIView):
    class InputSerializer(serializers.Serializer):
        """Fields left out keep their current value."""

        category = serializers.ChoiceField(t.Category.choices, required=False)
        forms = serializers.ListField(child=serializers.ChoiceField(t.ViolenceForm.choices), required=False)
        chronology = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
        incident_on = serializers.DateField(required=False, allow_null=True)
        incident_place = serializers.ChoiceField(t.Place.choices, required=False, allow_blank=True)
        district = serializers.CharField(max_length=20, required=False, allow_blank=True)
        village = serializers.CharField(max_length=20, required=False, allow_blank=True)
        is_lpsk_protected = serializers.BooleanField(required=False)

        class Meta:
            ref_name = "CaseIncidentUpdate"

    @extend_schema(
        operation_id="cases_incident_update",
        summary="Correct the incident data after assessment",
        request=InputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        case = services.case_update_incident(
            actor=request.user,
            case=case,
            category=d.get("category", case.category),
            forms=list(d.get("forms", case.forms)),
            chronology=d.get("chronology", case.chronology),
            incident_on=d.get("incident_on", case.incident_on),
            incident_place=d.get("incident_place", case.incident_place),
            district_code=d.get("district", case.district_id or ""),
            village_code=d.get("village", case.village_id or ""),
            is_lpsk_protected=d.get("is_lpsk_protected", case.is_lpsk_protected),
        )
        return Response(_projection(request, case))


class CasePersonAddApi(APIView):
    class InputSerializer(PersonInputSerializer):
        role = serializers.ChoiceField(Person.Role.choices)

        class Meta:
            ref_name = "CasePersonAdd"

    @extend_schema(
        operation_id="cases_person_add",
        summary="Add a victim, alleged perpetrator or reporter",
        request=InputSerializer,
        responses={201: PersonProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        person = services.person_add(actor=request.user, case=case, data=_person_input(d, role=d["role"]))
        fields = selectors.person_fields(user=request.user, case=case, person=person)
        body = selectors.person_projection(person, fields, prefix=person.role)
        return Response(body, status=status.HTTP_201_CREATED)


class CaseCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.ChoiceField(t.ClosureReason.choices)
        note = optional_text(5000)
        override_reason = optional_text(
            5000, help_text="Office head only: why the case closes while a needed right is unresolved."
        )

        class Meta:
            ref_name = "CaseClose"

    @extend_schema(
        operation_id="cases_close",
        summary="Close the case (refused while a needed right is unresolved, unless the office head says why)",
        request=InputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.close_case", case)
        d = validated_input(self.InputSerializer, request.data)
        case = services.case_close(
            actor=request.user, case=case, reason=d["reason"], note=d["note"], override_reason=d["override_reason"]
        )
        return Response(_projection(request, case))


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "Reason"


class CaseReopenApi(APIView):
    @extend_schema(
        operation_id="cases_reopen",
        summary="Reopen a closed case (with a reason)",
        request=ReasonInputSerializer,
        responses={200: CaseProjectionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.reopen_case", case)
        d = validated_input(ReasonInputSerializer, request.data)
        case = services.case_reopen(actor=request.user, case=case, reason=d["reason"])
        return Response(_projection(request, case))


class CaseDiversionsApi(APIView):
    class InputSerializer(serializers.Serializer):
        level = serializers.ChoiceField(t.DiversionLevel.choices)
        outcome = serializers.ChoiceField(t.DiversionOutcome.choices)
        decided_on = serializers.DateField(required=False, allow_null=True, default=None)
        is_bapas_involved = serializers.BooleanField(required=False, default=False)
        note = optional_text(5000)

        class Meta:
            ref_name = "DiversionInput"

    @extend_schema(
        operation_id="cases_diversions_list",
        summary="Diversion at each level of an ABH case (case team)",
        responses={200: DiversionOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.view_case_full", case)
        return Response([_diversion_out(d) for d in case.diversions.all()])

    @extend_schema(
        operation_id="cases_diversions_record",
        summary="Record diversion at one level (UU SPPA art. 7; ABH cases only)",
        request=InputSerializer,
        responses={200: DiversionOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        diversion = services.diversion_record(actor=request.user, case=case, **d)
        return Response(_diversion_out(diversion))


class CaseTimelineApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="cases_timeline",
        summary="Every step, note and document of the case, newest first (case team)",
        responses={200: TimelineEntryOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.view_case_full", case)
        return paginated(self, request, selectors.timeline_for_case(case=case), _timeline_out)


class CaseRightsApi(APIView):
    @extend_schema(
        operation_id="cases_rights_list",
        summary="The rights checklist of each child victim (case team)",
        responses={200: RightItemOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.view_case_full", case)
        return Response([_right_out(item) for item in selectors.rights_for_case(case=case)])


class RightSetApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(RIGHT_STATUS_INPUT_CHOICES, help_text="`auto` returns to derivation.")
        reason = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "RightSet"

    @extend_schema(
        operation_id="cases_right_set",
        summary="Set one right by hand (with a reason), or back to automatic",
        request=InputSerializer,
        responses={200: RightItemOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        item = RightItem.objects.filter(pk=pk, tenant_id=request.user.tenant_id).select_related("case").first()
        if item is None:
            raise Http404
        case = _case_for(request, item.case_id)
        # Rights are case-team data: to anyone else the item does not exist.
        policy.require_visible(request.user, "cases.view_case_full", case)
        item.case = case
        policy.require(request.user, "cases.change_case", case)
        d = validated_input(self.InputSerializer, request.data)
        item = services.right_set(actor=request.user, item=item, status=d["status"], reason=d["reason"])
        return Response(_right_out(item))


class CaseReferralsApi(APIView):
    class InputSerializer(serializers.Serializer):
        agency = serializers.UUIDField(help_text="An agency of this regency/city.")
        service_type = serializers.ChoiceField(
            t.ServiceType.choices, help_text="Mediation is refused for sexual-violence cases."
        )
        victim = serializers.UUIDField(required=False, allow_null=True, default=None)
        due_on = serializers.DateField(required=False, allow_null=True, default=None)
        note = optional_text(5000, help_text="Shown to the receiving agency.")

        class Meta:
            ref_name = "ReferralCreate"

    @extend_schema(
        operation_id="cases_referrals_list",
        summary="Referrals of the case (the case team sees all, an agency its own)",
        responses={200: ReferralOutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        referrals = selectors.referrals_for_case(user=request.user, case=case).select_related("case")
        return Response([_referral_out(r, request.user) for r in referrals])

    @extend_schema(
        operation_id="cases_referrals_create",
        summary="Refer the case to an agency for a service",
        request=InputSerializer,
        responses={201: ReferralOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _case_for(request, pk)
        policy.require(request.user, "cases.refer_case", case)
        d = validated_input(self.InputSerializer, request.data)
        agency = Agency.objects.filter(pk=d["agency"], tenant_id=case.tenant_id, is_active=True).first()
        if agency is None:
            raise ValidationError({"agency": ERR_AGENCY})
        victim = None
        if d["victim"]:
            try:
                victim = selectors.person_get_for_case(case=case, pk=d["victim"])
            except Http404 as exc:
                raise ValidationError({"victim": ERR_VICTIM}) from exc
        referral = services.referral_create(
            actor=request.user,
            case=case,
            agency=agency,
            service_type=d["service_type"],
            victim=victim,
            due_on=d["due_on"],
            note=d["note"],
        )
        return Response(_referral_out(referral, request.user), status=status.HTTP_201_CREATED)


class CaseDocumentsApi(OwnerDocumentsApi):
    class InputSerializer(DocumentUploadInputSerializer):
        kind = serializers.ChoiceField(DocumentKind.CHOICES)

        class Meta:
            ref_name = "CaseDocumentUpload"

    def get_owner(self, request: Request, pk: UUID) -> Case:
        return _case_for(request, pk)

    def add_document(self, *, actor: Any, owner: Case, kind: str, uploaded_file: Any, title: str):
        return services.case_document_add(actor=actor, case=owner, kind=kind, uploaded_file=uploaded_file, title=title)

    @extend_schema(
        operation_id="cases_documents_list",
        summary="Evidence attached to the case (case team)",
        responses={200: DocumentOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return super().get(request, pk)

    @extend_schema(
        operation_id="cases_documents_upload",
        summary="Upload evidence (multipart)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        return super().post(request, pk)


# ---- Referrals (the receiving agency) --------------------------------------------------------


def _referral_for(request: Request, pk: UUID) -> Referral:
    return selectors.referral_get_for_user(user=request.user, pk=pk)


class ReferralInboxApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(INBOX_STATUS_CHOICES, required=False, default="open")

        class Meta:
            ref_name = "ReferralInboxFilter"

    @extend_schema(
        operation_id="cases_referral_inbox",
        summary="Referrals addressed to my agency, oldest due first",
        parameters=[FilterSerializer],
        responses={200: ReferralOutputSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        policy.require(request.user, "cases.view_referral_inbox")
        d = validated_query(self.FilterSerializer, request)
        referrals = selectors.referral_inbox_for_user(user=request.user, status=d["status"]).prefetch_related(
            "services"
        )
        return paginated(self, request, referrals, lambda r: _referral_out(r, request.user))


class ReferralDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        referral = ReferralOutputSerializer()
        case = CaseProjectionSerializer()

        class Meta:
            ref_name = "ReferralDetail"

    @extend_schema(
        operation_id="cases_referral_retrieve",
        summary="A referral and the case as my agency may see it (audited)",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        referral = _referral_for(request, pk)
        body = {"referral": _referral_out(referral, request.user), "case": _projection(request, referral.case)}
        audit(actor=request.user, action="referral.viewed", obj=referral, extra={"case": str(referral.case_id)})
        return Response(body, headers={"Cache-Control": "no-store"})


class ReferralRespondApi(APIView):
    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        reason = optional_text(2000, help_text="Required when declining.")

        class Meta:
            ref_name = "ReferralRespond"

    @extend_schema(
        operation_id="cases_referral_respond",
        summary="Accept, or decline with a reason (receiving agency)",
        request=InputSerializer,
        responses={200: ReferralOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        referral = _referral_for(request, pk)
        policy.require(request.user, "cases.respond_referral", referral)
        d = validated_input(self.InputSerializer, request.data)
        referral = services.referral_respond(
            actor=request.user, referral=referral, accept=d["accept"], reason=d["reason"]
        )
        return Response(_referral_out(referral, request.user))


class ReferralServiceApi(APIView):
    class InputSerializer(serializers.Serializer):
        delivered_on = serializers.DateField()
        sessions = serializers.IntegerField(min_value=1, max_value=500, required=False, default=1)
        outcome = serializers.ChoiceField(t.ServiceOutcome.choices, help_text="`completed` completes the referral.")
        notes = optional_text(5000)

        class Meta:
            ref_name = "ServiceRecordInput"

    @extend_schema(
        operation_id="cases_referral_service_record",
        summary="Record a service delivered under an accepted referral",
        request=InputSerializer,
        responses={201: ServiceRecordOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        referral = _referral_for(request, pk)
        policy.require(request.user, "cases.record_service", referral)
        d = validated_input(self.InputSerializer, request.data)
        service = services.service_record(actor=request.user, referral=referral, **d)
        return Response(_service_out(service), status=status.HTTP_201_CREATED)


class ReferralCancelApi(APIView):
    @extend_schema(
        operation_id="cases_referral_cancel",
        summary="Cancel an open referral (case team)",
        request=ReasonInputSerializer,
        responses={200: ReferralOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        referral = _referral_for(request, pk)
        policy.require(request.user, "cases.cancel_referral", referral)
        d = validated_input(ReasonInputSerializer, request.data)
        referral = services.referral_cancel(actor=request.user, referral=referral, reason=d["reason"])
        return Response(_referral_out(referral, request.user))


class ReferralDocumentsApi(OwnerDocumentsApi):
    class InputSerializer(DocumentUploadInputSerializer):
        kind = serializers.ChoiceField(ReferralDocumentKind.CHOICES)

        class Meta:
            ref_name = "ReferralDocumentUpload"

    def get_owner(self, request: Request, pk: UUID) -> Referral:
        return _referral_for(request, pk)

    def add_document(self, *, actor: Any, owner: Referral, kind: str, uploaded_file: Any, title: str):
        return services.referral_document_add(
            actor=actor, referral=owner, kind=kind, uploaded_file=uploaded_file, title=title
        )

    @extend_schema(
        operation_id="cases_referral_documents_list",
        summary="Documents of a referral (the agency and the case team)",
        responses={200: DocumentOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return super().get(request, pk)

    @extend_schema(
        operation_id="cases_referral_documents_upload",
        summary="Upload a document to a referral (multipart)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        return super().post(request, pk)


# ---- Intake drafts (a client saving as the user types) ----------------------------------------


class DraftOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    payload = serializers.DictField(help_text="The typed form fields, as sent.")
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "IntakeDraft"


class DraftInputSerializer(serializers.Serializer):
    payload = serializers.DictField(help_text="Any JSON object (at most 20,000 characters); stored encrypted.")

    class Meta:
        ref_name = "IntakeDraftInput"


def _draft_out(draft: IntakeDraft) -> dict:
    try:
        payload = json.loads(draft.payload or "{}")
    except ValueError:
        payload = {}
    return {
        "id": str(draft.pk),
        "payload": payload if isinstance(payload, dict) else {},
        "updated_at": draft.updated_at.isoformat(),
    }


def _draft_for(request: Request, pk: UUID) -> IntakeDraft:
    """The caller's own draft; anyone else's is a 404."""
    draft = IntakeDraft.objects.filter(pk=pk, owner_id=request.user.pk, tenant_id=request.user.tenant_id).first()
    if draft is None:
        raise Http404
    return draft


class DraftListCreateApi(APIView):
    @extend_schema(
        operation_id="cases_drafts_list",
        summary="My intake drafts, newest first",
        responses={200: DraftOutputSerializer(many=True), **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        policy.require(request.user, "cases.create_case", request.user.tenant)
        drafts = IntakeDraft.objects.filter(owner_id=request.user.pk, tenant_id=request.user.tenant_id)
        return Response([_draft_out(d) for d in drafts.order_by("-updated_at")[:20]])

    @extend_schema(
        operation_id="cases_drafts_create",
        summary="Save a new intake draft",
        request=DraftInputSerializer,
        responses={201: DraftOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = validated_input(DraftInputSerializer, request.data)
        payload = json.dumps(d["payload"], ensure_ascii=False)
        draft = services.intake_draft_save(actor=request.user, payload=payload)
        return Response(_draft_out(draft), status=status.HTTP_201_CREATED)


class DraftDetailApi(APIView):
    @extend_schema(
        operation_id="cases_drafts_retrieve",
        summary="One of my intake drafts",
        responses={200: DraftOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(_draft_out(_draft_for(request, pk)))

    @extend_schema(
        operation_id="cases_drafts_update",
        summary="Replace the content of one of my intake drafts",
        request=DraftInputSerializer,
        responses={200: DraftOutputSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, pk: UUID) -> Response:
        draft = _draft_for(request, pk)
        d = validated_input(DraftInputSerializer, request.data)
        payload = json.dumps(d["payload"], ensure_ascii=False)
        draft = services.intake_draft_save(actor=request.user, payload=payload, draft=draft)
        return Response(_draft_out(draft))

    @extend_schema(
        operation_id="cases_drafts_delete",
        summary="Discard one of my intake drafts",
        responses={204: None, **error_responses(404)},
    )
    def delete(self, request: Request, pk: UUID) -> Response:
        services.intake_draft_delete(actor=request.user, draft=_draft_for(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- Statistics and the SIMFONI-PPA export ------------------------------------------------------


class StatisticsApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=9999)
        month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "StatisticsPeriod"

    class OutputSerializer(serializers.Serializer):
        class TableSerializer(serializers.Serializer):
            class RowSerializer(serializers.Serializer):
                key = serializers.CharField(allow_blank=True)
                label = serializers.CharField()
                count = serializers.IntegerField()
                percent = serializers.FloatField()

                class Meta:
                    ref_name = "StatisticsRow"

            slug = serializers.CharField()
            title = serializers.CharField()
            unit = serializers.CharField()
            base = serializers.IntegerField()
            rows = RowSerializer(many=True)

            class Meta:
                ref_name = "StatisticsTable"

        period = serializers.DictField(child=serializers.DateField(), help_text="`from` and `to`, both included.")
        totals = serializers.DictField(child=serializers.IntegerField())
        tables = TableSerializer(many=True)
        by_month = TableSerializer(allow_null=True, help_text="Cases per month, for a whole year only.")

        class Meta:
            ref_name = "Statistics"

    @extend_schema(
        operation_id="cases_statistics",
        summary="Monthly (or yearly) aggregates of my regency/city",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        from .statistics import monthly_statistics

        d = validated_query(self.FilterSerializer, request)
        stats = monthly_statistics(user=request.user, tenant=request.user.tenant, year=d["year"], month=d["month"])

        def table(tbl: Any) -> dict | None:
            if tbl is None:
                return None
            rows = [{"key": r.key, "label": r.label, "count": r.count, "percent": r.percent} for r in tbl.rows]
            return {"slug": tbl.slug, "title": tbl.title, "unit": tbl.unit, "base": tbl.base, "rows": rows}

        body = {
            "period": stats.period.as_dict(),
            "totals": stats.totals,
            "tables": [table(tbl) for tbl in stats.tables],
            "by_month": table(stats.by_month),
        }
        return Response(body)


class SimfoniExportApi(APIView):
    content_negotiation_class = IgnoreAcceptNegotiation
    throttle_classes = [*DEFAULT_THROTTLES, ExportThrottle]

    class FilterSerializer(serializers.Serializer):
        format = serializers.ChoiceField([("csv", "CSV"), ("xlsx", "XLSX")], required=False, default="csv")
        year = serializers.IntegerField(min_value=2000, max_value=9999, required=False, allow_null=True, default=None)
        month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True, default=None)
        date_from = serializers.DateField(required=False, allow_null=True, default=None)
        date_to = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "SimfoniExportQuery"

    @extend_schema(
        operation_id="cases_export_simfoni",
        summary="One row per victim in the SIMFONI-PPA categories (audited)",
        parameters=[FilterSerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV export."),
            202: OpenApiResponse(
                JobSerializer,
                description="XLSX: a background job was started; follow `url` (also in `Location`) for its progress.",
            ),
            **error_responses(400, 403, 429),
        },
    )
    def get(self, request: Request) -> HttpResponse | Response:
        from . import exports
        from .statistics import period_for

        tenant = request.user.tenant
        policy.require(request.user, "cases.export_simfoni", tenant)
        d = validated_query(self.FilterSerializer, request)
        period = period_for(year=d["year"], month=d["month"], date_from=d["date_from"], date_to=d["date_to"])
        if d["format"] == "xlsx":
            from sinergi.jobs.services import job_start

            from .jobs import SIMFONI_XLSX, period_params

            return job_accepted(job_start(actor=request.user, kind=SIMFONI_XLSX, params=period_params(period)))
        export = exports.simfoni_export(actor=request.user, tenant=tenant, period=period, fmt="csv")
        filename = f"simfoni-ppa-{tenant.code_compact}-{export.period.slug}.{export.fmt}"
        response = StreamingHttpResponse(exports.csv_lines(export.rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
