"""The ICS feed of a user's meetings and agreement due dates, with times in the tenant's zone (TZID)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from sinergi.accounts.models import User
from sinergi.core import clock

from . import selectors

FEED_HISTORY_DAYS = 90


def feed_for_user(*, user: User) -> bytes:
    zone = clock.tenant_zone(user.tenant)
    since = timezone.now() - dt.timedelta(days=FEED_HISTORY_DAYS)
    meetings, agreements = selectors.calendar_items_for_user(user=user, since=since)
    cal = Calendar()
    cal.add("prodid", "-//Sinergi//Gugus Tugas//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Sinergi · {user.tenant.name}")
    cal.add("x-wr-timezone", zone.key)
    base = getattr(settings, "SINERGI_BASE_URL", "").rstrip("/")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@sinergi")
        event.add("summary", meeting.title)
        event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
        event.add("dtend", timezone.localtime(meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2), zone))
        event.add("dtstamp", timezone.now())
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add("url", base + reverse("taskforces:meeting_detail", args=[meeting.pk]))
        cal.add_component(event)
    for agreement in agreements:
        event = Event()
        event.add("uid", f"agreement-{agreement.pk}@sinergi")
        event.add("summary", f"Tenggat kesepakatan {agreement.label}: {agreement.text[:80]}")
        event.add("dtstart", agreement.due_on)
        event.add("dtend", agreement.due_on + dt.timedelta(days=1))
        event.add("dtstamp", timezone.now())
        event.add("url", base + reverse("taskforces:agreement_detail", args=[agreement.pk]))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
