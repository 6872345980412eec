"""One limit per account for blind-index identity look-ups, whichever door they come through.

The duplicate check and the identity search (HTML and API alike) answer "is this NIK / name + birth date
known?": each call counts against the same per-account buckets, so a prober cannot add the HTML and the
API limits together.
"""

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from rest_framework.throttling import BaseThrottle

IDENTITY_LOOKUP_GROUP = "cases.identity_lookup"
# (rate, seconds until a slot frees up): a burst limit and an hourly ceiling.
IDENTITY_LOOKUP_RATES = (("20/m", 60), ("200/h", 3600))


def _account(group: str, request: HttpRequest) -> str:
    return str(request.user.pk)


def identity_lookup_allowed(request: HttpRequest) -> bool:
    """Count one identity look-up for the requesting account; False once a bucket is full."""
    over = [
        is_ratelimited(request, group=f"{IDENTITY_LOOKUP_GROUP}:{rate}", key=_account, rate=rate, increment=True)
        for rate, _wait in IDENTITY_LOOKUP_RATES
    ]
    return not any(over)


class IdentityLookupThrottle(BaseThrottle):
    """The same buckets for the JSON API (DRF answers 429 with Retry-After)."""

    def allow_request(self, request, view) -> bool:
        self._allowed = identity_lookup_allowed(request._request)
        return self._allowed

    def wait(self) -> float:
        return float(IDENTITY_LOOKUP_RATES[0][1])
