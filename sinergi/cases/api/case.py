"""One case: detail, summary PDF, triage, stage, notes, incident, people, closure, rights, referrals, documents."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import (
    error_responses,
    optional_text,
    paginated,
    validated_input,
)
from sinergi.documents.api import (
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
    IgnoreAcceptNegotiation,
    OwnerDocumentsApi,
)
from sinergi.tenants.models import Agency

from .. import selectors, services
from .. import taxonomy as t
from ..forms import DocumentKind
from ..models import Case, Person, RightItem
from .common import (
    DEFAULT_THROTTLES,
    ERR_AGENCY,
    ERR_VICTIM,
    MAX_REVEAL,
    RIGHT_STATUS_INPUT_CHOICES,
    RevealThrottle,
    SummaryThrottle,
    _case_for,
    _projection,
)
from .inputs import PersonInputSerializer, TriageInputSerializer, _person_input
from .shapes import (
    CaseProjectionSerializer,
    DiversionOutputSerializer,
    PersonProjectionSerializer,
    ReferralOutputSerializer,
    RightItemOutputSerializer,
    TimelineEntryOutputSerializer,
    _diversion_out,
    _referral_out,
    _right_out,
    _timeline_out,
)


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
        from .. import pdf

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
        consent_given_by = serializers.ChoiceField(
            t.ConsentGiver.choices,
            required=False,
            allow_null=True,
            default=None,
            help_text="Who consented to sharing with this agency; omit when a consent is already on record.",
        )
        consent_giver_name = optional_text(200)
        consent_method = serializers.ChoiceField(t.ConsentMethod.choices, required=False, allow_null=True, default=None)
        consent_given_on = serializers.DateField(required=False, allow_null=True, default=None)
        emergency_reason = optional_text(
            2000, help_text="Office head only: refer without recorded consent in an emergency (audited)."
        )

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
            consent=services.ConsentInput(
                given_by=d["consent_given_by"],
                method=d["consent_method"] or "",
                given_on=d["consent_given_on"],
                giver_name=d["consent_giver_name"],
            )
            if d["consent_given_by"]
            else None,
            emergency_reason=d["emergency_reason"],
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
