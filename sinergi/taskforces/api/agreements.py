"""Agreements: list, detail and changes, progress, extensions, dropping, following, evidence."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import clock, policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import paginated
from sinergi.documents.api import DocumentOutputSerializer, DocumentUploadInputSerializer, OwnerDocumentsApi

from .. import selectors, services
from ..models import Agreement, AgreementStatus, ExtensionRequest
from ..overdue import overdue_q
from .common import AGREEMENT_DOCUMENT_KIND_CHOICES, _agency, _agreement, _errors, _meeting, _valid
from .serializers import AgreementOutputSerializer, agreement_out


class AgreementListApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(AgreementStatus.choices, required=False)
        mine = serializers.BooleanField(
            required=False, default=False, help_text="The open agreements my agency owns (with overdue: none)."
        )
        overdue = serializers.BooleanField(required=False, default=False)

        class Meta:
            ref_name = "TaskforceAgreementFilter"

    @extend_schema(
        operation_id="taskforces_agreements_list",
        summary="Agreements I may see",
        parameters=[FilterSerializer],
        responses={200: AgreementOutputSerializer(many=True), **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        d = _valid(self.FilterSerializer, request.query_params)
        if d["mine"]:
            qs = selectors.commitments_for_user(user=request.user)
            if d["overdue"]:
                qs = qs.filter(overdue_q(clock.tenant_today(request.user.tenant)))
            if d.get("status"):
                qs = qs.filter(status=d["status"])
        else:
            qs = selectors.agreement_list_for_user(
                user=request.user, status=d.get("status"), overdue=d["overdue"]
            ).order_by("due_on", "pk")
        return paginated(self, request, qs, agreement_out)


class AgreementDetailApi(APIView):
    class PatchSerializer(serializers.Serializer):
        text = serializers.CharField(required=False)
        owner_id = serializers.UUIDField(
            required=False, allow_null=True, help_text="null removes the owner (with a reason)."
        )
        supporter_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
        due_on = serializers.DateField(
            required=False, allow_null=True, help_text="null removes the due date (with a reason)."
        )
        reason = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            help_text="Needed to remove the owner or the due date; kept in the due-date history and the audit log.",
        )

        class Meta:
            ref_name = "TaskforceAgreementPatch"

    @extend_schema(
        operation_id="taskforces_agreements_retrieve",
        summary="An agreement",
        responses={200: AgreementOutputSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(agreement_out(_agreement(request, pk)))

    @extend_schema(
        operation_id="taskforces_agreements_update",
        summary="Change text, owner, supporters or due date, or remove the owner or due date with a reason (secretariat; the due-date history is kept)",
        request=PatchSerializer,
        responses={200: AgreementOutputSerializer, **_errors(400, 403, 404)},
    )
    def patch(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        policy.require(request.user, "taskforces.manage_agreement", agreement)
        d = _valid(self.PatchSerializer, request.data)
        supporters = [_agency(request.user, s) for s in d["supporter_ids"]] if "supporter_ids" in d else None
        agreement = services.agreement_change(
            actor=request.user,
            agreement=agreement,
            text=d.get("text"),
            owner=_agency(request.user, d.get("owner_id")),
            supporters=supporters,
            due_on=d.get("due_on"),
            reason=d["reason"],
            clear_owner="owner_id" in d and d["owner_id"] is None,
            clear_due_on="due_on" in d and d["due_on"] is None,
        )
        return Response(agreement_out(agreement))


class ProgressOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    progress = serializers.IntegerField()
    status = serializers.CharField()
    evidence_document_id = serializers.UUIDField(allow_null=True)
    evidence_url = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "TaskforceProgress"


def progress_out(u) -> dict:
    return {
        "id": str(u.pk),
        "text": u.text,
        "progress": u.progress,
        "status": u.status,
        "evidence_document_id": str(u.evidence_document_id) if u.evidence_document_id else None,
        "evidence_url": u.evidence_url,
        "created_at": u.created_at.isoformat(),
    }


class AgreementProgressApi(APIView):
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField()
        progress = serializers.IntegerField(min_value=0, max_value=100)
        status = serializers.ChoiceField(
            [c for c in AgreementStatus.choices if c[0] != AgreementStatus.DROPPED], required=False
        )
        evidence_document_id = serializers.UUIDField(
            required=False, allow_null=True, default=None, help_text="A document already attached to this agreement."
        )
        evidence_url = serializers.URLField(required=False, default="")

        class Meta:
            ref_name = "TaskforceProgressInput"

    @extend_schema(
        operation_id="taskforces_progress_list",
        summary="Progress updates, newest first",
        responses={200: ProgressOutputSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        return Response([progress_out(u) for u in selectors.agreement_updates(agreement=agreement)])

    @extend_schema(
        operation_id="taskforces_progress_create",
        summary="Post progress with evidence (owner agency or secretariat)",
        request=InputSerializer,
        responses={201: ProgressOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        from sinergi.documents.models import Document

        agreement = _agreement(request, pk)
        policy.require(request.user, "taskforces.update_agreement", agreement)
        d = _valid(self.InputSerializer, request.data)
        document = None
        if d["evidence_document_id"]:
            document = (
                Document.objects.live().filter(pk=d["evidence_document_id"], tenant_id=agreement.tenant_id).first()
            )
            if document is None:
                raise serializers.ValidationError({"evidence_document_id": ["Unknown document."]})
        update = services.agreement_progress_add(
            actor=request.user,
            agreement=agreement,
            text=d["text"],
            progress=d["progress"],
            status=d.get("status"),
            evidence_document=document,
            evidence_url=d["evidence_url"],
        )
        return Response(progress_out(update), status=status.HTTP_201_CREATED)


class ExtensionOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    requested_due_on = serializers.DateField()
    reason = serializers.CharField()
    status = serializers.CharField()
    decision_note = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TaskforceExtension"


def extension_out(e) -> dict:
    return {
        "id": str(e.pk),
        "requested_due_on": e.requested_due_on.isoformat(),
        "reason": e.reason,
        "status": e.status,
        "decision_note": e.decision_note,
    }


class AgreementExtensionApi(APIView):
    class InputSerializer(serializers.Serializer):
        due_on = serializers.DateField()
        reason = serializers.CharField()

        class Meta:
            ref_name = "TaskforceExtensionInput"

    @extend_schema(
        operation_id="taskforces_extension_request",
        summary="Ask for a later due date (owner agency)",
        request=InputSerializer,
        responses={201: ExtensionOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        d = _valid(self.InputSerializer, request.data)
        extension = services.extension_request(actor=request.user, agreement=agreement, **d)
        return Response(extension_out(extension), status=status.HTTP_201_CREATED)


class ExtensionDecisionApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        note = serializers.CharField(required=False, default="", allow_blank=True)

        class Meta:
            ref_name = "TaskforceExtensionDecision"

    @extend_schema(
        operation_id="taskforces_extension_decide",
        summary="Approve or refuse (secretariat)",
        request=InputSerializer,
        responses={200: ExtensionOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID, extension_pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        extension = get_object_or_404(ExtensionRequest, pk=extension_pk, agreement=agreement)
        d = _valid(self.InputSerializer, request.data)
        extension = services.extension_decide(actor=request.user, extension=extension, **d)
        return Response(extension_out(extension))


class AgreementDropApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField()

        class Meta:
            ref_name = "TaskforceDropInput"

    @extend_schema(
        operation_id="taskforces_agreement_drop",
        summary="Drop an agreement with a reason (secretariat)",
        request=InputSerializer,
        responses={200: AgreementOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        d = _valid(self.InputSerializer, request.data)
        return Response(agreement_out(services.agreement_drop(actor=request.user, agreement=agreement, **d)))


class AgreementFollowApi(APIView):
    class OutputSerializer(serializers.Serializer):
        following = serializers.BooleanField()

        class Meta:
            ref_name = "TaskforceFollow"

    @extend_schema(
        operation_id="taskforces_agreement_follow",
        summary="Follow (be notified of changes)",
        request=None,
        responses={200: OutputSerializer, **_errors(404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        return Response({"following": services.agreement_follow(actor=request.user, agreement=_agreement(request, pk))})

    @extend_schema(
        operation_id="taskforces_agreement_unfollow",
        summary="Stop following",
        responses={200: OutputSerializer, **_errors(404)},
    )
    def delete(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        return Response({"following": services.agreement_follow(actor=request.user, agreement=agreement, follow=False)})


class AgreementDocumentsApi(OwnerDocumentsApi):
    class InputSerializer(DocumentUploadInputSerializer):
        kind = serializers.ChoiceField(AGREEMENT_DOCUMENT_KIND_CHOICES)

        class Meta:
            ref_name = "TaskforceAgreementDocumentUpload"

    def get_owner(self, request: Request, pk: UUID) -> Agreement:
        return _agreement(request, pk)

    def add_document(self, *, actor, owner, kind, uploaded_file, title):
        return services.agreement_document_add(
            actor=actor, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
        )

    @extend_schema(
        operation_id="taskforces_agreement_documents_list",
        summary="Evidence of an agreement",
        responses={200: DocumentOutputSerializer(many=True), **_errors(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return super().get(request, pk)

    @extend_schema(
        operation_id="taskforces_agreement_documents_upload",
        summary="Upload evidence (owner agency)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        return super().post(request, pk)


class AgreementReviewedApi(APIView):
    class InputSerializer(serializers.Serializer):
        meeting_id = serializers.UUIDField(
            help_text="The follow-up meeting where it was reviewed: a meeting whose `follows_up` is the agreement's "
            "meeting (anything else is a 400)."
        )

        class Meta:
            ref_name = "TaskforceAgreementReviewedInput"

    @extend_schema(
        operation_id="taskforces_agreement_reviewed",
        summary="Mark an agreement as reviewed at the follow-up meeting of its meeting (secretariat)",
        request=InputSerializer,
        responses={200: AgreementOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        agreement = _agreement(request, pk)
        d = _valid(self.InputSerializer, request.data)
        meeting = _meeting(request, d["meeting_id"])
        agreement = services.agreement_mark_reviewed(actor=request.user, agreement=agreement, meeting=meeting)
        return Response(agreement_out(agreement))
