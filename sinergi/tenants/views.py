"""Agencies of the tenant: the list and detail everyone of the tenant sees, and their administration."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.core import policy
from sinergi.core.forms import add_service_errors

from . import selectors, services
from .forms import AgencyForm
from .models import Agency

MSG_AGENCY_SAVED = _("Agency saved.")
MSG_AGENCY_DEACTIVATED = _("Agency deactivated: it receives no new referrals. Its users and history stay.")
MSG_AGENCY_REACTIVATED = _("Agency active again.")


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "tenants.view_tenant", request.user.tenant)
    kind = request.GET.get("kind", "")
    if kind not in Agency.Kind.values:
        kind = ""
    can_manage = policy.can(request.user, "tenants.add_agency", request.user.tenant)
    include_inactive = can_manage and request.GET.get("inactive") == "1"
    agencies = selectors.agency_list_for_user(
        user=request.user, kind=kind, q=request.GET.get("q", "")[:100], include_inactive=include_inactive
    )
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    template = "tenants/partials/_agency_rows.html" if request.htmx else "tenants/agency_list.html"
    context = {
        "page": page,
        "kinds": Agency.Kind.choices,
        "kind": kind,
        "can_manage": can_manage,
        "include_inactive": include_inactive,
    }
    return render(request, template, context)


@login_required
def agency_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    agency = selectors.agency_get_for_user(user=request.user, pk=pk)
    policy.require_visible(request.user, "tenants.view_agency", agency)
    members = agency.users.filter(is_active=True).only("full_name", "username", "role").order_by("full_name")
    context = {
        "agency": agency,
        "members": members,
        "can_manage": policy.can(request.user, "tenants.manage_agency", agency),
    }
    return render(request, "tenants/agency_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "tenants.add_agency", tenant)
    form = AgencyForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, tenant=tenant, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_AGENCY_SAVED)
            return redirect("tenants:agency_detail", pk=agency.pk)
    status = 400 if form.errors else 200
    return render(request, "tenants/agency_form.html", {"form": form, "agency": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: UUID) -> HttpResponse:
    agency = selectors.agency_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "tenants.manage_agency", agency)
    form = AgencyForm(request.POST or None, instance=agency, tenant=agency.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, changes=form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_AGENCY_SAVED)
            return redirect("tenants:agency_detail", pk=agency.pk)
    # The form's instance was changed by is_valid(); the page names the agency as it is stored.
    stored = selectors.agency_get_for_user(user=request.user, pk=pk)
    status = 400 if form.errors else 200
    return render(request, "tenants/agency_form.html", {"form": form, "agency": stored}, status=status)


@login_required
@require_POST
def agency_set_active(request: HttpRequest, pk: UUID, active: bool) -> HttpResponse:
    agency = selectors.agency_get_for_user(user=request.user, pk=pk)
    services.agency_set_active(actor=request.user, agency=agency, is_active=active)
    messages.success(request, MSG_AGENCY_REACTIVATED if active else MSG_AGENCY_DEACTIVATED)
    return redirect("tenants:agency_detail", pk=agency.pk)
