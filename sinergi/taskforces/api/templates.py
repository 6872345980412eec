"""The office's own Word templates (invitation, minutes): list, upload (validated, versioned), back to the
default. Secretariat only."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import LetterTemplateKind
from .common import _errors, _iso, _valid


class TemplateVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    document_id = serializers.UUIDField(allow_null=True, help_text="The stored DOCX (documents API).")
    created_at = serializers.DateTimeField()
    retired = serializers.BooleanField()

    class Meta:
        ref_name = "TaskforceTemplateVersion"


class TemplateOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(LetterTemplateKind.choices)
    current_version = serializers.IntegerField(allow_null=True, help_text="null: the committed default is used.")
    versions = TemplateVersionSerializer(many=True)

    class Meta:
        ref_name = "TaskforceTemplate"


def _version_out(t) -> dict:
    return {
        "version": t.version,
        "document_id": str(t.document_id) if t.document_id else None,
        "created_at": _iso(t.created_at),
        "retired": t.retired_at is not None,
    }


def _row_out(row: dict) -> dict:
    return {
        "kind": row["kind"],
        "current_version": row["current"].version if row["current"] else None,
        "versions": [_version_out(t) for t in row["history"]],
    }


class LetterTemplateListApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(LetterTemplateKind.choices)
        file = serializers.FileField(help_text="A Word document (.docx) with docxtpl {{ … }} fields.")

        class Meta:
            ref_name = "TaskforceTemplateUpload"

    @extend_schema(
        operation_id="taskforces_templates_list",
        summary="The office's Word templates and their versions (secretariat)",
        responses={200: TemplateOutputSerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        return Response([_row_out(r) for r in selectors.letter_templates_for_user(user=request.user)])

    @extend_schema(
        operation_id="taskforces_templates_upload",
        summary="Upload a new version of a Word template; refused (400, nothing saved) unless it is a DOCX "
        "without macros or DTD that fills in with a sample meeting",
        request={"multipart/form-data": InputSerializer},
        responses={201: TemplateVersionSerializer, **_errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = _valid(self.InputSerializer, request.data)
        template = services.template_upload(
            actor=request.user, tenant=request.user.tenant, kind=d["kind"], uploaded_file=d["file"]
        )
        return Response(_version_out(template), status=status.HTTP_201_CREATED)


class LetterTemplateResetApi(APIView):
    @extend_schema(
        operation_id="taskforces_templates_reset",
        summary="Back to the committed default template (uploaded versions are kept, retired)",
        request=None,
        responses={200: TemplateOutputSerializer, **_errors(403, 404)},
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in LetterTemplateKind.values:
            raise Http404
        services.template_reset(actor=request.user, tenant=request.user.tenant, kind=kind)
        rows = selectors.letter_templates_for_user(user=request.user)
        return Response(_row_out(next(r for r in rows if r["kind"] == kind)))
