"""The tenant's user administration (system admin, office head): thin views over services/users.py."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.core.http import AuthenticatedHttpRequest
from sinergi.tenants.models import Agency

from . import selectors, services
from .forms import OtpResetForm, UserAdminForm, UserCreateForm
from .models import User
from .roles import Role

MSG_SAVED = _("User saved.")
MSG_LINK_SENT = _("A link to set a new password has been sent to %(email)s.")
MSG_OTP_RESET = _("The second factor has been removed. The user sets up a new one at the next sign-in.")
MSG_DEACTIVATED = _("User deactivated: their sessions and API tokens have ended. Their history stays.")
MSG_REACTIVATED = _("User active again.")
STATUSES = ("active", "inactive", "all")


def _grantable_roles(actor: User) -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Role.choices if policy.can(actor, "accounts.grant_role", value)]


def _agencies(actor: User, current: Agency | None = None):
    qs = Agency.objects.filter(tenant_id=actor.tenant_id, is_active=True)  # type: ignore[misc]  # None matches nothing
    if current is not None:  # a user of an agency deactivated since keeps it until moved
        qs = Agency.objects.filter(tenant_id=actor.tenant_id).filter(pk=current.pk) | qs  # type: ignore[misc]
    return qs.order_by("name")


@never_cache
@login_required
@require_GET
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    status = status if status in STATUSES else "active"
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    users = selectors.user_list_for_admin(user=request.user, q=request.GET.get("q", "")[:100], role=role, status=status)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {"page": page, "roles": Role.choices, "role": role, "status": status}
    template = "accounts/users/partials/_user_rows.html" if request.htmx else "accounts/users/list.html"
    return render(request, template, context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "accounts.manage_users", tenant)
    form = UserCreateForm(request.POST or None, roles=_grantable_roles(request.user), agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user, initial_password = services.user_admin_create(actor=request.user, tenant=tenant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if initial_password:
                # Shown in this one response only: never stored in clear, never redirected with.
                return render(request, "accounts/users/created.html", {"account": user, "password": initial_password})
            messages.success(request, MSG_LINK_SENT % {"email": user.email})
            return redirect("accounts_users:detail", pk=user.pk)
    return render(request, "accounts/users/create.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: AuthenticatedHttpRequest, account: User, *, form=None, otp_form=None, status: int = 200
) -> HttpResponse:
    actor = request.user
    can_change_role = policy.can(actor, "accounts.change_user_role", account)
    roles = _grantable_roles(actor) if can_change_role else [(account.role, account.get_role_display())]
    if form is None:
        initial = {
            "full_name": account.full_name,
            "email": account.email,
            "phone": account.phone,
            "role": account.role,
            "agency": account.agency_id,
        }
        form = UserAdminForm(initial=initial, roles=roles, agencies=_agencies(actor, account.agency))
    if not can_change_role:
        form.fields["role"].disabled = True
    context = {
        "account": account,
        "form": form,
        "otp_form": otp_form or OtpResetForm(),
        "has_second_factor": selectors.user_has_second_factor(user=account),
        "can_change": policy.can(actor, "accounts.change_user", account),
        "can_deactivate": policy.can(actor, "accounts.deactivate_user", account),
        "can_reset_password": policy.can(actor, "accounts.reset_user_password", account),
        "can_reset_otp": policy.can(actor, "accounts.reset_user_otp", account),
    }
    return render(request, "accounts/users/detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    account = selectors.user_get_for_admin(user=request.user, pk=pk)
    if request.method == "GET":
        return _detail(request, account)
    policy.require(request.user, "accounts.change_user", account)
    can_change_role = policy.can(request.user, "accounts.change_user_role", account)
    roles = _grantable_roles(request.user) if can_change_role else [(account.role, account.get_role_display())]
    form = UserAdminForm(request.POST, roles=roles, agencies=_agencies(request.user, account.agency))
    if not can_change_role:
        form.fields["role"].disabled = True
        form.initial["role"] = account.role
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.user_admin_update(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                agency=data["agency"],
                role=data["role"] if can_change_role else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("accounts_users:detail", pk=account.pk)
    return _detail(request, account, form=form, status=400)


@login_required
@require_POST
def user_set_active(request: AuthenticatedHttpRequest, pk: UUID, active: bool) -> HttpResponse:
    account = selectors.user_get_for_admin(user=request.user, pk=pk)
    try:
        services.user_admin_set_active(actor=request.user, user=account, is_active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MSG_REACTIVATED if active else MSG_DEACTIVATED)
    return redirect("accounts_users:detail", pk=account.pk)


@login_required
@require_POST
def user_password_reset(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    account = selectors.user_get_for_admin(user=request.user, pk=pk)
    try:
        services.user_admin_send_password_link(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MSG_LINK_SENT % {"email": account.email})
    return redirect("accounts_users:detail", pk=account.pk)


@login_required
@require_POST
def user_otp_reset(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    account = selectors.user_get_for_admin(user=request.user, pk=pk)
    policy.require(request.user, "accounts.reset_user_otp", account)
    form = OtpResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_admin_reset_otp(actor=request.user, user=account, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="reason")
        else:
            messages.success(request, MSG_OTP_RESET)
            return redirect("accounts_users:detail", pk=account.pk)
    return _detail(request, account, otp_form=form, status=400)
