"""The office's data map, service performance and child-population import (logged in, mounted at /maps/).

Thin views: every figure comes from the selectors the API uses (office, performance, coverage), through
sinergi.maps.policy. The map page is a server-rendered table first; static/js/maps_office.js draws the
Leaflet choropleth from /api/v1/maps/ and shows a region's trend and breakdown on click.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sinergi.core import policy
from sinergi.core.clock import tenant_today
from sinergi.core.forms import add_service_errors

from . import office, population
from .coverage import satgas_coverage
from .forms import MapFilterForm, PeriodForm, PopulationImportForm
from .performance import service_performance


@login_required
@require_GET
def office_map(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "maps.view_office_map", tenant)
    data = request.GET.copy()
    data.setdefault("year", str(tenant_today(tenant).year))
    form = MapFilterForm(data)
    if not form.is_valid():
        return render(request, "maps/office_map.html", {"form": form}, status=400)
    q = office.map_query(**form.query_kwargs())
    try:
        figures = office.office_map(user=request.user, tenant=tenant, q=q)
        region = None
        if request.GET.get("region"):
            region = office.region_detail(user=request.user, tenant=tenant, q=q, code=request.GET["region"])
    except ValidationError as exc:  # a view below kecamatan that protected readers may not have
        add_service_errors(form, exc)
        return render(request, "maps/office_map.html", {"form": form}, status=400)
    coverage = satgas_coverage(user=request.user, tenant=tenant)
    data.pop("region", None)
    query_string = data.urlencode()
    if region is not None:
        api = reverse("maps_api:region", kwargs={"code": region["region"]["code"]})
        region = {
            **region,
            "tables": [region["trend"], *region["breakdowns"]],
            "csv": f"{api}?{query_string}&format=csv",
            "xlsx": f"{api}?{query_string}&format=xlsx",
        }
    context = {
        "region": region,
        "form": form,
        "q": q,
        "figures": figures,
        "coverage": coverage,
        "uncovered": [v for v in coverage["villages"] if not v["covered"]],
        "query_string": query_string,
        "api_map": reverse("maps_api:office"),
        "api_region": reverse("maps_api:region", kwargs={"code": "00"}),
        "api_boundaries": reverse("maps_api:boundaries", kwargs={"level": q.level}),
        "tile_url": settings.SINERGI_MAP_TILE_URL,
        "tile_attribution": settings.SINERGI_MAP_TILE_ATTRIBUTION,
        "can_import": policy.can(request.user, "maps.import_child_population", tenant),
    }
    return render(request, "maps/office_map.html", context)


@login_required
@require_GET
def performance(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "maps.view_service_performance", tenant)
    data = request.GET.copy()
    data.setdefault("year", str(tenant_today(tenant).year))
    form = PeriodForm(data)
    if not form.is_valid():
        return render(request, "maps/performance.html", {"form": form}, status=400)
    from sinergi.cases.statistics import period_for

    period = period_for(year=form.cleaned_data["year"])
    context = {
        "form": form,
        "data": service_performance(user=request.user, tenant=tenant, period=period),
        "query_string": form.data.urlencode(),
        "api_url": reverse("maps_api:performance"),
    }
    return render(request, "maps/performance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def population_import(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "maps.import_child_population", tenant)
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    row_errors: list = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = population.child_population_import(
                actor=request.user, tenant=tenant, raw=upload.read(population.MAX_BYTES + 1)
            )
        except population.PopulationImportError as exc:
            row_errors = exc.row_errors
            status = 400
        else:
            messages.success(request, _("%(n)s rows of child population imported.") % {"n": n})
            return redirect("maps:population")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "row_errors": row_errors, "years": population.population_years(tenant=tenant)}
    return render(request, "maps/population.html", context, status=status)
