import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts import services
from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/accounts/me/"
TOKENS_URL = "/api/v1/accounts/tokens/"


def _verified(user):
    user.is_verified = lambda: True
    return user


def _token_client(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


# ---- Services --------------------------------------------------------------------------------


def test_create_returns_the_key_once_and_stores_only_its_hash(case_manager):
    token, key = services.api_token_create(actor=_verified(case_manager), name="SIMFONI sync", expires_in_days=30)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.token_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)
    event = AuditEvent.objects.get(action="account.token_created")
    assert event.object_id == str(token.pk)
    assert key not in event.canonical_payload()
    assert stored.token_hash not in event.canonical_payload()


def test_create_needs_a_verified_session(case_manager):
    case_manager.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=case_manager, name="x")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "days"), [("", None), ("x" * 101, None), ("ok", 0), ("ok", 91), ("ok", 366)])
def test_create_validates_name_and_expiry(case_manager, name, days):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=_verified(case_manager), name=name, expires_in_days=days)


@freeze_time("2026-03-02 10:00:00")
def test_a_token_created_without_an_expiry_expires_after_90_days(case_manager):
    token, _key = services.api_token_create(actor=_verified(case_manager), name="sync")
    assert ApiToken.objects.get(pk=token.pk).expires_at == timezone.now() + timedelta(days=90)


def test_a_shorter_maximum_in_the_settings_is_the_default_and_the_ceiling(case_manager, settings):
    settings.SINERGI_API_TOKEN_MAX_DAYS = 30
    with pytest.raises(ValidationError):
        services.api_token_create(actor=_verified(case_manager), name="too long", expires_in_days=31)
    token, _key = services.api_token_create(actor=case_manager, name="default")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_a_setting_cannot_raise_the_lifetime_above_90_days(case_manager, settings):
    settings.SINERGI_API_TOKEN_MAX_DAYS = 365
    with pytest.raises(ValidationError):
        services.api_token_create(actor=_verified(case_manager), name="forever-ish", expires_in_days=91)
    token, _key = services.api_token_create(actor=case_manager, name="default")
    assert token.expires_at - timezone.now() <= timedelta(days=90)


def test_create_limits_active_tokens(case_manager, monkeypatch):
    monkeypatch.setattr(services, "API_TOKEN_MAX_ACTIVE", 2)
    for n in range(2):
        services.api_token_create(actor=_verified(case_manager), name=f"t{n}")
    with pytest.raises(ValidationError):
        services.api_token_create(actor=case_manager, name="one too many")


