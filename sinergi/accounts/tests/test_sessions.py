import time

import pytest
from django.test import Client

from sinergi.accounts import services
from sinergi.accounts.models import ApiToken
from sinergi.accounts.tests.factories import TEST_PASSWORD
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _is_logged_in(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 200


# ---- Logout ----------------------------------------------------------------------------------


def test_logout_needs_post(client_for, analyst):
    client = client_for(analyst)
    assert client.get("/accounts/logout/").status_code == 405
    assert _is_logged_in(client)


def test_logout_ends_the_session(client_for, analyst):
    client = client_for(analyst)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not _is_logged_in(client)
    assert AuditEvent.objects.filter(action="account.logout", actor=analyst).exists()


def test_logout_everywhere_ends_other_sessions_and_revokes_api_tokens(client_for, case_manager, make_user):
    laptop = client_for(case_manager)
    phone = client_for(case_manager)
    case_manager.is_verified = lambda: True
    _token, key = services.api_token_create(actor=case_manager, name="integration")
    already_revoked, _old_key = services.api_token_create(actor=case_manager, name="old")
    services.api_token_revoke(actor=case_manager, token=already_revoked)
    revoked_at = ApiToken.objects.get(pk=already_revoked.pk).revoked_at
    colleague = make_user()
    colleague.is_verified = lambda: True
    _theirs, their_key = services.api_token_create(actor=colleague, name="theirs")
    assert Client().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert _is_logged_in(phone)

    response = laptop.post("/accounts/logout-all/")
    assert response.status_code == 302

    assert not _is_logged_in(phone)
    assert not _is_logged_in(laptop)
    api = Client().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "authentication_failed"
    assert ApiToken.objects.get(pk=already_revoked.pk).revoked_at == revoked_at
    assert Client().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {their_key}").status_code == 200
    event = AuditEvent.objects.get(action="account.logout_all", actor=case_manager)
    assert event.extra["tokens_revoked"] == 1


def test_logout_everywhere_does_not_touch_other_users(client_for, make_user):
    alice, bob = make_user(), make_user()
    alice_client, bob_client = client_for(alice), client_for(bob)
    alice_client.post("/accounts/logout-all/")
    assert _is_logged_in(bob_client)


def test_logout_everywhere_needs_post(client_for, analyst):
    client = client_for(analyst)
    assert client.get("/accounts/logout-all/").status_code == 405


# ---- Idle timeout ----------------------------------------------------------------------------


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session["last_activity"] = int(time.time()) - seconds
    session.save()


def test_idle_session_is_logged_out(client_for, case_manager, settings):
    client = client_for(case_manager)
    assert _is_logged_in(client)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get("/cases/?page=3")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcases%2F%3Fpage%3D3"
    login_page = client.get(response["Location"])
    assert login_page.context["idle_logout"] is True
    assert client.get("/accounts/login/").context["idle_logout"] is False  # the notice is shown once
    assert not _is_logged_in(client)


def test_recently_active_session_stays(client_for, case_manager, settings):
    client = client_for(case_manager)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT - 60)
    assert _is_logged_in(client)
    assert client.session["last_activity"] >= int(time.time()) - 5


def test_htmx_polling_does_not_keep_a_session_alive(client_for, analyst, settings):
    client = client_for(analyst)
    _age_session(client, 120)
    before = client.session["last_activity"]
    client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="poll")
    assert client.session["last_activity"] == before


def test_idle_api_session_is_refused(client_for, analyst, settings):
    client = client_for(analyst)
    assert client.get("/api/v1/accounts/me/").status_code == 200
    _age_session(client, settings.SESSION_IDLE_TIMEOUT + 5)
    assert client.get("/api/v1/accounts/me/").status_code == 401


def test_idle_htmx_request_gets_a_client_side_redirect(client_for, analyst, settings):
    client = client_for(analyst)
    _age_session(client, settings.SESSION_IDLE_TIMEOUT + 5)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/")


# ---- Password change -------------------------------------------------------------------------


def test_password_change_keeps_this_session_and_ends_the_others(client_for, analyst):
    here, elsewhere = client_for(analyst), client_for(analyst)
    new_password = "Kupu-kupu terbang 2026!"
    response = here.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password(new_password)
    assert _is_logged_in(here)
    assert not _is_logged_in(elsewhere)
    event = AuditEvent.objects.get(action="account.password_changed")
    assert new_password not in event.canonical_payload()


@pytest.mark.parametrize("bad", ["short1!", "password1234", "12345678901234"])
def test_password_change_applies_the_validators(client_for, analyst, bad):
    client = client_for(analyst)
    response = client.post(
        "/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": bad, "new_password2": bad}
    )
    assert response.status_code == 200
    assert response.context["password_form"].errors["new_password2"]
    analyst.refresh_from_db()
    assert analyst.check_password(TEST_PASSWORD)


def test_password_change_needs_the_old_password(client_for, analyst):
    new_password = "Kupu-kupu terbang 2026!"
    response = client_for(analyst).post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 200
    assert response.context["password_form"].errors["old_password"]
    analyst.refresh_from_db()
    assert analyst.check_password(TEST_PASSWORD)
