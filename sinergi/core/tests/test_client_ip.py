"""Which address is "the client": rate limits, lockouts and the audit trail all key on it.

Behind the documented nginx (proxy_pass to 127.0.0.1) every request reaches Django with
REMOTE_ADDR 127.0.0.1; without SINERGI_TRUSTED_PROXIES every per-IP limit would be one global
bucket. Without a proxy, X-Forwarded-For is whatever the client typed and must be ignored.
"""

import pytest
from django.test import RequestFactory
from freezegun import freeze_time
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.core.middleware import TrustedProxyMiddleware

LOGIN_URL = "/accounts/login/"
PROXY = "127.0.0.1"

pytestmark = pytest.mark.django_db


def _client_ip(settings, *, trusted: int, remote: str, xff: str | None) -> str:
    settings.SINERGI_TRUSTED_PROXIES = trusted
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    request = RequestFactory().get("/", **extra)
    seen = {}

    def view(req):
        seen["ip"] = req.META["REMOTE_ADDR"]

    TrustedProxyMiddleware(view)(request)
    return seen["ip"]


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    assert _client_ip(settings, trusted=0, remote="198.51.100.7", xff="10.9.9.9") == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    # The client sent "10.9.9.9" itself; nginx appended the real peer 203.0.113.5.
    assert _client_ip(settings, trusted=1, remote=PROXY, xff="10.9.9.9, 203.0.113.5") == "203.0.113.5"


def test_a_malformed_or_short_header_leaves_remote_addr_alone(settings):
    assert _client_ip(settings, trusted=1, remote=PROXY, xff="not-an-ip") == PROXY
    assert _client_ip(settings, trusted=2, remote=PROXY, xff="203.0.113.5") == PROXY
    assert _client_ip(settings, trusted=1, remote=PROXY, xff=None) == PROXY


def test_drf_throttles_ignore_a_client_supplied_x_forwarded_for():
    # Anonymous API throttles (the public report API) must not be escaped by sending a new
    # X-Forwarded-For with every request.
    raw = RequestFactory().post("/api/v1/public/reports/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert AnonRateThrottle().get_ident(Request(raw)) == "198.51.100.7"


@freeze_time("2026-03-02 10:00:00")  # fixed-window limiter: keep the test inside one window
def test_behind_the_proxy_one_client_cannot_exhaust_the_login_limit_of_everyone(client, settings):
    settings.SINERGI_TRUSTED_PROXIES = 1
    for n in range(21):
        last = client.post(
            LOGIN_URL, {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5"
        )
    assert last.status_code == 429
    other = client.post(
        LOGIN_URL, {"username": "someone", "password": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77"
    )
    assert other.status_code == 200


def test_the_audit_trail_records_the_client_address_not_the_proxy(client, settings, make_user):
    settings.SINERGI_TRUSTED_PROXIES = 1
    user = make_user(Role.ANALYST)
    client.post(
        LOGIN_URL,
        {"username": user.username, "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert AuditEvent.objects.get(action="account.login_failed").ip == "203.0.113.5"
