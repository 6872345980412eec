"""Agreements: the page, progress with evidence, extension requests and decisions, dropping, following;
the agency's commitments, the secretariat's matrix and overdue list, the calendar feed."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import clock, policy
from sinergi.core.forms import add_service_errors, flash_service_result
from sinergi.core.pagination import DeferredJoinPaginator
from sinergi.documents.selectors import documents_for_owner

from . import calendar as ics
from . import selectors, services
from .forms import AgreementEditForm, DecisionForm, DropForm, ExtensionForm, ProgressForm
from .models import ExtensionRequest

MSG_SAVED = _("Saved.")
PAGE_SIZE = 50


def _context(request: HttpRequest, agreement, **forms) -> dict:
    user = request.user
    return {
        "agreement": agreement,
        "updates": selectors.agreement_updates(agreement=agreement),
        "children": agreement.children.filter(selectors.visible_agreements_q(user)).select_related("owner"),
        "supporters": agreement.supporters.all(),
        "due_changes": agreement.due_changes.all(),
        "extensions": agreement.extensions.all(),
        "documents": documents_for_owner(owner=agreement),
        "is_following": selectors.agreement_is_followed(user=user, agreement=agreement),
        "progress_form": forms.get("progress_form") or ProgressForm(initial={"progress": agreement.progress}),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "drop_form": forms.get("drop_form") or DropForm(),
        "decision_form": DecisionForm(),
        "edit_form": forms.get("edit_form")
        or AgreementEditForm(
            tenant=agreement.tenant,
            initial={"text": agreement.text, "owner": agreement.owner_id, "due_on": agreement.due_on},
        ),
    }


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    return render(request, "taskforces/agreement_detail.html", _context(request, agreement))


@login_required
@require_POST
def agreement_progress(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.update_agreement", agreement)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.agreement_progress_add(
                actor=request.user,
                agreement=agreement,
                text=d["text"],
                progress=d["progress"],
                status=d["status"] or None,
                evidence_file=d["evidence_file"],
                evidence_url=d["evidence_url"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="evidence_file")
        else:
            messages.success(request, MSG_SAVED)
            return redirect("taskforces:agreement_detail", agreement.pk)
    return render(
        request, "taskforces/agreement_detail.html", _context(request, agreement, progress_form=form), status=400
    )


@login_required
@require_POST
def agreement_extension(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.request_extension", agreement)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("taskforces:agreement_detail", agreement.pk)
    return render(
        request, "taskforces/agreement_detail.html", _context(request, agreement, extension_form=form), status=400
    )


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: UUID, extension_pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    extension = get_object_or_404(ExtensionRequest, pk=extension_pk, agreement=agreement)
    policy.require(request.user, "taskforces.manage_agreement", agreement)
    form = DecisionForm(request.POST)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.extension_decide(actor=request.user, extension=extension, **form.cleaned_data),
            MSG_SAVED,
        )
    return redirect("taskforces:agreement_detail", agreement.pk)


@login_required
@require_POST
def agreement_drop(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_agreement", agreement)
    form = DropForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_drop(actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("taskforces:agreement_detail", agreement.pk)
    return render(request, "taskforces/agreement_detail.html", _context(request, agreement, drop_form=form), status=400)


@login_required
@require_POST
def agreement_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_agreement", agreement)
    form = AgreementEditForm(request.POST, tenant=agreement.tenant)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.agreement_change(
                actor=request.user,
                agreement=agreement,
                text=d["text"],
                owner=d["owner"],
                due_on=d["due_on"],
                reason=d["reason"],
                clear_owner=d["clear_owner"],
                clear_due_on=d["clear_due_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("taskforces:agreement_detail", agreement.pk)
    return render(request, "taskforces/agreement_detail.html", _context(request, agreement, edit_form=form), status=400)


@login_required
@require_POST
def agreement_follow(request: HttpRequest, pk: UUID) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    follow = request.POST.get("follow") == "1"
    services.agreement_follow(actor=request.user, agreement=agreement, follow=follow)
    if request.htmx:
        return render(request, "taskforces/partials/_follow.html", {"agreement": agreement, "is_following": follow})
    return redirect("taskforces:agreement_detail", agreement.pk)


# ---- Overviews ---------------------------------------------------------------------------------


@login_required
@require_GET
def commitments(request: HttpRequest) -> HttpResponse:
    """The agency's home for the task forces: the open agreements its agency owns."""
    policy.require(request.user, "taskforces.view_taskforces")
    page = _page(request, selectors.commitments_for_user(user=request.user))
    return render(request, "taskforces/commitments.html", {"agreements": page.object_list, "page": page})


def _page(request: HttpRequest, queryset):
    return DeferredJoinPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Agency × status, closure rate (done on time / due) and UANG completeness, per body and year."""
    user = request.user
    policy.require(user, "taskforces.view_statistics", user.tenant)
    body = None
    if request.GET.get("body"):
        try:
            body = selectors.body_get_for_user(user=user, pk=request.GET["body"])
        except (ValidationError, ValueError) as exc:
            raise Http404 from exc
    year = _year(request)
    rows = selectors.agreement_matrix(user=user, body=body, year=year)
    return render(
        request,
        "taskforces/matrix.html",
        {
            "rows": rows,
            "statuses": selectors.STATUS_LABELS,
            "body": body,
            "year": year,
            "uang_year": year or clock.tenant_today(user.tenant).year,
        },
    )


@login_required
@require_GET
def uang(request: HttpRequest) -> HttpResponse:
    """UANG completeness per body for a year: loaded by the matrix page after it is shown (htmx)."""
    user = request.user
    policy.require(user, "taskforces.view_statistics", user.tenant)
    uang_year = _year(request) or clock.tenant_today(user.tenant).year
    context = {"uang": selectors.uang_summary(user=user, year=uang_year), "uang_year": uang_year}
    return render(request, "taskforces/partials/_uang_summary.html", context)


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.overdue_list_for_user(user=request.user))
    return render(request, "taskforces/overdue.html", {"agreements": page.object_list, "page": page})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "taskforces.view_taskforces")
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("The calendar link no longer works."))
            return redirect("taskforces:calendar")
        token = services.calendar_feed_create(actor=request.user)
        feed_url = request.build_absolute_uri(reverse("taskforces:calendar_feed", args=[token]))
    return render(request, "taskforces/calendar.html", {"feed_url": feed_url})


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed, authenticated by its own revocable token only (never a session or an API token)."""
    user = selectors.calendar_feed_user(token=token)
    body = ics.feed_for_user(user=user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sinergi.ics"'
    return response
