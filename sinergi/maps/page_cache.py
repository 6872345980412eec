"""The public ILA page (/ila/<code>/) as a whole response, cached per tenant and language.

The figures were already cached, but every visitor still paid for the middleware stack (session, auth,
2FA, CSRF, CSP, ...) and the template. `PublicPageCacheMiddleware` sits right after the request id and
the metrics, so a citizen's request is answered from one entry and one check of its versions: two
cache reads, no SQL (with the database cache, only those two reads).

What the entry may be replayed to, and why it stays correct:
- It holds the status, headers and body the rest of the stack produced for the first visitor, so the
  replay carries the same CSP, X-Frame-Options, Cache-Control, Vary and Content-Language; the outer
  middleware (security headers, X-Request-ID, metrics) runs on every request as before. The page has
  no inline script or style, so its CSP holds no nonce; a response whose CSP does, or that sets a
  cookie, is never stored (a replayed nonce would be a known one).
- A Host outside ALLOWED_HOSTS is refused (400) before the cache is read, as the full stack does.
- Keyed by the tenant code in the path and the page language (the switch's cookie, as
  DefaultLanguageMiddleware decides it); only for GET without a query string.
- Valid while the tenant's public counts version (any committed case change, office.map_cache_bump)
  and its page version (a change of the tenant or of an agency, `public_page_bump_on_commit`) are the
  ones it was rendered under, read before the data; at most PAGE_SECONDS old otherwise (the KLA
  summary, itself cached for an hour) and never past the tenant's midnight (the quarters shown).
- Only figures that are current are stored: while the worker recomputes a year, or a year is still
  being prepared, every request renders the page (and shows the new figures as soon as they exist).
- A request with a session cookie (office staff) always goes through the whole stack: its session's
  idle timer and 2FA state are kept, and nothing of it is stored.
- Nothing here throttles: public pages are not limited per IP.
"""

import datetime as dt
import re
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse

from sinergi.core.clock import tenant_now
from sinergi.core.middleware import request_language
from sinergi.tenants.models import Tenant

from .office import _gen_key

PAGE_SECONDS = 300  # as long as a browser may keep the page (views_public.PUBLIC_MAX_AGE)
ATTRIBUTE = "ila_page_versions"  # set on the response by the view when the page may be stored
_path_re: re.Pattern | None = None


def public_page_bump(tenant_id: Any) -> None:
    """Invalidate the tenant's cached public page (its settings or an agency changed)."""
    cache.set(_gen_key(tenant_id, "public-page"), uuid.uuid4().hex, None)


def public_page_bump_on_commit(tenant_id: Any, *, using: str | None = None) -> None:
    # After the commit, as the office bump: a reader in between would store the old page as new.
    transaction.on_commit(lambda: public_page_bump(tenant_id), using=using, robust=True)


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def page_versions(tenant: Tenant, *, counts_version: str) -> dict[str, str]:
    """The versions a page rendered now depends on; read the page version before reading its data."""
    return {
        _gen_key(tenant.pk, "public"): counts_version,
        _gen_key(tenant.pk, "public-page"): _version(_gen_key(tenant.pk, "public-page")),
    }


def mark_storable(response: HttpResponse, *, tenant: Tenant, versions: dict[str, str]) -> HttpResponse:
    """Let the middleware store this rendered page under these versions."""
    setattr(response, ATTRIBUTE, {"versions": versions, "seconds": _seconds_left(tenant)})
    return response


def _page_path_re() -> re.Pattern:
    global _path_re
    if _path_re is None:
        example = reverse("ila:page", kwargs={"code": "00.00"})
        prefix, suffix = example.split("00.00")
        _path_re = re.compile(rf"^{re.escape(prefix)}(?P<code>[0-9]{{2}}\.[0-9]{{2}}){re.escape(suffix)}$")
    return _path_re


def _entry_key(request: HttpRequest) -> str | None:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    match = _page_path_re().match(request.path_info)
    if match is None:
        return None
    return f"maps:ila-page:{match['code']}:{request_language(request)}"


def _seconds_left(tenant: Tenant) -> int:
    """PAGE_SECONDS, or less before the tenant's midnight (a new day may complete a quarter)."""
    now = tenant_now(tenant)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, min(PAGE_SECONDS, int((midnight - now).total_seconds())))


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "nonce-" not in response.get("Content-Security-Policy", "")
        and "nonce-" not in response.get("Content-Security-Policy-Report-Only", "")
    )


class PublicPageCacheMiddleware:
    """Answer /ila/<code>/ from the whole cached response (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _entry_key(request)
        if key is None:
            return self.get_response(request)
        # As CommonMiddleware would: a Host outside ALLOWED_HOSTS is a 400 (DisallowedHost), from the cache too.
        request.get_host()
        entry = cache.get(key)
        if entry is not None:
            current = cache.get_many(list(entry["versions"]))
            if current == entry["versions"]:
                request.resolver_match = resolve(request.path_info)  # the metrics label the view
                response = HttpResponse(entry["content"], status=entry["status"])
                for name, value in entry["headers"]:
                    response[name] = value
                return response
        response = self.get_response(request)
        meta = getattr(response, ATTRIBUTE, None)
        if meta is not None and _storable(response):
            entry = {
                "versions": meta["versions"],
                "status": response.status_code,
                "headers": list(response.items()),
                "content": response.content,
            }
            cache.set(key, entry, meta["seconds"])
        return response
