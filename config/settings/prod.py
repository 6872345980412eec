"""Production: PostgreSQL, Redis, TLS in front. Refuses to start with demo secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the documented nginx every request comes from 127.0.0.1: take the client address from the
# X-Forwarded-For nginx sets, or every per-IP limit (login, public report) is one global bucket.
SINERGI_TRUSTED_PROXIES = env.int("SINERGI_TRUSTED_PROXIES", default=1)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # A regency's host (sinergi.<kab>.go.id) cannot be preloaded on its own: only the registrable
    # domain's owner can submit it. HSTS itself is on (one year, subdomains).
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Demo logins (public password, public TOTP keys, a superuser) must never reach a real database.
SINERGI_ALLOW_DEMO_DATA = False
# Identity readers must use TOTP in production, whatever the environment says (SINERGI_REQUIRE_2FA
# exists to ease a laptop demo only).
SINERGI_REQUIRE_2FA = True
