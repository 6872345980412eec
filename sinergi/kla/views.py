"""KLA workspace pages (thin): dashboard, indicator with its evidence and reviews, bulk assignment,
regulation library, deadlines, RAD KLA activities and the evidence package job."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.documents.selectors import document_get_for_user
from sinergi.jobs import services as job_services
from sinergi.taskforces.models import Agreement
from sinergi.taskforces.policy import visible_agreements_q

from . import charts, scoring, selectors
from .forms import (
    ActivityForm,
    AssignForm,
    DeadlineForm,
    EvidenceForm,
    RegulationForm,
    ReplaceForm,
    ReviewForm,
    SelfAssessmentForm,
)
from .jobs import KLA_PACKAGE
from .models import Indicator
from .services import retire
from .services import workspace as services

MSG_SAVED = _("Saved.")
MSG_ADDED = _("Evidence added.")
MSG_REVIEWED = _("Review saved.")
MSG_RETIRED = _("Retired; it stays in the history.")


def _year(request: HttpRequest):
    raw = request.GET.get("year") or request.POST.get("year")
    try:
        year = int(raw) if raw else None
    except ValueError:
        raise Http404 from None
    return selectors.year_get(year=year, tenant=request.user.tenant)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require_visible(user, "kla.view_workspace", user.tenant)
    return render(request, "kla/home.html", _home_context(request, _year(request)))


def _service_ok(request: HttpRequest, form, call, success: str) -> bool:
    """Run the service `call`: its ValidationError goes onto `form` (the page is shown again with it, 400),
    success is flashed. The services are atomic, so a refusal leaves nothing half-written."""
    try:
        call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


def _home_context(request: HttpRequest, year, deadline_form=None) -> dict:
    user = request.user
    score = selectors.score_for_user(user=user, year=year)
    is_secretariat = policy.can(user, "kla.manage_workspace", user.tenant)
    return {
        "year": year,
        "score": score,
        "is_secretariat": is_secretariat,
        "heatmap": charts.heatmap(score),
        "gauge": charts.gauge(score),
        "raises": score.raises_most(),
        "overdue": selectors.overdue_agencies(score=score, tenant=user.tenant, year=year) if is_secretariat else [],
        "deadlines": selectors.deadlines_for(tenant=user.tenant, year=year),
        "deadline_form": deadline_form or DeadlineForm(),
        "yoy": scoring.year_over_year(tenant=user.tenant, year=year) if is_secretariat else [],
        "special": selectors.special_protection_counts(user=user, year=year),
    }


def _indicator_context(request: HttpRequest, indicator: Indicator, **forms) -> dict:
    user = request.user
    score = next(
        (
            i
            for i in selectors.score_for_user(user=user, year=indicator.year).indicators
            if i.indicator.pk == indicator.pk
        ),
        None,
    )
    is_secretariat = policy.can(user, "kla.manage_workspace", user.tenant)
    items = list(selectors.evidence_for_user(user=user).filter(indicator=indicator).order_by("-created_at"))
    for item in items:
        item.can_change = policy.can(user, "kla.change_evidenceitem", item)
        item.can_review = policy.can(user, "kla.review_evidenceitem", item)
    agreements = Agreement.objects.filter(visible_agreements_q(user))[:200] if is_secretariat else []
    return {
        "indicator": indicator,
        "score": score,
        "items": items,
        "is_secretariat": is_secretariat,
        "assignments": selectors.assignments_for_user(user=user, year=indicator.year).filter(indicator=indicator),
        "activities": selectors.activities_for_user(user=user, year=indicator.year).filter(indicator=indicator),
        "evidence_form": forms.get("evidence_form")
        or EvidenceForm(
            documents=selectors.linkable_documents(user=user), regulations=selectors.regulations_for_user(user=user)
        ),
        # A refused review or replacement is shown again on its own item (`form_item`).
        "form_item": forms.get("form_item"),
        "review_form": forms.get("review_form") or ReviewForm(),
        "replace_form": forms.get("replace_form") or ReplaceForm(),
        "self_form": forms.get("self_form")
        or SelfAssessmentForm(initial={"points": score.self_points if score else 0}),
        "activity_form": forms.get("activity_form")
        or ActivityForm(tenant=user.tenant, agreements=agreements, initial={"activity_year": indicator.year.year}),
        "special": selectors.special_protection_counts(user=user, year=indicator.year)
        if indicator.is_special_protection
        else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def indicator_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request.user
    indicator = selectors.indicator_get_for_user(user=user, pk=pk)
    if request.method == "POST":
        form = EvidenceForm(
            request.POST,
            request.FILES,
            documents=selectors.linkable_documents(user=user),
            regulations=selectors.regulations_for_user(user=user),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_add(
                    actor=user,
                    indicator=indicator,
                    evidence_type=data["evidence_type"],
                    title=data["title"],
                    uploaded_file=data["file"],
                    link_document=document_get_for_user(user=user, pk=data["link_document"])
                    if data["link_document"]
                    else None,
                    regulation=selectors.regulation_get_for_user(user=user, pk=data["regulation"])
                    if data["regulation"]
                    else None,
                    number=data["number"],
                    dated_on=data["dated_on"],
                    doc_year=data["doc_year"],
                    description=data["description"],
                    is_signed=data["is_signed"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, MSG_ADDED)
                return redirect("kla:indicator", pk=indicator.pk)
        return render(
            request, "kla/indicator.html", _indicator_context(request, indicator, evidence_form=form), status=400
        )
    return render(request, "kla/indicator.html", _indicator_context(request, indicator))


def _indicator_refused(request: HttpRequest, indicator: Indicator, **forms) -> HttpResponse:
    return render(request, "kla/indicator.html", _indicator_context(request, indicator, **forms), status=400)


@login_required
@require_POST
def evidence_review(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid() and _service_ok(
        request,
        form,
        lambda: services.evidence_review(
            actor=request.user, item=item, decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"]
        ),
        MSG_REVIEWED,
    ):
        return redirect("kla:indicator", pk=item.indicator_id)
    return _indicator_refused(request, item.indicator, review_form=form, form_item=item.pk)


@login_required
@require_POST
def evidence_replace(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, pk=pk)
    form = ReplaceForm(request.POST, request.FILES)
    if form.is_valid() and _service_ok(
        request,
        form,
        lambda: services.evidence_replace(actor=request.user, item=item, uploaded_file=form.cleaned_data["file"]),
        MSG_SAVED,
    ):
        return redirect("kla:indicator", pk=item.indicator_id)
    return _indicator_refused(request, item.indicator, replace_form=form, form_item=item.pk)


@login_required
@require_POST
def self_assessment(request: HttpRequest, pk: UUID) -> HttpResponse:
    indicator = selectors.indicator_get_for_user(user=request.user, pk=pk)
    form = SelfAssessmentForm(request.POST)
    if form.is_valid() and _service_ok(
        request,
        form,
        lambda: services.self_assessment_set(
            actor=request.user, indicator=indicator, points=form.cleaned_data["points"], note=form.cleaned_data["note"]
        ),
        MSG_SAVED,
    ):
        return redirect("kla:indicator", pk=indicator.pk)
    return _indicator_refused(request, indicator, self_form=form)


@login_required
@require_POST
def activity_create(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request.user
    indicator = selectors.indicator_get_for_user(user=user, pk=pk)
    agreements = Agreement.objects.filter(visible_agreements_q(user))
    form = ActivityForm(request.POST, tenant=user.tenant, agreements=agreements[:200])
    if form.is_valid() and _service_ok(
        request, form, lambda: _activity_save(user, form, agreements, indicator), MSG_SAVED
    ):
        return redirect("kla:indicator", pk=indicator.pk)
    return _indicator_refused(request, indicator, activity_form=form)


def _activity_save(user, form, agreements, indicator, activity=None):
    """The activity form's data through the service (a new activity, or `activity` edited)."""
    data = form.cleaned_data
    agreement = agreements.filter(pk=data["agreement"]).first() if data["agreement"] else None
    return services.activity_save(
        actor=user,
        activity=activity,
        indicator=indicator,
        agency=data["agency"],
        title=data["title"],
        activity_year=data["activity_year"],
        budget=data["budget"] or 0,
        status=data["status"],
        agreement=agreement,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require_visible(user, "kla.manage_workspace", user.tenant)
    year = _year(request)
    indicators = list(Indicator.objects.filter(year=year).order_by("order"))
    form = AssignForm(request.POST or None, tenant=user.tenant, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        chosen = [i for i in indicators if str(i.pk) in form.cleaned_data["indicators"]]
        ok = _service_ok(
            request,
            form,
            lambda: services.assignments_set(
                actor=user,
                indicators=chosen,
                agencies=list(form.cleaned_data["agencies"]),
                contact_name=form.cleaned_data["contact_name"],
                replace=form.cleaned_data["replace"],
            ),
            MSG_SAVED,
        )
        if ok:
            return redirect(f"{reverse('kla:assignments')}?year={year.year}")
    rows = selectors.assignments_for_user(user=user, year=year).order_by("indicator__order", "agency__name")
    return render(
        request, "kla/assignments.html", {"year": year, "form": form, "rows": rows}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def regulations(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require_visible(user, "kla.view_workspace", user.tenant)
    can_manage = policy.can(user, "kla.manage_regulation", user.tenant)
    form = RegulationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        policy.require(user, "kla.manage_regulation", user.tenant)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.regulation_save(
                    actor=user,
                    kind=data["kind"],
                    title=data["title"],
                    number=data["number"],
                    issued_on=data["issued_on"],
                    issuer=data["issuer"],
                    valid_until=data["valid_until"],
                    uploaded_file=data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("kla:regulations")
    rows = selectors.regulations_for_user(user=user).select_related("document")
    return render(
        request,
        "kla/regulations.html",
        {"rows": rows, "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def deadline_set(request: HttpRequest) -> HttpResponse:
    policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
    year = _year(request)
    form = DeadlineForm(request.POST)
    if form.is_valid() and _service_ok(
        request,
        form,
        lambda: services.deadline_set(
            actor=request.user, year=year, kind=form.cleaned_data["kind"], due_on=form.cleaned_data["due_on"]
        ),
        MSG_SAVED,
    ):
        return redirect(f"{reverse('kla:home')}?year={year.year}")
    return render(request, "kla/home.html", _home_context(request, year, deadline_form=form), status=400)


@login_required
@require_POST
def package_start(request: HttpRequest) -> HttpResponse:
    policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
    year = _year(request)
    try:
        job = job_services.job_start(actor=request.user, kind=KLA_PACKAGE, params={"year": year.year})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('kla:home')}?year={year.year}")
    return redirect("jobs:detail", pk=job.pk)


def _edit_page(request: HttpRequest, form, *, heading, back_url: str, multipart: bool = False) -> HttpResponse:
    return render(
        request,
        "kla/edit.html",
        {"form": form, "heading": heading, "back_url": back_url, "multipart": multipart},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def regulation_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request.user
    reg = selectors.regulation_get_for_user(user=user, pk=pk)
    policy.require(user, "kla.manage_regulation", user.tenant)
    initial = {f: getattr(reg, f) for f in ("kind", "title", "number", "issued_on", "issuer", "valid_until")}
    form = RegulationForm(request.POST or None, request.FILES or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _service_ok(
            request,
            form,
            lambda: services.regulation_save(
                actor=user, regulation=reg, uploaded_file=form.cleaned_data.pop("file"), **form.cleaned_data
            ),
            MSG_SAVED,
        )
    ):
        return redirect("kla:regulations")
    return _edit_page(request, form, heading=str(reg), back_url=reverse("kla:regulations"), multipart=True)


@login_required
@require_POST
def regulation_retire(request: HttpRequest, pk: UUID) -> HttpResponse:
    reg = selectors.regulation_get_for_user(user=request.user, pk=pk)
    retire.regulation_retire(actor=request.user, regulation=reg)
    messages.success(request, MSG_RETIRED)
    return redirect("kla:regulations")


@login_required
@require_POST
def deadline_retire(request: HttpRequest, pk: UUID) -> HttpResponse:
    deadline = selectors.deadline_get_for_user(user=request.user, pk=pk)
    retire.deadline_retire(actor=request.user, deadline=deadline)
    messages.success(request, MSG_RETIRED)
    return redirect(f"{reverse('kla:home')}?year={deadline.year.year}")


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request.user
    activity = selectors.activity_get_for_user(user=user, pk=pk)
    policy.require(user, "kla.manage_workspace", user.tenant)
    agreements = Agreement.objects.filter(visible_agreements_q(user))
    initial = {
        "title": activity.title,
        "agency": activity.agency_id,
        "activity_year": activity.activity_year,
        "budget": activity.budget,
        "status": activity.status,
        "agreement": str(activity.agreement_id) if activity.agreement_id else "",
    }
    form = ActivityForm(request.POST or None, tenant=user.tenant, agreements=agreements[:200], initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _service_ok(
            request, form, lambda: _activity_save(user, form, agreements, activity.indicator, activity), MSG_SAVED
        )
    ):
        return redirect("kla:indicator", pk=activity.indicator_id)
    back = reverse("kla:indicator", args=[activity.indicator_id])
    return _edit_page(request, form, heading=activity.title, back_url=back)


@login_required
@require_POST
def activity_retire(request: HttpRequest, pk: UUID) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    retire.activity_retire(actor=request.user, activity=activity)
    messages.success(request, MSG_RETIRED)
    return redirect("kla:indicator", pk=activity.indicator_id)
