"""Attendance: who checked in, attendees added by hand."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy

from .. import services
from ..models import Meeting
from .common import _errors, _meeting, _valid


class AttendanceOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    method = serializers.CharField()
    checked_in_at = serializers.DateTimeField()

    class Meta:
        ref_name = "TaskforceAttendance"


def attendance_out(a) -> dict:
    return {
        "id": str(a.pk),
        "name": a.name,
        "position": a.position,
        "organisation": a.organisation,
        "method": a.method,
        "checked_in_at": a.checked_in_at.isoformat(),
    }


class AttendanceApi(APIView):
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=160)
        position = serializers.CharField(max_length=160, required=False, default="")
        organisation = serializers.CharField(max_length=200, required=False, default="")

        class Meta:
            ref_name = "TaskforceAttendeeInput"

    @extend_schema(
        operation_id="taskforces_attendance_list",
        summary="Who checked in (secretariat)",
        responses={200: AttendanceOutputSerializer(many=True), **_errors(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        policy.require(request.user, "taskforces.manage_meeting", meeting)
        return Response([attendance_out(a) for a in meeting.attendances.all()])

    @extend_schema(
        operation_id="taskforces_attendance_add",
        summary="Add an attendee by hand (secretariat)",
        request=InputSerializer,
        responses={201: AttendanceOutputSerializer, 200: AttendanceOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        d = _valid(self.InputSerializer, request.data)
        attendance, created = services.attendance_add(actor=request.user, meeting=meeting, **d)
        return Response(attendance_out(attendance), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CheckinApi(APIView):
    """The QR check-in for an API client signed in as a user of the tenant: the same signed code and the
    same service as the page, so a code of meeting A never checks anyone into meeting B and an expired
    code is refused. The code is the key (as on the page): no need-to-know on the meeting beyond the
    tenant; a meeting of another tenant is 404."""

    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=500, help_text="The signed code of the QR link (`?c=`).")
        name = serializers.CharField(max_length=160, required=False, default="", allow_blank=True)
        position = serializers.CharField(max_length=160, required=False, default="", allow_blank=True)
        organisation = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

        class Meta:
            ref_name = "TaskforceCheckinInput"

    @extend_schema(
        operation_id="taskforces_checkin",
        summary="Check in with the signed code of the QR link",
        description="The signed-in user is recognised (name and organisation default to the account). "
        "A second check-in returns the first (200).",
        request=InputSerializer,
        responses={201: AttendanceOutputSerializer, 200: AttendanceOutputSerializer, **_errors(400, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        meeting = get_object_or_404(Meeting, pk=pk, tenant_id=request.user.tenant_id)
        d = _valid(self.InputSerializer, request.data)
        attendance, created = services.attendance_checkin(meeting=meeting, user=request.user, **d)
        return Response(attendance_out(attendance), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
