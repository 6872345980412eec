"""Meetings: creating them (one or from a recurrence rule), their minutes per agenda item, and Gambar."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.documents.services import document_store

from ..events import Event
from ..models import AgendaItem, Body, Invitation, Meeting, MeetingSeries, MeetingStatus, Member

ERR_ENDS_BEFORE = _("The meeting cannot end before it starts.")
ERR_NAIVE = _("Give the time with its zone.")
ERR_MEMBER_BODY = _("Only members of the body can be invited.")
ERR_FOLLOWS_UP = _("A meeting can only follow up an earlier meeting of the same regency.")
ERR_USER_TENANT = _("Chair and note taker must be users of the same regency.")
ERR_RULE = _("The recurrence rule is not valid (e.g. FREQ=MONTHLY;INTERVAL=3;COUNT=4).")
ERR_RULE_TOO_MANY = _("A recurrence rule may create at most %(max)s meetings.")
ERR_AGENDA_ITEM = _("Unknown agenda item.")
ERR_NO_AGENDA = _("A meeting needs at least one agenda item.")
ERR_PHOTO_TYPE = _("Photos must be JPEG or PNG images.")
MAX_SERIES = 24

MEETING_DOCUMENT_KINDS = ("photo", "invitation_scan", "attendance_scan", "minutes_scan", "material")


def _agenda_titles(agenda: Iterable[str]) -> list[str]:
    titles = [t.strip() for t in agenda if t and t.strip()]
    if not titles:
        raise ValidationError({"agenda": ERR_NO_AGENDA})
    return titles


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    body: Body,
    type: str,
    title: str,
    starts_at: dt.datetime,
    agenda: Iterable[str],
    ends_at: dt.datetime | None = None,
    venue: str = "",
    online_url: str = "",
    invited: Iterable[Member] = (),
    chair_name: str = "",
    chair_user: User | None = None,
    note_taker_name: str = "",
    note_taker_user: User | None = None,
    follows_up: Meeting | None = None,
    series: MeetingSeries | None = None,
    status: str = MeetingStatus.PLANNED,
    letter_subject: str = "",
    source: str = "",
    is_demo: bool = False,
) -> Meeting:
    """Create a meeting with its agenda and invited members; times are aware (shown in the tenant's zone)."""
    if actor is not None:
        policy.require(actor, "taskforces.manage_taskforces", body.tenant)
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ValidationError({"starts_at": ERR_NAIVE})
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": ERR_ENDS_BEFORE})
    if follows_up is not None and (follows_up.tenant_id != body.tenant_id or follows_up.starts_at >= starts_at):
        raise ValidationError({"follows_up": ERR_FOLLOWS_UP})
    members = list(invited)
    if any(m.body_id != body.pk for m in members):
        raise ValidationError({"invited": ERR_MEMBER_BODY})
    for user in (chair_user, note_taker_user):
        if user is not None and user.tenant_id != body.tenant_id:
            raise ValidationError(ERR_USER_TENANT, code="tenant")
    titles = _agenda_titles(agenda)
    meeting = Meeting(
        tenant_id=body.tenant_id,
        body=body,
        type=type,
        status=status,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        online_url=online_url.strip(),
        chair_name=chair_name.strip(),
        chair_user=chair_user,
        note_taker_name=note_taker_name.strip(),
        note_taker_user=note_taker_user,
        follows_up=follows_up,
        series=series,
        letter_subject=(letter_subject or title).strip()[:200],
        source=source,
        is_demo=is_demo,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=i, title=t[:250]) for i, t in enumerate(titles, start=1)]
    )
    Invitation.objects.bulk_create([Invitation(meeting=meeting, member=m) for m in members])
    audit(
        actor=actor,
        action=Event.MEETING_CREATED,
        obj=meeting,
        fields=["type", "title", "starts_at", "venue", "agenda", "invited"],
        extra={"invited": len(members), "demo": is_demo},
    )
    return meeting


