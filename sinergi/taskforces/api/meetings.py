"""Meetings: list and create, detail, invitation (issue, send), PDF and Word copies, UANG documents."""

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_errors import validation_details
from sinergi.documents.api import DocumentOutputSerializer, DocumentUploadInputSerializer, OwnerDocumentsApi

from .. import selectors, services
from ..events import Event
from ..models import Meeting, MeetingStatus, MeetingType
from ..services.letters import MIME_DOCX
from .common import MEETING_DOCUMENT_KIND_CHOICES, _errors, _meeting, _valid
from .serializers import MeetingDetailSerializer, MeetingOutputSerializer, _meeting_detail, meeting_out


class MeetingListApi(APIView):
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        body_id = serializers.UUIDField()
        type = serializers.ChoiceField(MeetingType.choices)
        title = serializers.CharField(max_length=250)
        starts_at = serializers.DateTimeField(help_text="With its offset, e.g. 2023-01-04T09:00:00+08:00.")
        ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
        venue = serializers.CharField(max_length=250, required=False, default="")
        online_url = serializers.URLField(required=False, default="")
        agenda = serializers.ListField(child=serializers.CharField(max_length=250), min_length=1)
        invited_member_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
        chair_name = serializers.CharField(max_length=200, required=False, default="")
        note_taker_name = serializers.CharField(max_length=200, required=False, default="")
        follows_up_id = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "TaskforceMeetingInput"

    @extend_schema(
        operation_id="taskforces_meetings_list",
        summary="Meetings I may see, newest first",
        responses={200: MeetingOutputSerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        policy.require(request.user, "taskforces.view_taskforces")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.meeting_list_for_user(user=request.user).select_related(
                "tenant", "chair_user", "note_taker_user"
            ),
            request,
            view=self,
        )
        uang = selectors.uang_for_meetings(page)
        return paginator.get_paginated_response([meeting_out(m, uang[m.pk]) for m in page])

    @extend_schema(
        operation_id="taskforces_meetings_create",
        summary="Create a meeting (secretariat)",
        request=InputSerializer,
        responses={201: MeetingDetailSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        d = _valid(self.InputSerializer, request.data)
        body = selectors.body_get_for_user(user=request.user, pk=d["body_id"])
        members = list(body.members.filter(pk__in=d["invited_member_ids"]))
        if len(members) != len(set(d["invited_member_ids"])):
            raise serializers.ValidationError({"invited_member_ids": ["Only members of the body can be invited."]})
        follows_up = None
        if d["follows_up_id"]:
            follows_up = selectors.meeting_get_for_user(user=request.user, pk=d["follows_up_id"])
        meeting = services.meeting_create(
            actor=request.user,
            body=body,
            type=d["type"],
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            venue=d["venue"],
            online_url=d["online_url"],
            agenda=d["agenda"],
            invited=members,
            chair_name=d["chair_name"],
            note_taker_name=d["note_taker_name"],
            follows_up=follows_up,
        )
        return Response(_meeting_detail(request, meeting), status=status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    @extend_schema(
        operation_id="taskforces_meetings_retrieve",
        summary="A meeting: agenda with minutes, the agreements I may see, UANG",
        responses={200: MeetingDetailSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(_meeting_detail(request, _meeting(request, pk)))


class InvitationApi(APIView):
    class InputSerializer(serializers.Serializer):
        signatory_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        nature = serializers.CharField(max_length=60, required=False, default="Penting", help_text="Sifat.")
        attachment = serializers.CharField(max_length=60, required=False, default="-", help_text="Lampiran.")
        subject = serializers.CharField(max_length=200, required=False, default="", help_text="Hal/perihal.")

        class Meta:
            ref_name = "TaskforceInvitationInput"

    @extend_schema(
        operation_id="taskforces_invitation_issue",
        summary="Issue the invitation (takes the nomor surat once)",
        request=InputSerializer,
        responses={200: MeetingDetailSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        d = _valid(self.InputSerializer, request.data)
        try:
            # The service asks tenants.selectors.letter_signatory, the one owner of "which signatory may
            # sign" (this tenant's, active); its error names the model field, the API's input is the id.
            meeting = services.invitation_issue(
                actor=request.user,
                meeting=meeting,
                signatory=d["signatory_id"],
                nature=d["nature"],
                attachment=d["attachment"],
                subject=d["subject"],
            )
        except DjangoValidationError as error:
            details = validation_details(error)
            if "signatory" in details:
                details["signatory_id"] = details.pop("signatory")
            raise serializers.ValidationError(details) from error
        return Response(_meeting_detail(request, meeting))


class InvitationSendApi(APIView):
    class OutputSerializer(serializers.Serializer):
        addressees = serializers.IntegerField()

        class Meta:
            ref_name = "TaskforceInvitationSent"

    @extend_schema(
        operation_id="taskforces_invitation_send",
        summary="E-mail the invitation PDF to every invited member (delivery per addressee)",
        request=None,
        responses={202: OutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        count = services.invitation_send(actor=request.user, meeting=_meeting(request, pk))
        return Response({"addressees": count}, status=status.HTTP_202_ACCEPTED)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class MeetingPdfApi(APIView):
    """invitation / attendance / minutes / report as PDF."""

    kind = ""

    @extend_schema(
        operation_id="taskforces_meeting_pdf",
        summary="A PDF of the meeting: undangan, daftar hadir, notulen or follow-up report",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(400, 403, 404)},
    )
    def get(self, request: Request, pk: UUID, kind: str) -> HttpResponse:
        meeting = _meeting(request, pk)
        if kind == "invitation":
            data = services.invitation_pdf(meeting=meeting)
        elif kind == "attendance":
            policy.require(request.user, "taskforces.manage_meeting", meeting)
            data = services.attendance_pdf(meeting=meeting)
        elif kind == "minutes":
            policy.require(request.user, "taskforces.manage_meeting", meeting)
            data = services.minutes_pdf(meeting=meeting)
        elif kind == "report":
            agreements = selectors.agreements_for_meeting(user=request.user, meeting=meeting)
            data = services.followup_report_pdf(meeting=meeting, agreements=agreements)
        else:
            raise Http404
        audit(actor=request.user, action=Event.REPORT_EXPORTED, obj=meeting, extra={"what": kind})
        return _pdf_response(data, f"{kind}-{meeting.pk}.pdf")


class MeetingDocxApi(APIView):
    @extend_schema(
        operation_id="taskforces_meeting_docx",
        summary="An editable Word copy: invitation or minutes (secretariat)",
        responses={(200, MIME_DOCX): OpenApiTypes.BINARY, **_errors(400, 403, 404)},
    )
    def get(self, request: Request, pk: UUID, kind: str) -> HttpResponse:
        meeting = _meeting(request, pk)
        policy.require(request.user, "taskforces.manage_meeting", meeting)
        if kind == "invitation":
            data = services.invitation_docx(meeting=meeting)
        elif kind == "minutes":
            data = services.minutes_docx(meeting=meeting)
        else:
            raise Http404
        audit(actor=request.user, action=Event.REPORT_EXPORTED, obj=meeting, extra={"what": f"{kind}_docx"})
        response = HttpResponse(data, content_type=MIME_DOCX)
        response["Content-Disposition"] = f'attachment; filename="{kind}-{meeting.pk}.docx"'
        return response


class MeetingDocumentsApi(OwnerDocumentsApi):
    class InputSerializer(DocumentUploadInputSerializer):
        kind = serializers.ChoiceField(MEETING_DOCUMENT_KIND_CHOICES)

        class Meta:
            ref_name = "TaskforceMeetingDocumentUpload"

    def get_owner(self, request: Request, pk: UUID) -> Meeting:
        return _meeting(request, pk)

    def add_document(self, *, actor, owner, kind, uploaded_file, title):
        return services.meeting_document_add(
            actor=actor, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
        )

    @extend_schema(
        operation_id="taskforces_meeting_documents_list",
        summary="UANG documents and photos",
        responses={200: DocumentOutputSerializer(many=True), **_errors(403, 404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return super().get(request, pk)

    @extend_schema(
        operation_id="taskforces_meeting_documents_upload",
        summary="Upload a photo or scan (photos must not identify children)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        return super().post(request, pk)


class MeetingSeriesApi(APIView):
    class InputSerializer(serializers.Serializer):
        body_id = serializers.UUIDField()
        type = serializers.ChoiceField(MeetingType.choices)
        title = serializers.CharField(max_length=250)
        rule = serializers.CharField(max_length=500, help_text="RFC 5545 RRULE, e.g. FREQ=MONTHLY;INTERVAL=3;COUNT=4.")
        first_starts_at = serializers.DateTimeField(help_text="With its offset, e.g. 2023-01-04T09:00:00+08:00.")
        duration_minutes = serializers.IntegerField(min_value=15, max_value=24 * 60)
        venue = serializers.CharField(max_length=250, required=False, default="")
        agenda = serializers.ListField(child=serializers.CharField(max_length=250), min_length=1)
        invited_member_ids = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)

        class Meta:
            ref_name = "TaskforceMeetingSeriesInput"

    @extend_schema(
        operation_id="taskforces_meeting_series_create",
        summary="Create the meetings of a recurrence rule (secretariat)",
        description="Every occurrence becomes a meeting at the same local time of the tenant.",
        request=InputSerializer,
        responses={201: MeetingOutputSerializer(many=True), **_errors(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        d = _valid(self.InputSerializer, request.data)
        body = selectors.body_get_for_user(user=request.user, pk=d["body_id"])
        members = list(body.members.filter(pk__in=d["invited_member_ids"]))
        if len(members) != len(set(d["invited_member_ids"])):
            raise serializers.ValidationError({"invited_member_ids": ["Only members of the body can be invited."]})
        series = services.meeting_series_create(
            actor=request.user,
            body=body,
            type=d["type"],
            title=d["title"],
            rule=d["rule"],
            first_starts_at=d["first_starts_at"],
            duration=dt.timedelta(minutes=d["duration_minutes"]),
            agenda=d["agenda"],
            venue=d["venue"],
            invited=members,
        )
        meetings = list(series.meetings.select_related("body", "tenant").order_by("starts_at"))
        uang = selectors.uang_for_meetings(meetings)
        return Response([meeting_out(m, uang[m.pk]) for m in meetings], status=status.HTTP_201_CREATED)


class MeetingStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(MeetingStatus.choices)

        class Meta:
            ref_name = "TaskforceMeetingStatusInput"

    @extend_schema(
        operation_id="taskforces_meeting_status",
        summary="Change a meeting's status: planned, held, cancelled (secretariat)",
        request=InputSerializer,
        responses={200: MeetingDetailSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        meeting = _meeting(request, pk)
        d = _valid(self.InputSerializer, request.data)
        meeting = services.meeting_set_status(actor=request.user, meeting=meeting, status=d["status"])
        return Response(_meeting_detail(request, meeting))
