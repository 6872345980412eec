"""Shared by the task-force API modules: document kinds, error responses, input validation and the
visibility-checked lookups (404 when not visible)."""

from typing import Any
from uuid import UUID

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request

from sinergi.core.schema import ErrorOutputSerializer
from sinergi.tenants.models import Agency

from .. import selectors
from ..models import Agreement, Meeting
from ..services.meetings import MEETING_DOCUMENT_KINDS

MEETING_DOCUMENT_KIND_CHOICES = [(k, k) for k in MEETING_DOCUMENT_KINDS]
AGREEMENT_DOCUMENT_KIND_CHOICES = [("evidence", "evidence")]

_ERROR_TEXT = {
    400: "Invalid input; field errors are in `error.details`.",
    403: "Visible to you, but this action is not allowed for you (or not in this state).",
    404: "Missing, or not visible to you (the two look the same).",
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorOutputSerializer, description=_ERROR_TEXT[code]) for code in codes}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _agency(user, pk) -> Agency | None:
    if pk is None:
        return None
    agency = Agency.objects.filter(pk=pk, tenant_id=user.tenant_id).first()
    if agency is None:
        raise serializers.ValidationError({"agency": ["Unknown agency."]})
    return agency


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _meeting(request: Request, pk: UUID) -> Meeting:
    return selectors.meeting_get_for_user(user=request.user, pk=pk)


def _agreement(request: Request, pk: UUID) -> Agreement:
    return selectors.agreement_get_for_user(user=request.user, pk=pk)
