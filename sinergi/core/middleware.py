import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .context import RequestMeta, reset_meta, set_meta

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class TrustedProxyMiddleware:
    """Make REMOTE_ADDR the real client address, so rate limits, lockouts and audit rows key on it.

    SINERGI_TRUSTED_PROXIES is the number of our own reverse proxies in front of the app, each of which
    appends (or sets) X-Forwarded-For. 0: REMOTE_ADDR already is the client and X-Forwarded-For, typed by
    the client, is ignored. N: the N-th address from the right is the client; anything further left
    came from the client and is never trusted. Must be the first middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.SINERGI_TRUSTED_PROXIES
        if count:
            addrs = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
            if len(addrs) >= count:
                candidate = addrs[-count]
                try:
                    validate_ipv46_address(candidate)
                except ValidationError:
                    pass
                else:
                    request.META["REMOTE_ADDR"] = candidate
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id (or trust a well-formed one from the proxy) and expose audit metadata."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        meta = RequestMeta(
            request_id=request_id,
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        token = set_meta(meta)
        try:
            response = self.get_response(request)
        finally:
            reset_meta(token)
        response["X-Request-ID"] = request_id
        return response


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored.

    Sinergi is an Indonesian government tool and many office PCs run English browsers: the interface
    is Bahasa Indonesia (LANGUAGE_CODE) until the user picks another language with the switch
    (the django_language cookie set by /i18n/setlang/).
    """

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def request_language(request) -> str:
    """The language of a request's pages: the switch's cookie if supported, else LANGUAGE_CODE."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE
