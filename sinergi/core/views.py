from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors, services
from .http import AuthenticatedHttpRequest


@never_cache
@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Role-aware dashboard: cards contributed by each app (sinergi.core.dashboard)."""
    context = selectors.dashboard_for_user(user=request.user)
    return render(request, "core/home.html", context)


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """About Sinergi: the software's licence and the credits of the data it ships (public)."""
    return render(request, "core/about.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public liveness/readiness probe: no data, only component status."""
    ok, checks = services.health_report()
    return JsonResponse({"status": "ok" if ok else "degraded", "checks": checks}, status=200 if ok else 503)


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"error": {"code": "throttled", "message": "Too many requests.", "details": {}}}
        return JsonResponse(body, status=429)
    return render(request, "core/ratelimited.html", status=429)
