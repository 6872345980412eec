"""Reports: monthly statistics, the SIMFONI-PPA export and the case summary PDF.

Statistics and the export cover the user's own regency only (the tenant is never taken from the
request). The summary PDF is a case-level read: 404 when the case is not visible, 403 when it is
visible but the summary is not allowed (e.g. the Satgas volunteer who reported it).
"""

import re
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.jobs.services import job_start

from . import exports, pdf, selectors
from .jobs import SIMFONI_XLSX, period_params
from .statistics import MIN_YEAR, first_case_year, period_for, statistics_for_period

ERR_EXPORT_INPUT = _("Choose a valid period and format.")


def _year_choices(tenant: Any = None) -> list[tuple[int, int]]:
    """From this year back to the year of the tenant's first case (not to 2000: no empty years to pick).

    Without a tenant (the export form) every year from MIN_YEAR stays valid, as before.
    """
    this_year = timezone.localdate().year
    if tenant is None:
        return [(year, year) for year in range(this_year, MIN_YEAR - 1, -1)]
    first = first_case_year(tenant=tenant)
    return [(year, year) for year in range(this_year, max(MIN_YEAR, min(first or this_year, this_year)) - 1, -1)]


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)

    def __init__(self, *args: Any, tenant: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tenant is not None:
            self.fields["year"].choices = _year_choices(tenant)

    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Whole year")), *MONTHS.items()],
    )


class ExportForm(PeriodForm):
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv")
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices, required=False, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = period_for(
                year=data.get("year"),
                month=data.get("month"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return data


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request)


@login_required
@require_GET
@never_cache
def statistics(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "cases.view_statistics", tenant)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"year": today.year, "month": today.month}, tenant=tenant)
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    else:
        year, month = today.year, today.month
    stats = statistics_for_period(user=request.user, tenant=tenant, period=period_for(year=year, month=month))
    context = {
        "form": form,
        "stats": stats,
        "year": year,
        "month": month,
        "month_name": MONTHS.get(month, ""),
        "can_export": policy.can(request.user, "cases.export_simfoni", tenant),
    }
    template = "cases/reports/statistics.html"
    if _is_partial(request):
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@ratelimit(key="user", rate="30/h", block=True)
def export_simfoni(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "cases.export_simfoni", tenant)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(str(ERR_EXPORT_INPUT), content_type="text/plain; charset=utf-8")
    period = form.cleaned_data["period"]
    try:
        if form.cleaned_data["format"] == "xlsx":
            # The workbook is built by the worker; the job page shows its progress and the download.
            job = job_start(actor=request.user, kind=SIMFONI_XLSX, params=period_params(period))
            return redirect("jobs:detail", pk=job.pk)
        export = exports.simfoni_export(actor=request.user, tenant=tenant, period=period, fmt="csv")
    except forms.ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    filename = f"simfoni-ppa-{tenant.code_compact}-{export.period.slug}.{export.fmt}"
    response = StreamingHttpResponse(exports.csv_lines(export.rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@ratelimit(key="user", rate="60/h", block=True)
def summary_pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    data = pdf.case_summary_pdf(user=request.user, case=case)
    response = HttpResponse(data, content_type="application/pdf")
    safe_number = re.sub(r"[^A-Za-z0-9-]+", "-", case.number).strip("-")
    response["Content-Disposition"] = f'attachment; filename="summary-{safe_number}-{timezone.localdate():%Y%m%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
