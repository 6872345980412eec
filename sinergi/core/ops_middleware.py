"""Operations middleware: read-your-own-writes for the read replica, and request metrics for Prometheus."""

import time

from django.conf import settings

from . import db_router, metrics

PIN_COOKIE = "sinergi_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadYourWritesMiddleware:
    """A user who just wrote reads from the primary for DATABASE_REPLICA_PIN_SECONDS (longer than replica lag).

    Safe requests without the pin cookie may read from the replica; any other request, and any request
    that writes, reads from the primary. Non-safe requests set the cookie so the next pages (the redirect
    after a POST) see the write. The cookie only ever sends more reads to the primary, so a client that
    forges it gains nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not db_router.replica_alias():
            return self.get_response(request)
        eligible = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        token = db_router.allow_replica_reads() if eligible else None
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                db_router.reset_replica_reads(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class MetricsMiddleware:
    """Count requests and their duration per view name (bounded labels: never a path with ids in it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else "unresolved"
        metrics.observe_request(
            method=request.method if request.method in metrics.METHODS else "other",
            view=view,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response
