import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import AuditEventFilterForm
from .models import AuditEvent

PAGE_SIZE = 50


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _filter_form(request: AuthenticatedHttpRequest) -> AuditEventFilterForm:
    actors = selectors.audit_actor_list_for_user(user=request.user)
    return AuditEventFilterForm(request.GET or None, actors=actors)


@login_required
@require_GET
@never_cache
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    policy.require(request.user, "audit.view_auditevent", request.user.tenant)
    form = _filter_form(request)
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        events = selectors.audit_event_list_for_user(user=request.user, **filters)
    else:
        events = AuditEvent.objects.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.audit_events_describe(user=request.user, events=page.object_list)
    context = {
        "form": form,
        "page_obj": page,
        "object_types": selectors.audit_object_type_list(),
        "can_export": policy.can(request.user, "audit.export_auditevent", request.user.tenant),
    }
    template = "audit/event_list.html"
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@ratelimit(key="user", rate="30/h", block=True)
def event_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    policy.require(request.user, "audit.export_auditevent", request.user.tenant)
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest("Invalid filters.", content_type="text/plain")
    filters = form.filters() if form.is_bound else {}
    rows = services.audit_event_export(actor=request.user, **filters)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    code = request.user.tenant.code if request.user.tenant else "all"
    response["Content-Disposition"] = f'attachment; filename="audit-{code}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
