"""The task forces in the JSON API: bodies, meetings (UANG, invitation, minutes, attendance, documents),
agreements (progress, extensions, dropping, following), the secretariat's aggregates and the calendar feed.
Same selectors and services as the pages: 404 when not visible, 403 when visible but not allowed."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.core.api import StandardPagination
from sinergi.core.schema import ErrorOutputSerializer
from sinergi.documents.api import DocumentOutputSerializer, DocumentUploadInputSerializer, OwnerDocumentsApi
from sinergi.tenants.models import Agency

from . import selectors, services
from .events import Event
from .models import (
    Agreement,
    AgreementStatus,
    BodyKind,
    ExtensionRequest,
    Meeting,
    MeetingType,
    PartnerKind,
)
from .services.letters import MIME_DOCX
from .services.meetings import MEETING_DOCUMENT_KINDS

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


# ---- Output shapes ------------------------------------------------------------------------------


class UangSerializer(serializers.Serializer):
    undangan = serializers.BooleanField()
    absen = serializers.BooleanField()
    notulen = serializers.BooleanField()
    gambar = serializers.BooleanField()

    class Meta:
        ref_name = "TaskforceUang"


class AgreementOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    meeting_id = serializers.UUIDField()
    parent_id = serializers.UUIDField(allow_null=True)
    number = serializers.CharField(help_text="'3', or '3.2' for a sub-agreement.")
    text = serializers.CharField()
    owner = serializers.CharField(allow_null=True, help_text="Short name of the owner agency.")
    owner_id = serializers.UUIDField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(AgreementStatus.choices)
    dropped_reason = serializers.CharField(allow_blank=True)
    progress = serializers.IntegerField()
    done_on = serializers.DateField(allow_null=True)
    reviewed_at_meeting_id = serializers.UUIDField(allow_null=True)
    is_demo_values = serializers.BooleanField(help_text="Owner, due date, status or progress are demo values.")
    url = serializers.CharField()

    class Meta:
        ref_name = "TaskforceAgreement"


def agreement_out(a: Agreement) -> dict:
    return {
        "id": str(a.pk),
        "meeting_id": str(a.meeting_id),
        "parent_id": str(a.parent_id) if a.parent_id else None,
        "number": a.label,
        "text": a.text,
        "owner": a.owner.short_name if a.owner_id else None,
        "owner_id": str(a.owner_id) if a.owner_id else None,
        "due_on": _iso(a.due_on),
        "status": a.status,
        "dropped_reason": a.dropped_reason,
        "progress": a.progress,
        "done_on": _iso(a.done_on),
        "reviewed_at_meeting_id": str(a.reviewed_at_id) if a.reviewed_at_id else None,
        "is_demo_values": a.is_demo_values,
        "url": reverse("taskforces_api:agreement_detail", args=[a.pk]),
    }


class MeetingOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    body_id = serializers.UUIDField()
    body = serializers.CharField()
    type = serializers.ChoiceField(MeetingType.choices)
    status = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField(help_text="In the tenant's zone (offset included).")
    ends_at = serializers.DateTimeField(allow_null=True)
    venue = serializers.CharField(allow_blank=True)
    online_url = serializers.CharField(allow_blank=True)
    chair = serializers.CharField(allow_blank=True)
    note_taker = serializers.CharField(allow_blank=True)
    follows_up_id = serializers.UUIDField(allow_null=True)
    letter_number = serializers.CharField(allow_blank=True)
    uang = UangSerializer()
    is_demo = serializers.BooleanField()
    source = serializers.CharField(allow_blank=True)
    url = serializers.CharField()

    class Meta:
        ref_name = "TaskforceMeeting"


def meeting_out(m: Meeting, uang) -> dict:
    zone = clock.tenant_zone(m.tenant)
    return {
        "id": str(m.pk),
        "body_id": str(m.body_id),
        "body": m.body.name,
        "type": m.type,
        "status": m.status,
        "title": m.title,
        "starts_at": m.starts_at.astimezone(zone).isoformat(),
        "ends_at": m.ends_at.astimezone(zone).isoformat() if m.ends_at else None,
        "venue": m.venue,
        "online_url": m.online_url,
        "chair": m.chair_user.display_name if m.chair_user_id else m.chair_name,
        "note_taker": m.note_taker_user.display_name if m.note_taker_user_id else m.note_taker_name,
        "follows_up_id": str(m.follows_up_id) if m.follows_up_id else None,
        "letter_number": m.letter_number,
        "uang": vars(uang),
        "is_demo": m.is_demo,
        "source": m.source,
        "url": reverse("taskforces_api:meeting_detail", args=[m.pk]),
    }


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    discussion = serializers.CharField(allow_blank=True)
    speakers = serializers.CharField(allow_blank=True)
    decisions = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TaskforceAgendaItem"


class MeetingDetailSerializer(serializers.Serializer):
    meeting = MeetingOutputSerializer()
    agenda = AgendaItemSerializer(many=True)
    agreements = AgreementOutputSerializer(many=True)
    attendance_count = serializers.IntegerField()

    class Meta:
        ref_name = "TaskforceMeetingDetail"


def _agenda_out(item) -> dict:
    return {
        "id": str(item.pk),
        "position": item.position,
        "title": item.title,
        "discussion": item.discussion,
        "speakers": item.speakers,
        "decisions": item.decisions,
    }


def _meeting_detail(request: Request, meeting: Meeting) -> dict:
    uang = selectors.uang_for_meetings([meeting])[meeting.pk]
    return {
        "meeting": meeting_out(meeting, uang),
        "agenda": [_agenda_out(i) for i in meeting.agenda.all()],
        "agreements": [agreement_out(a) for a in selectors.agreements_for_meeting(user=request.user, meeting=meeting)],
        "attendance_count": meeting.attendances.count(),
    }


# ---- Bodies -------------------------------------------------------------------------------------


class BodyOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(BodyKind.choices)
    name = serializers.CharField()
    parent_id = serializers.UUIDField(allow_null=True)
    agency_id = serializers.UUIDField(allow_null=True, help_text="The Satgas PPA unit (tenants.Agency).")
    chair_name = serializers.CharField(allow_blank=True)
    decree_number = serializers.CharField(allow_blank=True)
    decree_on = serializers.DateField(allow_null=True)

    class Meta:
        ref_name = "TaskforceBody"


def body_out(b) -> dict:
    return {
        "id": str(b.pk),
        "kind": b.kind,
        "name": b.name,
        "parent_id": str(b.parent_id) if b.parent_id else None,
        "agency_id": str(b.agency_id) if b.agency_id else None,
        "chair_name": b.chair_name,
        "decree_number": b.decree_number,
        "decree_on": _iso(b.decree_on),
    }


class BodyListApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(BodyKind.choices)
        name = serializers.CharField(max_length=200)
        chair_name = serializers.CharField(max_length=200, required=False, default="")
        agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        decree_number = serializers.CharField(max_length=120, required=False, default="")
        decree_on = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "TaskforceBodyInput"

    @extend_schema(
        operation_id="taskforces_bodies_list",
        summary="Bodies of my regency (secretariat, office head)",
        responses={200: BodyOutputSerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        policy.require(request.user, "taskforces.view_body", request.user.tenant)
        return Response([body_out(b) for b in selectors.body_list_for_user(user=request.user)])

    @extend_schema(
        operation_id="taskforces_bodies_create",
        summary="Create a body (secretariat)",
        request=InputSerializer,
        responses={201: BodyOutputSerializer, **_errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = _valid(self.InputSerializer, request.data)
        parent = None
        if d["parent_id"]:
            parent = selectors.body_get_for_user(user=request.user, pk=d["parent_id"])
        body = services.body_create(
            actor=request.user,
            tenant=request.user.tenant,
            kind=d["kind"],
            name=d["name"],
            chair_name=d["chair_name"],
            agency=_agency(request.user, d["agency_id"]),
            parent=parent,
            decree_number=d["decree_number"],
            decree_on=d["decree_on"],
        )
        return Response(body_out(body), status=status.HTTP_201_CREATED)


class MemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    agency_id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    partner_kind = serializers.ChoiceField(PartnerKind.choices)
    role = serializers.CharField()
    contact_name = serializers.CharField(allow_blank=True)
    contact_position = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)
    contact_email = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TaskforceMember"


def member_out(m) -> dict:
    return {
        "id": str(m.pk),
        "agency_id": str(m.agency_id) if m.agency_id else None,
        "name": m.display_name,
        "partner_kind": m.partner_kind,
        "role": m.role,
        "contact_name": m.contact_name,
        "contact_position": m.contact_position,
        "contact_phone": m.contact_phone,
        "contact_email": m.contact_email,
    }


class BodyDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        body = BodyOutputSerializer()
        members = MemberOutputSerializer(many=True)

        class Meta:
            ref_name = "TaskforceBodyDetail"

    @extend_schema(
        operation_id="taskforces_bodies_retrieve",
        summary="A body and its members with contacts",
        responses={200: OutputSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        body = selectors.body_get_for_user(user=request.user, pk=pk)
        members = body.members.select_related("agency")
        return Response({"body": body_out(body), "members": [member_out(m) for m in members]})


class BodyMembersApi(APIView):
    class InputSerializer(serializers.Serializer):
        agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        organisation = serializers.CharField(max_length=200, required=False, default="")
        partner_kind = serializers.ChoiceField(PartnerKind.choices, required=False, default=PartnerKind.AGENCY)
        contact_name = serializers.CharField(max_length=160, required=False, default="")
        contact_position = serializers.CharField(max_length=160, required=False, default="")
        contact_phone = serializers.CharField(max_length=40, required=False, default="")
        contact_email = serializers.EmailField(required=False, default="")

        class Meta:
            ref_name = "TaskforceMemberInput"

    @extend_schema(
        operation_id="taskforces_members_create",
        summary="Add a member (agency or outside partner)",
        request=InputSerializer,
        responses={201: MemberOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        body = selectors.body_get_for_user(user=request.user, pk=pk)
        d = _valid(self.InputSerializer, request.data)
        agency = _agency(request.user, d.pop("agency_id"))
        member = services.member_add(actor=request.user, body=body, agency=agency, **d)
        return Response(member_out(member), status=status.HTTP_201_CREATED)


# ---- Meetings -----------------------------------------------------------------------------------


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


def _meeting(request: Request, pk: UUID) -> Meeting:
    return selectors.meeting_get_for_user(user=request.user, pk=pk)


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
        from sinergi.tenants.models import Signatory

        meeting = _meeting(request, pk)
        d = _valid(self.InputSerializer, request.data)
        signatory = None
        if d["signatory_id"]:
            signatory = Signatory.objects.filter(pk=d["signatory_id"], tenant_id=meeting.tenant_id).first()
            if signatory is None:
                raise serializers.ValidationError({"signatory_id": ["Unknown signatory."]})
        meeting = services.invitation_issue(
            actor=request.user,
            meeting=meeting,
            signatory=signatory,
            nature=d["nature"],
            attachment=d["attachment"],
            subject=d["subject"],
        )
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


# ---- Agreements ---------------------------------------------------------------------------------


def _agreement(request: Request, pk: UUID) -> Agreement:
    return selectors.agreement_get_for_user(user=request.user, pk=pk)


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
                qs = qs.filter(due_on__lt=clock.tenant_today(request.user.tenant))
            if d.get("status"):
                qs = qs.filter(status=d["status"])
        else:
            qs = selectors.agreement_list_for_user(
                user=request.user, status=d.get("status"), overdue=d["overdue"]
            ).order_by("due_on", "pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([agreement_out(a) for a in page])


class AgreementDetailApi(APIView):
    class PatchSerializer(serializers.Serializer):
        text = serializers.CharField(required=False)
        owner_id = serializers.UUIDField(required=False)
        supporter_ids = serializers.ListField(child=serializers.UUIDField(), required=False)
        due_on = serializers.DateField(required=False)
        reason = serializers.CharField(required=False, default="", allow_blank=True)

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
        summary="Change text, owner, supporters or due date (secretariat; the due-date history is kept)",
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


# ---- Aggregates and calendar ---------------------------------------------------------------------


class MatrixRowSerializer(serializers.Serializer):
    agency_id = serializers.UUIDField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Agreements per status.")
    due = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closure_rate = serializers.FloatField(allow_null=True, help_text="Done on time / due.")

    class Meta:
        ref_name = "TaskforceMatrixRow"


class MatrixApi(APIView):
    class FilterSerializer(serializers.Serializer):
        body = serializers.UUIDField(required=False)
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

        class Meta:
            ref_name = "TaskforceMatrixFilter"

    @extend_schema(
        operation_id="taskforces_matrix",
        summary="Agency × status, closure rate (aggregates)",
        parameters=[FilterSerializer],
        responses={200: MatrixRowSerializer(many=True), **_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        d = _valid(self.FilterSerializer, request.query_params)
        policy.require(request.user, "taskforces.view_statistics", request.user.tenant)
        body = selectors.body_get_for_user(user=request.user, pk=d["body"]) if d.get("body") else None
        rows = selectors.agreement_matrix(user=request.user, body=body, year=d.get("year"))
        return Response(
            [
                {
                    "agency_id": str(r.agency.pk) if r.agency else None,
                    "agency": r.agency.short_name if r.agency else None,
                    "counts": r.counts,
                    "due": r.due,
                    "done_on_time": r.done_on_time,
                    "overdue": r.overdue,
                    "closure_rate": r.closure_rate,
                }
                for r in rows
            ]
        )


class UangSummarySerializer(serializers.Serializer):
    body_id = serializers.UUIDField()
    body = serializers.CharField()
    meetings = serializers.IntegerField()
    complete = serializers.IntegerField()
    parts = serializers.DictField(child=serializers.IntegerField())

    class Meta:
        ref_name = "TaskforceUangSummary"


class UangApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)

        class Meta:
            ref_name = "TaskforceUangFilter"

    @extend_schema(
        operation_id="taskforces_uang",
        summary="UANG completeness per body for a year (aggregates)",
        parameters=[FilterSerializer],
        responses={200: UangSummarySerializer(many=True), **_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        d = _valid(self.FilterSerializer, request.query_params)
        summary = selectors.uang_summary(user=request.user, year=d["year"])
        return Response(
            [
                {"body_id": str(b.pk), "body": b.name, "meetings": s.meetings, "complete": s.complete, "parts": s.parts}
                for b, s in summary.items()
            ]
        )


class CalendarFeedApi(APIView):
    class OutputSerializer(serializers.Serializer):
        url = serializers.CharField(help_text="Shown once; anyone with it reads your calendar until revoked.")

        class Meta:
            ref_name = "TaskforceCalendarFeed"

    @extend_schema(
        operation_id="taskforces_calendar_feed_create",
        summary="A new personal ICS feed URL (revokes the previous one)",
        request=None,
        responses={201: OutputSerializer, **_errors(403)},
    )
    def post(self, request: Request) -> Response:
        token = services.calendar_feed_create(actor=request.user)
        url = request.build_absolute_uri(reverse("taskforces:calendar_feed", args=[token]))
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="taskforces_calendar_feed_revoke", summary="Revoke my ICS feed URL", responses={204: None}
    )
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
