from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.core import policy

from . import selectors
from .models import Agency


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "tenants.view_tenant", request.user.tenant)
    kind = request.GET.get("kind", "")
    if kind not in Agency.Kind.values:
        kind = ""
    agencies = selectors.agency_list_for_user(user=request.user, kind=kind, q=request.GET.get("q", "")[:100])
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    template = "tenants/partials/_agency_rows.html" if request.htmx else "tenants/agency_list.html"
    return render(request, template, {"page": page, "kinds": Agency.Kind.choices, "kind": kind})


@login_required
def agency_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    agency = selectors.agency_get_for_user(user=request.user, pk=pk)
    policy.require_visible(request.user, "tenants.view_agency", agency)
    members = agency.users.filter(is_active=True).only("full_name", "username", "role").order_by("full_name")
    return render(request, "tenants/agency_detail.html", {"agency": agency, "members": members})
