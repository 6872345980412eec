import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sinergi.core import plugins

from . import selectors

# Paths an authenticated-but-unverified user may still reach: the prefixes apps register
# (sinergi.core.plugins.second_factor_exempt; the API has its own gate, IsAuthenticatedVerified) and
# the public pages. Only the sign-in, 2FA and logout pages of /accounts/ are open, so the account page
# (tokens, password) is behind the second factor.
_OPEN_ACCOUNT_URLS = ("accounts:login", "accounts:logout", "accounts:otp_setup", "accounts:otp_verify")
# Every page under it is open: the reset link from an e-mail may be opened in a half-signed-in browser.
_OPEN_ACCOUNT_PREFIX = "accounts:password_reset"
# Marker left in the fresh session after an idle logout, read (and removed) by the login page.
IDLE_LOGOUT_SESSION_KEY = "sinergi_idle_logout"
# Refresh the activity stamp at most this often, so not every request writes the session.
_ACTIVITY_RESOLUTION_SECONDS = 60


def _redirect(request, url_name: str) -> HttpResponse:
    target = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        # A 302 would make htmx swap the login page into a fragment: ask for a full navigation.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


class SessionSecurityMiddleware:
    """Idle timeout for every session, and mandatory TOTP for roles that can read identities.

    Must come after AuthenticationMiddleware and django-otp's OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                request.session[IDLE_LOGOUT_SESSION_KEY] = True
                return _redirect(request, "accounts:login")
            # htmx polling must not keep a session alive forever: only real navigation counts.
            is_poll = request.headers.get("HX-Trigger-Name") == "poll"
            if not is_poll and (last is None or now - last >= _ACTIVITY_RESOLUTION_SECONDS):
                request.session["last_activity"] = now
            if not self._is_open(request.path):
                target = selectors.otp_pending_step(user=user)
                if target is not None:
                    return _redirect(request, target)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(plugins.second_factor_exempt_prefixes()) or path.startswith(reverse(_OPEN_ACCOUNT_PREFIX)):
            return True
        return any(path == reverse(name) for name in _OPEN_ACCOUNT_URLS)
