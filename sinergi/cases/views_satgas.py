"""The Satgas PPA volunteer's mobile pages: a short intake form whose draft is saved on the server as
it is typed, a confirmation with the case number, and the list of the volunteer's own reports.

Once a report is submitted the volunteer cannot read the identities back (a lost phone must not
expose a child): the confirmation and the list show the case number, report date and stage only.
Drafts belong to their author; anyone else's draft is a 404.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.forms import add_service_errors

from . import selectors, services
from . import taxonomy as t
from .forms_satgas import SatgasReportForm, draft_initial, draft_payload
from .models import IntakeDraft

PAGE_SIZE = 25
MSG_DRAFT_SAVED = _("Draft saved.")
MSG_DRAFT_DISCARDED = _("Draft discarded.")


def _require_satgas(request: HttpRequest) -> None:
    policy.require(request.user, "cases.create_satgas_report", request.user.tenant)


def _draft_for(request: HttpRequest, pk: Any) -> IntakeDraft:
    """The user's own draft `pk`; 404 for anyone else's (and for nonsense ids)."""
    try:
        return IntakeDraft.objects.get(pk=pk, owner_id=request.user.pk, tenant_id=request.user.tenant_id)
    except (IntakeDraft.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def _latest_draft(request: HttpRequest) -> IntakeDraft | None:
    return (
        IntakeDraft.objects.filter(owner_id=request.user.pk, tenant_id=request.user.tenant_id)
        .order_by("-updated_at")
        .first()
    )


def _own_reports(request: HttpRequest):
    return selectors.case_queryset_for_user(user=request.user).filter(created_by_id=request.user.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate="30/h", method="POST", block=True)
def satgas_create(request: HttpRequest) -> HttpResponse:
    """The short intake form; reopening it restores the latest draft."""
    _require_satgas(request)
    user = request.user
    regency = user.tenant.regency_id
    if request.method == "POST":
        draft = _draft_for(request, request.POST["draft"]) if request.POST.get("draft") else None
        form = SatgasReportForm(request.POST, regency=regency)
        if form.is_valid():
            try:
                case = services.case_intake(
                    actor=user,
                    tenant=user.tenant,
                    data=form.intake_input(channel_detail=user.agency.short_name if user.agency_id else ""),
                    draft=draft,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("cases:satgas_sent", pk=case.pk)
    else:
        draft = _draft_for(request, request.GET["draft"]) if request.GET.get("draft") else _latest_draft(request)
        form = SatgasReportForm(initial=draft_initial(draft.payload) if draft else None, regency=regency)
    return render(request, "cases/satgas/create.html", {"form": form, "draft": draft})


@login_required
@never_cache
@require_POST
@ratelimit(key="user", rate="90/m", block=True)
def satgas_draft_save(request: HttpRequest) -> HttpResponse:
    """Store what has been typed so far (encrypted). htmx gets the "saved at" line, others a redirect."""
    _require_satgas(request)
    draft = _draft_for(request, request.POST["draft"]) if request.POST.get("draft") else None
    error = ""
    try:
        draft = services.intake_draft_save(actor=request.user, payload=draft_payload(request.POST), draft=draft)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        # 200 even on error: htmx swaps only successful responses, and the volunteer must see why.
        return render(request, "cases/satgas/partials/_draft_status.html", {"draft": draft, "error": error})
    if error:
        messages.error(request, error)
        return redirect("cases:satgas_create")
    messages.success(request, MSG_DRAFT_SAVED)
    return redirect(f"{reverse('cases:satgas_create')}?draft={draft.pk}")


@login_required
@require_POST
def satgas_draft_discard(request: HttpRequest) -> HttpResponse:
    _require_satgas(request)
    draft = _draft_for(request, request.POST.get("draft", ""))
    services.intake_draft_delete(actor=request.user, draft=draft)
    messages.success(request, MSG_DRAFT_DISCARDED)
    return redirect("cases:satgas_create")


@login_required
@never_cache
@require_GET
def satgas_sent(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Confirmation of a submitted report: the case number, nothing about the people."""
    _require_satgas(request)
    number = _own_reports(request).filter(pk=pk).values_list("number", flat=True).first()
    if number is None:
        raise Http404
    return render(request, "cases/satgas/sent.html", {"number": number})


@login_required
@never_cache
@require_GET
def satgas_reports(request: HttpRequest) -> HttpResponse:
    """The volunteer's own reports: number, report date and stage only."""
    _require_satgas(request)
    reports = _own_reports(request).order_by("-reported_on", "-created_at").values("number", "reported_on", "stage")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(t.Stage.choices)
    for report in page.object_list:
        report["stage_label"] = labels.get(report["stage"], report["stage"])
    return render(request, "cases/satgas/reports.html", {"page": page})
