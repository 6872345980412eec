"""The task forces' events in the user's ICS feed (core.calendar writes the feed)."""

import datetime as dt

from django.urls import reverse

from sinergi.accounts.models import User
from sinergi.core.calendar import FeedEvent, feed_for_user, register_source

from . import selectors

__all__ = ["feed_for_user", "taskforce_events"]


@register_source
def taskforce_events(*, user: User, since: dt.datetime):
    meetings, agreements = selectors.calendar_items_for_user(user=user, since=since)
    for meeting in meetings:
        yield FeedEvent(
            uid=f"meeting-{meeting.pk}@sinergi",
            summary=meeting.title,
            start=meeting.starts_at,
            end=meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2),
            url=reverse("taskforces:meeting_detail", args=[meeting.pk]),
            location=meeting.venue or "",
            cancelled=meeting.status == "cancelled",
        )
    for agreement in agreements:
        if agreement.due_on is None:
            continue
        yield FeedEvent(
            uid=f"agreement-{agreement.pk}@sinergi",
            summary=f"Tenggat kesepakatan {agreement.label}: {agreement.text[:80]}",
            start=agreement.due_on,
            end=agreement.due_on + dt.timedelta(days=1),
            url=reverse("taskforces:agreement_detail", args=[agreement.pk]),
        )
