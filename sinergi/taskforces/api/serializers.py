"""Output shapes shared across the task-force API: agreements, meetings (with UANG) and the meeting detail."""

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from sinergi.core import clock

from .. import selectors
from ..models import Agreement, AgreementStatus, Meeting, MeetingType
from .common import _iso


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
