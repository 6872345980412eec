import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts import services
from sinergi.accounts.admin import SinergiAdminSite
from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent

ADMIN = "/admin/"
pytestmark = pytest.mark.django_db


def test_admin_site_is_the_sinergi_site():
    assert isinstance(admin.site, SinergiAdminSite)


def test_verified_system_admin_gets_the_admin(client_for, sysadmin):
    response = client_for(sysadmin).get(ADMIN)
    assert response.status_code == 200
    for model in ("user", "apitoken", "tenant", "agency"):
        assert (
            f"/admin/{'accounts' if model in ('user', 'apitoken') else 'tenants'}/{model}/" in response.content.decode()
        )


def test_case_manager_with_is_staff_gets_no_admin(client_for, make_user):
    staff_manager = make_user(Role.CASE_MANAGER, is_staff=True)
    client = client_for(staff_manager)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert client.get("/admin/accounts/user/").status_code != 200


def test_superuser_flag_alone_does_not_open_the_admin(client_for, make_user):
    boss = make_user(Role.OFFICE_HEAD, is_staff=True, is_superuser=True)
    assert client_for(boss).get(ADMIN, follow=True).status_code == 403


def test_system_admin_without_is_staff_gets_no_admin(client_for, make_user):
    admin_user = make_user(Role.SYSTEM_ADMIN, is_staff=False)
    assert client_for(admin_user).get(ADMIN, follow=True).status_code == 403


def test_system_admin_without_verified_otp_gets_no_admin(logged_in, sysadmin, settings):
    TOTPDevice.objects.create(user=sysadmin, name="authenticator", confirmed=True)
    client = logged_in(sysadmin)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/verify/")
    assert "admin/index.html" not in [t.name for t in response.templates]
    # Even where 2FA is not enforced site-wide, the admin itself still insists on it.
    settings.SINERGI_REQUIRE_2FA = False
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/verify/")


def test_anonymous_is_sent_to_the_sinergi_login(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_user_change_page_hides_the_password_hash(client_for, sysadmin, make_user):
    target = make_user(Role.CASE_MANAGER)
    html = client_for(sysadmin).get(f"/admin/accounts/user/{target.pk}/change/").content.decode()
    assert target.username in html
    assert target.password not in html
    assert target.password.split("$")[0] + "$" not in html  # not even the algorithm/salt summary


def test_admin_change_is_audited(client_for, sysadmin, make_user):
    target = make_user(Role.ANALYST)
    client = client_for(sysadmin)
    response = client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "full_name": "Nama Baru",
            "email": target.email,
            "phone": "",
            "tenant": target.tenant_id,
            "agency": target.agency_id,
            "role": Role.ANALYST,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    target.refresh_from_db()
    assert target.full_name == "Nama Baru"
    event = AuditEvent.objects.get(action="admin.change", object_id=str(target.pk))
    assert event.actor_id == sysadmin.pk


def test_api_tokens_are_read_only_and_hash_is_hidden(client_for, sysadmin, case_manager):
    case_manager.is_verified = lambda: True
    token, _key = services.api_token_create(actor=case_manager, name="sync")
    client = client_for(sysadmin)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert page.status_code == 200
    assert token.token_hash not in page.content.decode()
    client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"name": "renamed"})
    assert ApiToken.objects.get(pk=token.pk).name == "sync"
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_totp_device_admin_never_shows_the_secret(client_for, sysadmin, case_manager):
    device = TOTPDevice.objects.create(user=case_manager, name="authenticator", confirmed=True)
    client = client_for(sysadmin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    # django-otp's own admin has config/ and qrcode/ views that reveal the key: they are gone.
    for view in ("config", "qrcode"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
        followed = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{view}/", follow=True)
        assert device.key not in followed.content.decode()


def test_a_tenants_system_admin_who_is_not_a_superuser_gets_no_admin(make_user, client_for):
    tenant_admin = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=False)
    response = client_for(tenant_admin).get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/accounts/user/" not in response.content.decode()
