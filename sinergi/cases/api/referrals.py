"""Referrals, as the receiving agency sees them."""

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import (
    error_responses,
    optional_text,
    paginated,
    validated_input,
    validated_query,
)
from sinergi.documents.api import (
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
    OwnerDocumentsApi,
)

from .. import selectors, services
from .. import taxonomy as t
from ..forms_referral import ReferralDocumentKind
from ..models import Referral
from .case import ReasonInputSerializer
from .common import INBOX_STATUS_CHOICES, _projection
from .shapes import (
    CaseProjectionSerializer,
    ReferralOutputSerializer,
    ServiceRecordOutputSerializer,
    _referral_out,
    _service_out,
)


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


class ReferralLetterApi(APIView):
    class InputSerializer(serializers.Serializer):
        signatory = serializers.UUIDField(
            required=False, allow_null=True, default=None, help_text="An active signatory; none: the default."
        )

        class Meta:
            ref_name = "ReferralLetter"

    @extend_schema(
        operation_id="cases_referral_letter",
        summary="The referral letter (surat rujukan) as a PDF (case team; the first print takes a nomor surat)",
        request=InputSerializer,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The letter PDF."),
            **error_responses(400, 403, 404),
        },
    )
    def post(self, request: Request, pk: UUID) -> HttpResponse:
        from ..views_referral import letter_response

        referral = _referral_for(request, pk)
        policy.require(request.user, "cases.print_referral_letter", referral)
        d = validated_input(self.InputSerializer, request.data)
        pdf = services.referral_letter_pdf(actor=request.user, referral=referral, signatory=d["signatory"])
        return letter_response(pdf, referral)


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
