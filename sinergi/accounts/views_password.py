"""Self-service password reset by e-mail. It never signs anyone in and never skips the second factor."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from . import services
from .forms import PasswordResetRequestForm

REQUEST_RATE_IP = "5/h"
REQUEST_RATE_ADDRESS = "3/h"  # per typed address, whoever types it: nobody floods one mailbox
CONFIRM_RATE = "20/h"
MSG_DONE = _("Your password has been changed. Sign in with it; your second factor is still asked for.")


def _address_key(group: str, request: HttpRequest) -> str:
    email = request.POST.get("email", "").strip().lower()[:254]
    return hashlib.sha256(f"{settings.SECRET_KEY}:{email}".encode()).hexdigest()


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=REQUEST_RATE_IP, method="POST", group="accounts.password_reset")
@ratelimit(key=_address_key, rate=REQUEST_RATE_ADDRESS, method="POST", group="accounts.password_reset_address")
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        # The same page whether or not an account has this address.
        return redirect("accounts:password_reset_sent")
    return render(request, "accounts/password_reset_request.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=CONFIRM_RATE, method="POST", group="accounts.password_reset_confirm")
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.password_link_user(uidb64=uidb64, token=token)
    if user is None:
        response = render(request, "accounts/password_reset_invalid.html", status=400)
    else:
        form = SetPasswordForm(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.password_reset_complete(
                    uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password1"]
                )
            except ValidationError as exc:
                form.add_error("new_password1", exc)
            else:
                if request.user.is_authenticated:
                    logout(request)
                messages.success(request, MSG_DONE)
                return redirect("accounts:login")
        response = render(
            request, "accounts/password_reset_confirm.html", {"form": form}, status=400 if form.errors else 200
        )
    # The token is in this page's URL: no other site may ever see it in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response
