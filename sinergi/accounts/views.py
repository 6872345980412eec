"""Sign-in, two-factor authentication, sessions and the account page (thin views)."""

from urllib.parse import urlencode
from uuid import UUID

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.http import AuthenticatedHttpRequest

from . import lockout, selectors, services
from .forms import ApiTokenCreateForm, LoginForm, OtpSetupForm, OtpTokenForm, SinergiPasswordChangeForm
from .middleware import IDLE_LOGOUT_SESSION_KEY
from .models import User

LOGIN_RATE = "20/5m"
OTP_RATE = "10/5m"
CHANGE_RATE = "10/h"  # password changes per user
ERR_BAD_CODE = gettext_lazy("That code is not valid. Check your authenticator app and try again.")


def _user_ip_key(group: str, request: HttpRequest) -> str:
    return f"{request.user.pk}:{request.META.get('REMOTE_ADDR', '')}"


def _safe_next(request: HttpRequest) -> str:
    """The `next` target when it stays on this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not candidate.startswith(reverse("accounts:login"))  # never loop back to the login form
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


# ---- Sign-in ---------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=LOGIN_RATE, method="POST", group="accounts.login")
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.method == "POST":
        # authenticate() runs through django-axes: after 5 failures (username + IP) every attempt
        # fails and AxesMiddleware answers with accounts/locked_out.html. Then through the account
        # lockout (sinergi.accounts.lockout, any address), which answers like a wrong password.
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            services.login_record(user=user)
            step = selectors.otp_pending_step(user=user)
            response = redirect(_with_next(step, next_url) if step else next_url)
            if not step:  # with a second factor pending, the browser is trusted only once it is passed
                _set_device_cookie(request, response, user=user)
            return response
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            services.login_failed_record(
                username=request.POST.get("username", ""),
                locked_out=bool(
                    getattr(request, "axes_locked_out", False) or getattr(request, "sinergi_account_locked", False)
                ),
            )
    else:
        form = LoginForm(request)
    idle_logout = request.session.pop(IDLE_LOGOUT_SESSION_KEY, False)
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "idle_logout": idle_logout})


def _set_device_cookie(request: HttpRequest, response: HttpResponse, *, user: User) -> None:
    """Remember this browser for the account, so an account lock caused elsewhere does not apply to it."""
    value = lockout.device_cookie_value(user=user, device_cookie=request.COOKIES.get(lockout.DEVICE_COOKIE))
    response.set_cookie(
        lockout.DEVICE_COOKIE,
        value,
        max_age=int(settings.SINERGI_DEVICE_COOKIE_AGE.total_seconds()),
        path=reverse("accounts:profile"),  # /accounts/: the login and the password change read it
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
@require_POST
def logout_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.user_logout_everywhere(actor=request.user)
    auth_logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# ---- Two-factor authentication ---------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=_user_ip_key, rate=OTP_RATE, method="POST", group="accounts.otp")
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request)
    if selectors.totp_device_confirmed_exists(user=user):
        if user.is_verified():
            messages.info(request, _("Two-factor authentication is already set up."))
            return redirect("accounts:profile")
        return redirect(_with_next("accounts:otp_verify", next_url))
    device = services.otp_setup_start(user=user)
    form = OtpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.otp_setup_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            django_otp.login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url, "enrolled": True})
        form.add_error("token", ERR_BAD_CODE)
    context = {"form": form, "next": next_url, "provisioning": selectors.totp_provisioning(device=device)}
    return render(request, "accounts/otp_setup.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=_user_ip_key, rate=OTP_RATE, method="POST", group="accounts.otp")
def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    if not selectors.totp_device_confirmed_exists(user=user):
        return redirect(_with_next("accounts:otp_setup", next_url))
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session.cycle_key()
            if isinstance(device, StaticDevice):
                remaining = selectors.backup_codes_remaining(user=user)
                messages.warning(
                    request, _("You used a backup code. Backup codes left: %(count)d.") % {"count": remaining}
                )
            response = redirect(next_url)
            _set_device_cookie(request, response, user=user)
            return response
        form.add_error("token", ERR_BAD_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_required
@never_cache
@require_POST
def backup_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = services.backup_codes_regenerate(actor=request.user)
    next_url = reverse("accounts:profile")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url, "enrolled": False})


# ---- Account page ----------------------------------------------------------------------------


def _profile_context(request: AuthenticatedHttpRequest, **overrides) -> dict:
    user = request.user
    context = {
        "account": user,
        "has_totp": selectors.totp_device_confirmed_exists(user=user),
        "is_verified": user.is_verified(),
        "backup_codes_remaining": selectors.backup_codes_remaining(user=user),
        "tokens": selectors.api_token_list_for_user(user=user),
        "can_create_token": policy.can(user, "accounts.create_api_token"),
        "can_view_api_docs": policy.can(user, "accounts.view_api_docs"),
        "token_form": ApiTokenCreateForm(max_days=services.api_token_max_days()),
        "token_max_days": services.api_token_max_days(),
        "password_form": SinergiPasswordChangeForm(user),
        "new_key": None,
        "new_token": None,
    }
    context.update(overrides)
    return context


def _render_profile(request: AuthenticatedHttpRequest, **overrides) -> HttpResponse:
    context = _profile_context(request, **overrides)
    template = "accounts/partials/_tokens.html" if request.htmx else "accounts/profile.html"
    return render(request, template, context)


@login_required
@never_cache
@require_GET
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_profile(request)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
@require_POST
@ratelimit(key="user", rate=CHANGE_RATE, method="POST", group="accounts.password")
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SinergiPasswordChangeForm(request.user, request.POST, request=request)
    if form.is_valid():
        try:
            services.user_password_change(actor=request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed. Other sessions were logged out."))
            return redirect("accounts:profile")
    context = _profile_context(request, password_form=form)
    return render(request, "accounts/profile.html", context)


@login_required
@never_cache
@require_POST
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST, max_days=services.api_token_max_days())
    if form.is_valid():
        try:
            token, key = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The key is rendered into this one response only: never stored, never redirected with.
            return _render_profile(request, new_key=key, new_token=token)
    return _render_profile(request, token_form=form)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    if request.htmx:
        return _render_profile(request)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:profile")
