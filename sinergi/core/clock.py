"""The tenant's clock: every time shown, printed, mailed or compared with a deadline is the tenant's.

Indonesia has three zones (WIB, WITA, WIT). A regency's staff read "09.00 WITA", its deadlines fall at
its midnight, and its worker jobs run at its morning. Requests activate the zone of the user's tenant
(`TenantTimezoneMiddleware`); code outside a request (worker, commands, PDFs for another tenant) uses
`tenant_zone` / `tenant_today` / `override_tenant` explicitly.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # core imports no app model at run time
    from django.contrib.auth.models import AnonymousUser

    from sinergi.accounts.models import User


# IANA zones of Indonesia and their official abbreviations (Keppres 41/1987).
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
TIMEZONE_CHOICES = [
    ("Asia/Jakarta", _("WIB — Western Indonesia (Asia/Jakarta)")),
    ("Asia/Pontianak", _("WIB — Western Indonesia (Asia/Pontianak)")),
    ("Asia/Makassar", _("WITA — Central Indonesia (Asia/Makassar)")),
    ("Asia/Jayapura", _("WIT — Eastern Indonesia (Asia/Jayapura)")),
]
# The zone whose "today" starts first: any date-based deadline that is past anywhere is past here.
EASTERNMOST_ZONE = "Asia/Jayapura"


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name if name in ZONE_ABBREVIATIONS else settings.TIME_ZONE)


def tenant_zone(tenant: Any) -> ZoneInfo:
    return zone(getattr(tenant, "timezone", None))


def tenant_now(tenant: Any, now: dt.datetime | None = None) -> dt.datetime:
    return timezone.localtime(now or timezone.now(), tenant_zone(tenant))


def tenant_today(tenant: Any, now: dt.datetime | None = None) -> dt.date:
    return tenant_now(tenant, now).date()


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in the easternmost zone: a first filter before the exact per-tenant check."""
    return timezone.localtime(now or timezone.now(), ZoneInfo(EASTERNMOST_ZONE)).date()


def abbreviation(tz: Any = None) -> str:
    """WIB / WITA / WIT for the given (or current) zone; the UTC offset for a zone outside Indonesia."""
    tz = tz or timezone.get_current_timezone()
    key = getattr(tz, "key", str(tz))
    if key in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[key]
    offset = timezone.now().astimezone(tz).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"


@contextmanager
def override_tenant(tenant: Any) -> Iterator[ZoneInfo]:
    """Run a block (a worker job, a PDF, an e-mail) in the tenant's zone."""
    tz = tenant_zone(tenant)
    with timezone.override(tz):
        yield tz


def format_when(value: dt.datetime | None, *, with_date: bool = True) -> str:
    """'4 Januari 2023, 13.05 WITA' (or '13.05 WITA') in the active zone and language."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = formats.date_format(local, "DATETIME_FORMAT" if with_date else "TIME_FORMAT")
    return f"{text} {abbreviation(timezone.get_current_timezone())}"


def format_long_date(value: dt.date | dt.datetime | None) -> str:
    """'Rabu, 4 Januari 2023': the day and date as letters write them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "LONG_DATE_FORMAT")


def activate_for_user(user: "User | AnonymousUser | None") -> None:
    """Make the zone of this user's tenant the current one (the default zone for anyone else)."""
    tenant = getattr(user, "tenant", None) if getattr(user, "is_authenticated", False) else None
    if tenant is not None:
        timezone.activate(tenant_zone(tenant))
    else:
        timezone.deactivate()


class TenantTimezoneMiddleware:
    """Activate the zone of the signed-in user's tenant for the whole request (else the default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_for_user(getattr(request, "user", None))
        try:
            response = self.get_response(request)
            if isinstance(response, StreamingHttpResponse):
                # A streamed export renders its rows after this middleware returns: keep the zone the
                # view ran in (a token request activates its tenant's zone inside the view).
                response.streaming_content = _in_zone(timezone.get_current_timezone(), response.streaming_content)
            return response
        finally:
            timezone.deactivate()


def _in_zone(tz: Any, chunks: Iterator[Any]) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        with timezone.override(tz):  # around next(): that is where the rows are rendered
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk
