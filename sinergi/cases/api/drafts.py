"""Intake drafts (a client saving as the user types)."""

import json
from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api_support import (
    error_responses,
    validated_input,
)

from .. import services
from ..models import IntakeDraft


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