@transaction.atomic
def meeting_series_create(
    *,
    actor: User,
    body: Body,
    type: str,
    title: str,
    rule: str,
    first_starts_at: dt.datetime,
    duration: dt.timedelta,
    agenda: Iterable[str],
    venue: str = "",
    invited: Iterable[Member] = (),
) -> MeetingSeries:
    """Generate the meetings of a recurrence rule (RFC 5545 RRULE), in the tenant's local time: a quarterly
    rakor at 09.00 WITA stays at 09.00 WITA."""
    policy.require(actor, "taskforces.manage_taskforces", body.tenant)
    if timezone.is_naive(first_starts_at):
        raise ValidationError({"first_starts_at": ERR_NAIVE})
    local_start = timezone.localtime(first_starts_at, clock.tenant_zone(body.tenant)).replace(tzinfo=None)
    try:
        occurrences = rrulestr(rule.strip(), dtstart=local_start)
        starts = []
        for when in occurrences:
            starts.append(when)
            if len(starts) > MAX_SERIES:
                break
    except (ValueError, TypeError) as exc:
        raise ValidationError({"rule": ERR_RULE}) from exc
    if len(starts) > MAX_SERIES:
        raise ValidationError({"rule": ValidationError(ERR_RULE_TOO_MANY, params={"max": MAX_SERIES})})
    if not starts:
        raise ValidationError({"rule": ERR_RULE})
    series = MeetingSeries(tenant_id=body.tenant_id, body=body, title=title.strip(), rule=rule.strip())
    series.full_clean()
    series.save()
    members = list(invited)
    agenda = list(agenda)
    zone = clock.tenant_zone(body.tenant)
    for when in starts:
        start = when.replace(tzinfo=zone)
        meeting_create(
            actor=actor,
            body=body,
            type=type,
            title=title,
            starts_at=start,
            ends_at=start + duration,
            agenda=agenda,
            venue=venue,
            invited=members,
            series=series,
        )
    audit(actor=actor, action=Event.MEETING_SERIES_CREATED, obj=body, extra={"meetings": len(starts)})
    return series


@transaction.atomic
def meeting_set_status(*, actor: User, meeting: Meeting, status: str) -> Meeting:
    policy.require(actor, "taskforces.manage_meeting", meeting)
    meeting.status = status
    meeting.full_clean()
    meeting.save(update_fields=["status"])
    audit(actor=actor, action=Event.MEETING_CHANGED, obj=meeting, fields=["status"], extra={"status": status})
    return meeting


@transaction.atomic
def minutes_save(
    *, actor: User, meeting: Meeting, items: Iterable[dict[str, Any]], summary: str | None = None
) -> Meeting:
    """Save the notulen: per agenda item the discussion, who spoke for which agency, and the decisions."""
    policy.require(actor, "taskforces.manage_meeting", meeting)
    by_id = {str(item.pk): item for item in meeting.agenda.all()}
    changed = []
    for entry in items:
        item = by_id.get(str(entry.get("id")))
        if item is None:
            raise ValidationError(ERR_AGENDA_ITEM, code="agenda_item")
        for field in ("discussion", "speakers", "decisions"):
            if field in entry:
                setattr(item, field, (entry[field] or "").strip())
        changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["discussion", "speakers", "decisions"])
    fields = ["minutes_saved_at"]
    if summary is not None:
        meeting.minutes_summary = summary.strip()
        fields.append("minutes_summary")
    meeting.minutes_saved_at = timezone.now()
    if meeting.status == MeetingStatus.PLANNED and meeting.starts_at <= meeting.minutes_saved_at:
        meeting.status = MeetingStatus.HELD
        fields.append("status")
    meeting.save(update_fields=fields)
    audit(actor=actor, action=Event.MINUTES_SAVED, obj=meeting, fields=["agenda", *fields])
    return meeting


def meeting_document_add(*, actor: User, owner: Meeting, kind: str, uploaded_file: Any, title: str = ""):
    """Attach UANG evidence (photos, scans, material) through the shared document store."""
    policy.require(actor, "taskforces.manage_meeting_documents", owner)
    if kind not in MEETING_DOCUMENT_KINDS:
        raise ValidationError({"kind": _("Unknown document kind.")})
    with transaction.atomic():
        document = document_store(
            actor=actor, tenant=owner.tenant, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
        )
        if kind == "photo" and not document.is_previewable:
            raise ValidationError({"file": ERR_PHOTO_TYPE})
        document.is_sensitive = False
        document.save(update_fields=["is_sensitive"])
        audit(
            actor=actor, action=Event.DOCUMENT_ADDED, obj=owner, extra={"kind": kind, "document_id": str(document.pk)}
        )
    return document
