"""Error handlers (config/urls.py handler400/403/404/500).

Under /api/ every error is the shared JSON body ({"error": {"code", "message", "details"}}), also for
errors that never reach a DRF view (a path value that is not a UUID, a bad Host header). Everywhere,
a database that is unreachable for a moment (a PostgreSQL restart, a failover) is a 503 with
Retry-After, not a 500: Django closes the broken connection at the end of the request and the next
one reconnects by itself.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

from .api_errors import error_body

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code=code, message=message), status=status)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or an exception it was raised from) is a lost or refused database connection."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    retry_after = settings.SINERGI_DB_RETRY_AFTER
    if _is_api(request):
        response = _api_error(503, "service_unavailable", "The service is briefly unavailable; retry later.")
    else:
        # No request passed to the template: context processors would query the database again.
        html = render_to_string(
            "errors/503.html",
            {"site_name": settings.SINERGI_SITE_NAME, "retry_after": retry_after, "path": request.path},
        )
        response = HttpResponse(html, status=503)  # type: ignore[assignment]  # JSON above, HTML here
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403, "permission_denied", "You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this from inside the `except` block that caught the error.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if _is_api(request):
        return _api_error(500, "server_error", "Server error.")
    return defaults.server_error(request)
