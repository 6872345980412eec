"""KLA workspace pages (thin): dashboard, indicator with its evidence and reviews, bulk assignment,
regulation library, deadlines, RAD KLA activities and the evidence package job."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import policy
from sinergi.core.forms import add_service_errors, flash_service_result
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
from .services import workspace as services

MSG_SAVED = _("Saved.")
MSG_ADDED = _("Evidence added.")
MSG_REVIEWED = _("Review saved.")


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
    year = _year(request)
    score = selectors.score_for_user(user=user, year=year)
    is_secretariat = policy.can(user, "kla.manage_workspace", user.tenant)
    return render(
        request,
        "kla/home.html",
        {
            "year": year,
            "score": score,
            "is_secretariat": is_secretariat,
            "heatmap": charts.heatmap(score),
            "gauge": charts.gauge(score),
            "raises": score.raises_most(),
            "overdue": selectors.overdue_agencies(score=score, tenant=user.tenant, year=year) if is_secretariat else [],
            "deadlines": selectors.deadlines_for(tenant=user.tenant, year=year),
            "deadline_form": DeadlineForm(),
            "yoy": scoring.year_over_year(tenant=user.tenant, year=year) if is_secretariat else [],
            "special": selectors.special_protection_counts(user=user, year=year),
        },
    )


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
        "review_form": ReviewForm(),
        "replace_form": ReplaceForm(),
        "self_form": SelfAssessmentForm(initial={"points": score.self_points if score else 0}),
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
                from django.contrib import messages

                messages.success(request, MSG_ADDED)
                return redirect("kla:indicator", pk=indicator.pk)
        return render(
            request, "kla/indicator.html", _indicator_context(request, indicator, evidence_form=form), status=400
        )
    return render(request, "kla/indicator.html", _indicator_context(request, indicator))


@login_required
@require_POST
def evidence_review(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.evidence_review(
                actor=request.user,
                item=item,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            ),
            MSG_REVIEWED,
        )
    return redirect("kla:indicator", pk=item.indicator_id)


@login_required
@require_POST
def evidence_replace(request: HttpRequest, pk: UUID) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, pk=pk)
    form = ReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.evidence_replace(actor=request.user, item=item, uploaded_file=form.cleaned_data["file"]),
            MSG_SAVED,
        )
    return redirect("kla:indicator", pk=item.indicator_id)


@login_required
@require_POST
def self_assessment(request: HttpRequest, pk: UUID) -> HttpResponse:
    indicator = selectors.indicator_get_for_user(user=request.user, pk=pk)
    form = SelfAssessmentForm(request.POST)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.self_assessment_set(
                actor=request.user,
                indicator=indicator,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
            ),
            MSG_SAVED,
        )
    return redirect("kla:indicator", pk=indicator.pk)


@login_required
@require_POST
def activity_create(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request.user
    indicator = selectors.indicator_get_for_user(user=user, pk=pk)
    agreements = Agreement.objects.filter(visible_agreements_q(user))
    form = ActivityForm(request.POST, tenant=user.tenant, agreements=agreements[:200])
    if form.is_valid():
        data = form.cleaned_data
        agreement = agreements.filter(pk=data["agreement"]).first() if data["agreement"] else None
        flash_service_result(
            request,
            lambda: services.activity_save(
                actor=user,
                indicator=indicator,
                agency=data["agency"],
                title=data["title"],
                activity_year=data["activity_year"],
                budget=data["budget"] or 0,
                status=data["status"],
                agreement=agreement,
            ),
            MSG_SAVED,
        )
    return redirect("kla:indicator", pk=indicator.pk)


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
        ok = flash_service_result(
            request,
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
    year = _year(request)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.deadline_set(
                actor=request.user, year=year, kind=form.cleaned_data["kind"], due_on=form.cleaned_data["due_on"]
            ),
            MSG_SAVED,
        )
    return redirect(f"{reverse('kla:home')}?year={year.year}")


@login_required
@require_POST
def package_start(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    try:
        job = job_services.job_start(actor=request.user, kind=KLA_PACKAGE, params={"year": year.year})
    except ValidationError as exc:
        from django.contrib import messages

        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('kla:home')}?year={year.year}")
    return redirect("jobs:detail", pk=job.pk)