def test_revoke_by_someone_else_is_refused(case_manager, make_user):
    token, _key = services.api_token_create(actor=_verified(case_manager), name="mine")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=make_user(), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_is_audited_once(case_manager):
    token, _key = services.api_token_create(actor=_verified(case_manager), name="mine")
    services.api_token_revoke(actor=case_manager, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    services.api_token_revoke(actor=case_manager, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="account.token_revoked").count() == 1


# ---- Token authentication --------------------------------------------------------------------


def test_token_authenticates_api_requests(case_manager):
    _token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    response = _token_client(key).get(ME_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(case_manager.pk)
    assert body["username"] == case_manager.username
    assert body["role"] == Role.CASE_MANAGER
    assert body["tenant"]["code"] == "64.02"
    assert body["agency"]["short_name"] == case_manager.agency.short_name
    assert not {"password", "session_generation", "phone"} & set(body)


def test_revoked_token_gets_401(case_manager):
    token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    services.api_token_revoke(actor=case_manager, token=token)
    response = _token_client(key).get(ME_URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_expired_token_gets_401(case_manager):
    token, key = services.api_token_create(actor=_verified(case_manager), name="sync", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _token_client(key).get(ME_URL).status_code == 401


def test_a_token_created_without_an_expiry_stops_working_after_90_days(case_manager):
    with freeze_time("2026-03-02 10:00:00"):
        _token, key = services.api_token_create(actor=_verified(case_manager), name="forgotten script")
    with freeze_time("2026-05-31 09:59:59"):  # 89 days, 23:59:59 later
        assert _token_client(key).get(ME_URL).status_code == 200
    with freeze_time("2026-05-31 10:00:00"):
        response = _token_client(key).get(ME_URL)
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_failed", "message": "Invalid, expired or revoked token.", "details": {}}
    }


def test_unknown_token_gets_401(db):
    assert _token_client("snrg_" + "x" * 43).get(ME_URL).status_code == 401


def test_token_of_a_deactivated_user_gets_401(case_manager):
    _token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    case_manager.is_active = False
    case_manager.save(update_fields=["is_active"])
    assert _token_client(key).get(ME_URL).status_code == 401


# ---- API: token list / create / revoke -------------------------------------------------------


def test_verified_session_creates_a_token_and_sees_the_key_once(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post(TOKENS_URL, {"name": "dashboard", "expires_in_days": 90}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith("snrg_")
    assert "no-store" in response["Cache-Control"]
    assert _token_client(body["key"]).get(ME_URL).status_code == 200

    listing = client.get(TOKENS_URL).json()
    assert [t["id"] for t in listing["results"]] == [body["id"]]
    assert body["key"] not in str(listing)
    assert "key" not in listing["results"][0]
    assert "token_hash" not in listing["results"][0]


def test_a_token_cannot_create_tokens(case_manager):
    _token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    response = _token_client(key).post(TOKENS_URL, {"name": "more"}, content_type="application/json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_unverified_session_cannot_create_tokens(logged_in, analyst):
    # An analyst needs no 2FA to use the site, but a token counts as verified: it takes a verified session.
    client = logged_in(analyst)
    response = client.post(TOKENS_URL, {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_api_create_rejects_bad_input(client_for, case_manager):
    response = client_for(case_manager).post(
        TOKENS_URL, {"name": "", "expires_in_days": 9999}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"name", "expires_in_days"}


def test_list_shows_only_my_tokens(client_for, case_manager, make_user):
    colleague = make_user(Role.CASE_MANAGER)
    services.api_token_create(actor=_verified(colleague), name="theirs")
    mine, _key = services.api_token_create(actor=_verified(case_manager), name="mine")
    listing = client_for(case_manager).get(TOKENS_URL).json()
    assert [t["id"] for t in listing["results"]] == [str(mine.pk)]


def test_owner_revokes_own_token_through_the_api(client_for, case_manager):
    token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    response = client_for(case_manager).post(f"{TOKENS_URL}{token.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    assert _token_client(key).get(ME_URL).status_code == 401


@pytest.mark.parametrize("same_tenant", [True, False])
def test_someone_elses_token_is_404(client_for, case_manager, make_user, other_tenant, same_tenant):
    outsider = make_user(Role.CASE_MANAGER, **({} if same_tenant else {"tenant": other_tenant}))
    token, key = services.api_token_create(actor=_verified(case_manager), name="sync")
    response = client_for(outsider).post(f"{TOKENS_URL}{token.pk}/revoke/")
    assert response.status_code == 404
    assert _token_client(key).get(ME_URL).status_code == 200
    # Through the UI as well.
    ui = client_for(outsider).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ui.status_code == 404


def test_me_needs_authentication(db):
    assert Client().get(ME_URL).status_code in (401, 403)


# ---- UI --------------------------------------------------------------------------------------


def test_profile_page_shows_account_details(client_for, case_manager):
    response = client_for(case_manager).get("/accounts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case_manager.username in html
    assert case_manager.agency.name in html
    assert "64.02" in html


def test_profile_page_needs_login(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_ui_creates_a_token_and_shows_the_key_only_once(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post("/accounts/tokens/", {"name": "Spreadsheet", "expires_in_days": "30"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=case_manager)
    assert token.token_hash == ApiToken.hash_key(key)
    assert key not in client.get("/accounts/").content.decode()


@freeze_time("2026-03-02 10:00:00")
def test_ui_token_create_with_htmx_returns_the_partial(client_for, case_manager):
    response = client_for(case_manager).post(
        "/accounts/tokens/", {"name": "Spreadsheet", "expires_in_days": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "accounts/partials/_tokens.html"
    assert ApiToken.objects.get(user=case_manager).expires_at == timezone.now() + timedelta(days=90)
    # The page says when the new key stops working (Indonesian UI: "31 Mei 2026").
    assert "31 Mei 2026" in response.content.decode()


def test_ui_offers_no_token_that_never_expires(client_for, case_manager):
    response = client_for(case_manager).get("/accounts/")
    field = response.context["token_form"]["expires_in_days"]
    assert [int(value) for value, _label in field.field.choices] == [7, 30, 90]
    assert field.initial == 90
    refused = client_for(case_manager).post("/accounts/tokens/", {"name": "forever", "expires_in_days": "365"})
    assert refused.status_code == 200
    assert refused.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_ui_lists_each_tokens_expiry_date(client_for, case_manager):
    with freeze_time("2026-03-02 10:00:00"):
        services.api_token_create(actor=_verified(case_manager), name="Spreadsheet", expires_in_days=30)
        html = client_for(case_manager).get("/accounts/").content.decode()
    assert '<time datetime="2026-04-01T17:00:00+07:00">1 April 2026</time>' in html


def test_ui_revokes_own_token(client_for, case_manager):
    token, _key = services.api_token_create(actor=_verified(case_manager), name="old")
    response = client_for(case_manager).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_ui_hides_the_create_form_from_an_unverified_session(logged_in, analyst):
    response = logged_in(analyst).get("/accounts/")
    assert response.status_code == 200
    assert response.context["can_create_token"] is False
    assert logged_in(analyst).post("/accounts/tokens/", {"name": "x"}).status_code == 403
