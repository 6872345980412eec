"""The public Informasi Layak Anak (ILA) page per tenant: no login, no JavaScript, cached, not throttled.

Mounted at /ila/. Every figure comes from sinergi.maps.public (disclosure control); the HTML, the JSON
and CSV downloads and the SVG map show the very same published table.
"""

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sinergi.cases.views_public import hotline_context
from sinergi.core import plugins
from sinergi.tenants.models import Tenant

from . import page_cache, selectors
from .public import public_figures_state, public_rendered
from .svg import district_map_svg

PUBLIC_MAX_AGE = 300  # seconds a browser or carrier proxy may keep a page; the server cache does the rest


def _tenants():
    return Tenant.objects.filter(is_active=True).select_related("regency").order_by("name")


def _tenant(code: str) -> Tenant:
    tenant = _tenants().filter(code=code).first()
    if tenant is None:
        raise Http404
    return tenant


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/ila/: the page of the one regency running here, otherwise the list of regencies."""
    tenants = list(_tenants())
    if len(tenants) == 1:
        return redirect("ila:page", code=tenants[0].code)
    context = {"tenants": tenants, **hotline_context()}
    return _public(render(request, "maps/public/choose.html", context))


def _latest_year(figures: dict) -> dict | None:
    return figures["years"][0] if figures["years"] else None


@require_GET
def page(request: HttpRequest, code: str) -> HttpResponse:
    tenant = _tenant(code)
    state = public_figures_state(tenant=tenant)
    # Read before the agencies and settings below: a change committed meanwhile invalidates the page.
    versions = page_cache.page_versions(tenant, counts_version=state.counts_version)
    figures, edition = state.figures, state.edition
    latest = _latest_year(figures)
    context = {
        "edition": edition,
        "tenant": tenant,
        "figures": figures,
        "latest": latest,
        "agencies": selectors.public_agencies(tenant=tenant),
        "contact_lines": selectors.public_contact_lines(tenant=tenant),
        "office_address_lines": [line for line in tenant.office_address.splitlines() if line.strip()],
        **hotline_context(),
        "report_url": reverse("public:report_for", kwargs={"code": tenant.code}),
        "label_small": f"<{figures['rules']['threshold'] + 1}",
        "label_small_sexual": f"<{figures['rules']['threshold_sexual'] + 1}",
        # Sections other apps add (the KLA summary): nothing is rendered when none has data.
        "public_sections": plugins.public_sections(tenant),
    }
    response = _public(render(request, "maps/public/ila.html", context))
    # The language comes from the switch's cookie (DefaultLanguageMiddleware), not from Accept-Language.
    patch_vary_headers(response, ["Cookie"])
    if state.is_current:
        page_cache.mark_storable(response, tenant=tenant, versions=versions)
    return response


@require_GET
def figures_json(request: HttpRequest, code: str) -> HttpResponse:
    body = public_rendered(
        tenant=_tenant(code), kind="json", render=lambda figures: json.dumps(figures, ensure_ascii=False).encode()
    )
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="ila-{code}.json"'
    return _public(response)


def figures_rows(figures: dict) -> list[list[str]]:
    """The CSV: one line per period, kecamatan (or total) and category (or total); hidden as shown."""
    categories = [c["label"] for c in figures["categories"]]
    total = _("Total")
    out = [["periode", "kode_kecamatan", "kecamatan", "kategori", "jumlah"]]
    for year in figures["years"]:
        for table in year["tables"]:
            for row in table["rows"]:
                for label, cell in zip(categories, row["cells"], strict=True):
                    out.append([table["period"], row["code"], row["name"], label, str(cell["shown"])])
                out.append([table["period"], row["code"], row["name"], total, str(row["total"]["shown"])])
            for label, cell in zip(categories, table["col_totals"], strict=True):
                out.append([table["period"], "", total, label, str(cell["shown"])])
            out.append([table["period"], "", total, total, str(table["total"]["shown"])])
    return out


@require_GET
def figures_csv(request: HttpRequest, code: str) -> HttpResponse:
    def render(figures: dict) -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(figures_rows(figures))
        return buffer.getvalue().encode()

    response = HttpResponse(
        public_rendered(tenant=_tenant(code), kind="csv", render=render), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ila-{code}.csv"'
    return _public(response)


@require_GET
def map_svg(request: HttpRequest, code: str) -> HttpResponse:
    """The latest year's published totals per kecamatan, shaded; hidden totals in grey."""
    tenant = _tenant(code)

    def render(figures: dict) -> bytes:
        latest = _latest_year(figures)
        values = {}
        title = _("Cases per kecamatan")
        if latest:
            table = latest["tables"][0]
            values = {row["code"]: row["total"]["value"] for row in table["rows"] if row["code"]}
            title = f"{title}, {table['label']}"
        return district_map_svg(regency_code=tenant.code, values=values, title=title, hidden_label=_("hidden")).encode()

    svg = public_rendered(tenant=tenant, kind="svg", render=render)
    if not svg:
        raise Http404
    return _public(HttpResponse(svg, content_type="image/svg+xml"))
