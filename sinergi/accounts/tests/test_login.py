import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from freezegun import freeze_time

from sinergi.accounts.tests.factories import TEST_PASSWORD
from sinergi.audit.models import AuditEvent

LOGIN_URL = "/accounts/login/"
pytestmark = pytest.mark.django_db


def _session_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_renders(client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert "accounts/login.html" in [t.name for t in response.templates]
    assert reverse("accounts:login") == LOGIN_URL


def test_analyst_logs_in_and_goes_to_next(client, analyst):
    response = client.post(LOGIN_URL, {"username": analyst.username, "password": TEST_PASSWORD, "next": "/audit/"})
    assert response.status_code == 302
    assert response["Location"] == "/audit/"
    assert _session_user_id(client) == str(analyst.pk)
    event = AuditEvent.objects.filter(action="account.login").get()
    assert event.actor_id == analyst.pk


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_unsafe_next_is_ignored(client, analyst, evil):
    response = client.post(LOGIN_URL, {"username": analyst.username, "password": TEST_PASSWORD, "next": evil})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, analyst):
    wrong = client.post(LOGIN_URL, {"username": analyst.username, "password": "not-the-password"})
    unknown = client.post(LOGIN_URL, {"username": "nobody-here", "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert wrong.context["form"].has_error(NON_FIELD_ERRORS, "invalid_login")
    assert _session_user_id(client) is None


def test_inactive_user_gets_the_generic_error(client, make_user):
    user = make_user(is_active=False)
    response = client.post(LOGIN_URL, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "invalid_login")
    assert _session_user_id(client) is None


def test_failed_login_is_audited_without_the_password(client, analyst):
    client.post(LOGIN_URL, {"username": analyst.username, "password": "Secret-Guess-123"})
    event = AuditEvent.objects.filter(action="account.login_failed").get()
    assert event.extra["username"] == analyst.username
    assert event.object_id == str(analyst.pk)
    assert event.tenant_id == analyst.tenant_id
    assert "Secret-Guess-123" not in event.canonical_payload()


def test_lockout_after_five_failures_even_with_the_right_password(client, analyst):
    for attempt in range(4):
        response = client.post(LOGIN_URL, {"username": analyst.username, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    fifth = client.post(LOGIN_URL, {"username": analyst.username, "password": "wrong-5"})
    assert fifth.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in fifth.templates]

    right = client.post(LOGIN_URL, {"username": analyst.username, "password": TEST_PASSWORD})
    assert right.status_code == 429
    assert _session_user_id(client) is None
    assert AuditEvent.objects.filter(action="account.login_failed", extra__locked_out=True).exists()


def test_lockout_is_per_username_and_ip(client, analyst):
    for attempt in range(5):
        client.post(LOGIN_URL, {"username": analyst.username, "password": f"wrong-{attempt}"})
    other_ip = client.post(LOGIN_URL, {"username": analyst.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


@freeze_time("2026-03-02 10:00:00")  # fixed-window limiter: keep the test inside one window
def test_login_is_rate_limited_per_ip(client, analyst):
    # Different usernames, so axes (username + IP) never triggers: this is the IP limit alone.
    for n in range(20):
        response = client.post(LOGIN_URL, {"username": f"guess{n}", "password": "x"})
        assert response.status_code == 200
    blocked = client.post(LOGIN_URL, {"username": analyst.username, "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert "core/ratelimited.html" in [t.name for t in blocked.templates]
    assert _session_user_id(client) is None


def test_case_manager_without_device_is_sent_to_setup_after_password(client, case_manager):
    response = client.post(LOGIN_URL, {"username": case_manager.username, "password": TEST_PASSWORD, "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/?next=%2Fcases%2F"


def test_case_manager_with_device_is_sent_to_verify_after_password(client, case_manager, confirmed_device):
    response = client.post(LOGIN_URL, {"username": case_manager.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/verify/?next=%2F"
