import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths an authenticated-but-unverified user may still reach (to finish 2FA or leave).
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/", "/lapor")


class SessionSecurityMiddleware:
    """Idle timeout for every session, and mandatory TOTP for roles that can read identities."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("Your session ended after a period of inactivity. Please log in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            # htmx polling must not keep a session alive forever: only real navigation counts.
            if not request.headers.get("HX-Trigger-Name") == "poll":
                request.session["last_activity"] = now
            if (
                settings.SINERGI_REQUIRE_2FA
                and user.needs_2fa
                and not user.is_verified()
                and not request.path.startswith(_OPEN_PREFIXES)
            ):
                has_device = user.totpdevice_set.filter(confirmed=True).exists()
                target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
                return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)
