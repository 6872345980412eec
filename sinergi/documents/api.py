from typing import Any
from uuid import UUID

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from sinergi.accounts.models import User
from sinergi.core import policy
from sinergi.core.http import AuthenticatedRequest

from . import selectors, services
from .models import Document
from .policy import owner_permission


class DocumentDownloadThrottle(UserRateThrottle):
    scope = "document_download"
    rate = "300/hour"


class IgnoreAcceptNegotiation(BaseContentNegotiation):
    """The body is the file whatever the client accepts; errors still render as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentDownloadApi(APIView):
    throttle_classes = [DocumentDownloadThrottle]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        operation_id="documents_download",
        responses={
            # The body carries the sniffed type of the stored file.
            **{
                (200, mime): OpenApiResponse(response=OpenApiTypes.BINARY, description="The decrypted file.")
                for mime in sorted(services.ALLOWED_MIMES)
            },
            404: OpenApiResponse(description="Missing, deleted or not visible to you."),
        },
    )
    def get(self, request: AuthenticatedRequest, pk: UUID):
        document = selectors.document_get_for_user(user=request.user, pk=pk)
        return services.document_response(actor=request.user, document=document)


# ---- One attachment path for any owner -------------------------------------------------------


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    mime = serializers.CharField()
    size = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    download_url = serializers.CharField(help_text="Permission-checked, audited download.")

    class Meta:
        ref_name = "CaseDocument"


class DocumentUploadInputSerializer(serializers.Serializer):
    """Base of an owner's upload input: a subclass adds `kind` as a ChoiceField of its allowed kinds."""

    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="May name a person: stored encrypted."
    )
    file = serializers.FileField(
        help_text="PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS or UTF-8 text; checked by content, EXIF removed."
    )

    class Meta:
        ref_name = "DocumentUpload"


def document_out(document: Document) -> dict:
    """The JSON shape of one document link (title decrypted: the caller may view the owner's documents)."""
    return {
        "id": str(document.pk),
        "kind": document.kind,
        "title": document.title,
        "mime": document.mime,
        "size": document.size,
        "created_at": document.created_at.isoformat(),
        "download_url": reverse("documents_api:download", args=[document.pk]),
    }


class OwnerDocumentsApi(APIView):
    """List (GET) and upload (POST, multipart) the documents of one owner object.

    A subclass names the owner and what may be attached to it:

    - `get_owner(request, pk)`: the owner if visible to the user, Http404 otherwise;
    - `InputSerializer`: parses `kind` (the owner's allowed kinds), `title` and `file`;
    - `add_document(actor=, owner=, kind=, uploaded_file=, title=)`: the owner app's service.

    Permissions are the owner app's `view_/manage_<model>_documents` rules (documents/policy.py):
    403 when the owner is visible but the action is not allowed.
    """

    parser_classes = [MultiPartParser, FormParser]
    InputSerializer: type[serializers.Serializer]

    def get_owner(self, request: AuthenticatedRequest, pk: UUID) -> Any:
        raise NotImplementedError

    def add_document(self, *, actor: User, owner: Any, kind: str, uploaded_file: Any, title: str) -> Document:
        raise NotImplementedError

    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        owner = self.get_owner(request, pk)
        policy.require(request.user, owner_permission(owner, "view"), owner)
        return Response([document_out(document) for document in selectors.documents_for_owner(owner=owner)])

    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        owner = self.get_owner(request, pk)
        policy.require(request.user, owner_permission(owner, "manage"), owner)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        document = self.add_document(
            actor=request.user, owner=owner, kind=d["kind"], uploaded_file=d["file"], title=d.get("title", "")
        )
        return Response(document_out(document), status=status.HTTP_201_CREATED)
