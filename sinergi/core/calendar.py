"""The one per-user ICS feed: each app contributes its events (task-force meetings and agreements, case
follow-ups and plan tasks), and this module writes them with times in the tenant's zone (TZID).

An app registers a source with `register_source(fn)`; `fn(user=..., since=...)` returns `FeedEvent`s for
what that user may see. The feed URL and its revocable token belong to the task forces' calendar settings.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from sinergi.core import clock

if TYPE_CHECKING:
    from sinergi.accounts.models import User

FEED_HISTORY_DAYS = 90


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str  # never identity data: feeds are read by calendar apps outside Sinergi
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    url: str = ""  # a path; the deployment's base URL is prefixed
    location: str = ""
    # RFC 5545: a changed event keeps its UID and counts SEQUENCE up; a cancelled one stays in the feed
    # with STATUS:CANCELLED, so a subscribed calendar replaces or removes its copy.
    sequence: int = 0
    cancelled: bool = False


FeedSource = Callable[..., Iterable[FeedEvent]]
_SOURCES: list[FeedSource] = []


def register_source(source: FeedSource) -> FeedSource:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def _local(value: dt.datetime | dt.date, zone: Any) -> dt.datetime | dt.date:
    """A time in the tenant's zone (so the ICS carries its TZID); an all-day date as it is."""
    return timezone.localtime(value, zone) if isinstance(value, dt.datetime) else value


def feed_for_user(*, user: "User") -> bytes:
    zone = clock.tenant_zone(user.tenant)
    tenant_name = user.tenant.name if user.tenant else ""
    since = timezone.now() - dt.timedelta(days=FEED_HISTORY_DAYS)
    cal = Calendar()
    cal.add("prodid", "-//Sinergi//Kalender//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Sinergi · {tenant_name}")
    cal.add("x-wr-timezone", zone.key)
    base = getattr(settings, "SINERGI_BASE_URL", "").rstrip("/")
    stamp = timezone.now()
    for source in _SOURCES:
        for item in source(user=user, since=since):
            event = Event()
            event.add("uid", item.uid)
            event.add("summary", item.summary)
            event.add("dtstart", _local(item.start, zone))
            event.add("dtend", _local(item.end, zone))
            event.add("dtstamp", stamp)
            event.add("sequence", item.sequence)
            event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
            if item.location:
                event.add("location", item.location)
            if item.url:
                event.add("url", base + item.url)
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
