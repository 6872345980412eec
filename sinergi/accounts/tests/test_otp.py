from base64 import b32encode

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from sinergi.accounts import services
from sinergi.accounts.roles import Role
from sinergi.accounts.tests.conftest import totp_code
from sinergi.audit.models import AuditEvent

SETUP_URL = "/accounts/2fa/setup/"
VERIFY_URL = "/accounts/2fa/verify/"
pytestmark = pytest.mark.django_db


def _is_verified_session(client) -> bool:
    """A 2FA-requiring page opens without a detour to the 2FA pages."""
    return client.get("/").status_code == 200


# ---- Enforcement -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.OFFICE_HEAD, Role.SERVICE_PROVIDER, Role.SYSTEM_ADMIN])
def test_identity_reader_without_device_is_sent_from_home_to_setup(logged_in, make_user, role):
    client = logged_in(make_user(role))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP_URL}?next=%2F"


def test_case_manager_with_device_is_sent_from_home_to_verify(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).get("/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next=%2F%3Fpage%3D2"


def test_account_page_is_behind_the_second_factor(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)


def test_htmx_request_gets_a_client_side_redirect(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(VERIFY_URL)


def test_analyst_without_device_is_not_asked_for_a_code(logged_in, analyst):
    assert logged_in(analyst).get("/").status_code == 200


def test_analyst_who_enrolled_voluntarily_must_verify(logged_in, analyst):
    TOTPDevice.objects.create(user=analyst, name="authenticator", confirmed=True)
    response = logged_in(analyst).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)


def test_anonymous_user_cannot_open_the_2fa_pages(client):
    for url in (SETUP_URL, VERIFY_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# ---- Setup -----------------------------------------------------------------------------------


def test_setup_page_shows_an_inline_svg_qr_code_and_the_secret(logged_in, case_manager):
    response = logged_in(case_manager).get(SETUP_URL)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    html = response.content.decode()
    assert "<svg" in html
    assert "<script>" not in html
    assert "<img" not in html
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "no-store" in response["Cache-Control"]
    # Reloading the page keeps the same pending secret (the app may already have scanned it).
    logged_in(case_manager).get(SETUP_URL)
    assert TOTPDevice.objects.filter(user=case_manager).count() == 1


def test_setup_with_a_real_code_enrols_and_shows_ten_backup_codes_once(logged_in, case_manager):
    client = logged_in(case_manager)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=case_manager)
    response = client.post(SETUP_URL, {"token": totp_code(device), "next": "/cases/"})
    assert response.status_code == 200
    assert "accounts/backup_codes.html" in [t.name for t in response.templates]
    codes = response.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    stored = set(StaticToken.objects.filter(device__user=case_manager).values_list("token", flat=True))
    assert stored == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert _is_verified_session(client)
    assert AuditEvent.objects.filter(action="account.otp_enrolled", object_id=str(case_manager.pk)).exists()
    # Shown once: the page cannot be reached again to read them.
    again = client.get(SETUP_URL)
    assert again.status_code == 302
    assert codes[0] not in client.get("/accounts/").content.decode()


def test_setup_with_a_wrong_code_does_not_enrol(logged_in, case_manager):
    client = logged_in(case_manager)
    client.get(SETUP_URL)
    response = client.post(SETUP_URL, {"token": "000000"})
    device = TOTPDevice.objects.get(user=case_manager)
    if totp_code(device) == "000000":  # pragma: no cover - one chance in a million
        pytest.skip("the wrong code happened to be right")
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not device.confirmed
    assert device.throttling_failure_count == 1  # the failure survives: the service must not roll it back
    assert not StaticDevice.objects.filter(user=case_manager).exists()


def test_password_only_session_cannot_replace_an_enrolled_device(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).get(SETUP_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=case_manager).count() == 1


def test_analyst_may_enrol_voluntarily(logged_in, analyst):
    client = logged_in(analyst)
    assert client.get(SETUP_URL).status_code == 200
    device = TOTPDevice.objects.get(user=analyst)
    response = client.post(SETUP_URL, {"token": totp_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed


# ---- Verify ----------------------------------------------------------------------------------


def test_verify_with_a_real_totp_code_verifies_the_session(logged_in, case_manager, confirmed_device):
    client = logged_in(case_manager)
    response = client.post(VERIFY_URL, {"token": totp_code(confirmed_device), "next": "/audit/"})
    assert response.status_code == 302
    assert response["Location"] == "/audit/"
    assert _is_verified_session(client)
    assert AuditEvent.objects.filter(action="account.otp_verified", extra__method="totp").exists()


def test_verify_ignores_an_unsafe_next(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).post(
        VERIFY_URL, {"token": totp_code(confirmed_device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_verify_with_a_wrong_code_keeps_the_session_unverified(logged_in, case_manager, confirmed_device):
    client = logged_in(case_manager)
    wrong = "111111" if totp_code(confirmed_device) != "111111" else "222222"
    response = client.post(VERIFY_URL, {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not _is_verified_session(client)
    assert AuditEvent.objects.filter(action="account.otp_failed").exists()


def test_a_totp_code_cannot_be_replayed(logged_in, case_manager, confirmed_device):
    code = totp_code(confirmed_device)
    first = logged_in(case_manager).post(VERIFY_URL, {"token": code})
    assert first.status_code == 302
    other = Client()
    other.force_login(case_manager)
    replay = other.post(VERIFY_URL, {"token": code})
    assert replay.status_code == 200
    assert not _is_verified_session(other)


def test_backup_code_works_once(logged_in, case_manager, confirmed_device):
    codes = services._backup_codes_replace(user=case_manager)
    client = logged_in(case_manager)
    response = client.post(VERIFY_URL, {"token": codes[3].upper()})
    assert response.status_code == 302
    assert _is_verified_session(client)
    assert StaticToken.objects.filter(device__user=case_manager).count() == 9

    other = Client()
    other.force_login(case_manager)
    reused = other.post(VERIFY_URL, {"token": codes[3]})
    assert reused.status_code == 200
    assert not _is_verified_session(other)


@freeze_time("2026-03-02 10:00:00")  # fixed-window limiter: keep the test inside one window
def test_verify_is_rate_limited(logged_in, case_manager, confirmed_device):
    client = logged_in(case_manager)
    for _ in range(10):
        assert client.post(VERIFY_URL, {"token": "abcdefgh"}).status_code == 200
    blocked = client.post(VERIFY_URL, {"token": totp_code(confirmed_device)})
    assert blocked.status_code == 429
    assert not _is_verified_session(client)


def test_verified_user_can_regenerate_backup_codes(client_for, case_manager):
    client = client_for(case_manager)
    old = services._backup_codes_replace(user=case_manager)
    response = client.post("/accounts/2fa/backup-codes/")
    assert response.status_code == 200
    new = response.context["codes"]
    stored = set(StaticToken.objects.filter(device__user=case_manager).values_list("token", flat=True))
    assert stored == set(new)
    assert not stored & set(old)


def test_verify_without_a_device_goes_to_setup(logged_in, case_manager):
    response = logged_in(case_manager).get(f"{VERIFY_URL}?next=/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP_URL}?next=%2Fcases%2F"


def test_verify_when_already_verified_goes_to_next(client_for, case_manager):
    response = client_for(case_manager).get(f"{VERIFY_URL}?next=/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_next_never_points_back_to_the_login_form(logged_in, case_manager, confirmed_device):
    response = logged_in(case_manager).post(
        f"{VERIFY_URL}?next=/accounts/login/", {"token": totp_code(confirmed_device)}
    )
    assert response["Location"] == "/"
