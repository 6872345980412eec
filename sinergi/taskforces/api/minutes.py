"""Minutes per agenda item and the numbered agreements taken from them."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy

from .. import services
from ..models import Agreement
from .common import _agency, _errors, _meeting, _valid
from .serializers import AgreementOutputSerializer, MeetingDetailSerializer, _meeting_detail, agreement_out


class MinutesApi(APIView):
    class ItemSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        discussion = serializers.CharField(required=False, allow_blank=True)
        speakers = serializers.CharField(required=False, allow_blank=True)
        decisions = serializers.CharField(required=False, allow_blank=True)

        class Meta:
            ref_name = "TaskforceMinutesItem"

    class InputSerializer(serializers.Serializer):
        summary = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
        items = serializers.ListField(child=serializers.DictField(), required=False, default=list)

        class Meta:
            ref_name = "TaskforceMinutesInput"

    @extend_schema(
        operation_id="taskforces_minutes_save",
        summary="Save the minutes per agenda item (secretariat)",
        request=InputSerializer,
        responses={200: MeetingDetailSerializer, **_errors(400, 403, 404)},
    )
    def put(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        d = _valid(self.InputSerializer, request.data)
        items = [_valid(self.ItemSerializer, item) for item in d["items"]]
        meeting = services.minutes_save(actor=request.user, meeting=meeting, items=items, summary=d["summary"])
        return Response(_meeting_detail(request, meeting))


class MeetingAgreementsApi(APIView):
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField()
        owner_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        supporter_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
        due_on = serializers.DateField(required=False, allow_null=True, default=None)
        parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        agenda_item_id = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "TaskforceAgreementInput"

    @extend_schema(
        operation_id="taskforces_agreements_create",
        summary="Add a numbered agreement (or sub-agreement) from the minutes (secretariat)",
        request=InputSerializer,
        responses={201: AgreementOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        policy.require(request.user, "taskforces.manage_meeting", meeting)
        d = _valid(self.InputSerializer, request.data)
        supporters = [_agency(request.user, s) for s in d["supporter_ids"]]
        parent = get_object_or_404(Agreement, pk=d["parent_id"], meeting=meeting) if d["parent_id"] else None
        item = get_object_or_404(meeting.agenda, pk=d["agenda_item_id"]) if d["agenda_item_id"] else None
        agreement = services.agreement_create(
            actor=request.user,
            meeting=meeting,
            text=d["text"],
            owner=_agency(request.user, d["owner_id"]),
            supporters=supporters,
            due_on=d["due_on"],
            parent=parent,
            agenda_item=item,
        )
        return Response(agreement_out(agreement), status=status.HTTP_201_CREATED)
