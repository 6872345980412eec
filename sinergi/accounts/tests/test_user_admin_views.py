"""The user administration through the pages and the API: wiring, personas, 404 across tenants, audit."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

REASON = "Ponsel hilang, identitas dicek langsung di kantor"


@pytest.fixture
def api_as():
    """An API client authenticated with a fresh token of `user` (tokens count as second-factor verified)."""
    from sinergi.accounts.models import ApiToken

    def _client(user) -> Client:
        key = ApiToken.generate_key()
        ApiToken.objects.create(user=user, name="admin-api", prefix=key[:12], token_hash=ApiToken.hash_key(key))
        return Client(HTTP_AUTHORIZATION=f"Token {key}")

    return _client


# ---- pages -------------------------------------------------------------------------------------


def test_the_list_is_for_the_administration_only(client_for, system_admin, office_head, staff_member):
    page = client_for(system_admin).get(reverse("accounts_users:list"))
    assert page.status_code == 200
    assert "Dewi Lestari" in page.content.decode()
    assert client_for(office_head).get(reverse("accounts_users:list")).status_code == 200
    assert client_for(staff_member).get(reverse("accounts_users:list")).status_code == 403


def test_the_navigation_shows_users_and_settings_to_admins_only(client_for, system_admin, staff_member):
    admin_page = client_for(system_admin).get("/").content.decode()
    assert reverse("accounts_users:list") in admin_page
    assert reverse("tenant_settings:edit") in admin_page
    staff_page = client_for(staff_member).get("/").content.decode()
    assert reverse("accounts_users:list") not in staff_page


def test_another_tenants_admin_gets_404_on_every_user_page(client_for, other_admin, staff_member):
    client = client_for(other_admin)
    pk = staff_member.pk
    assert client.get(reverse("accounts_users:detail", args=[pk])).status_code == 404
    for name, data in (
        ("accounts_users:detail", {"full_name": "X", "role": Role.ANALYST}),
        ("accounts_users:deactivate", {}),
        ("accounts_users:password_reset", {}),
        ("accounts_users:otp_reset", {"reason": REASON}),
    ):
        assert client.post(reverse(name, args=[pk]), data).status_code == 404, name
    staff_member.refresh_from_db()
    assert staff_member.is_active
    assert TOTPDevice.objects.filter(user=staff_member).exists()


def test_an_admin_creates_a_user_in_the_page(client_for, system_admin, tenant, django_capture_on_commit_callbacks):
    agency = AgencyFactory(tenant=tenant, short_name="DINSOS")
    client = client_for(system_admin)
    form = client.get(reverse("accounts_users:create"))
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts_users:create"),
            {
                "username": "sari.dinsos",
                "full_name": "Sari Handayani",
                "email": "sari@dinsos.example.org",
                "phone": "",
                "role": Role.SERVICE_PROVIDER,
                "agency": agency.pk,
            },
        )
    user = User.objects.get(username="sari.dinsos")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts_users:detail", args=[user.pk])
    assert [m.to for m in mail.outbox] == [["sari@dinsos.example.org"]]
    assert AuditEvent.objects.filter(action="account.user_created", object_id=str(user.pk)).exists()


def test_a_user_without_address_is_created_with_a_password_shown_once(client_for, office_head, tenant):
    agency = AgencyFactory(tenant=tenant)
    response = client_for(office_head).post(
        reverse("accounts_users:create"),
        {"username": "relawan1", "full_name": "Relawan Satu", "role": Role.SATGAS_VOLUNTEER, "agency": agency.pk},
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = response.context["password"]
    assert password in response.content.decode()
    assert User.objects.get(username="relawan1").check_password(password)


def test_the_create_form_offers_an_office_head_no_system_admin_role(client_for, office_head, tenant):
    client = client_for(office_head)
    page = client.get(reverse("accounts_users:create")).content.decode()
    assert 'value="office_head"' in page
    assert 'value="system_admin"' not in page
    agency = AgencyFactory(tenant=tenant)
    forged = client.post(
        reverse("accounts_users:create"),
        {"username": "naik", "full_name": "Naik Pangkat", "role": Role.SYSTEM_ADMIN, "agency": agency.pk},
    )
    assert forged.status_code == 400
    assert not User.objects.filter(username="naik").exists()


def test_an_admin_resets_a_second_factor_in_the_page_with_a_reason(client_for, system_admin, staff_member):
    client = client_for(system_admin)
    url = reverse("accounts_users:otp_reset", args=[staff_member.pk])
    assert client.post(url, {"reason": "lupa"}).status_code == 400
    assert TOTPDevice.objects.filter(user=staff_member).exists()
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_member).exists()
    assert AuditEvent.objects.get(action="account.otp_reset").extra["reason"] == REASON
    # At the next sign-in the user must enrol again before reaching anything.
    fresh = Client()
    fresh.force_login(User.objects.get(pk=staff_member.pk))
    home = fresh.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:otp_setup"))


def test_deactivating_in_the_page_logs_the_user_out_at_once(client_for, system_admin, staff_member):
    staff_session = client_for(staff_member)
    assert staff_session.get("/").status_code == 200
    response = client_for(system_admin).post(reverse("accounts_users:deactivate", args=[staff_member.pk]))
    assert response.status_code == 302
    assert staff_session.get("/").status_code == 302


def test_an_admin_cannot_deactivate_themselves_in_the_page(client_for, system_admin):
    response = client_for(system_admin).post(reverse("accounts_users:deactivate", args=[system_admin.pk]))
    assert response.status_code == 403
    system_admin.refresh_from_db()
    assert system_admin.is_active


def test_the_role_change_in_the_page_is_audited(client_for, system_admin, staff_member):
    response = client_for(system_admin).post(
        reverse("accounts_users:detail", args=[staff_member.pk]),
        {
            "full_name": "Dewi Lestari",
            "email": "dewi@uptd.example.org",
            "phone": "",
            "role": Role.OFFICE_HEAD,
            "agency": staff_member.agency_id,
        },
    )
    assert response.status_code == 302
    staff_member.refresh_from_db()
    assert staff_member.role == Role.OFFICE_HEAD
    assert AuditEvent.objects.get(action="account.role_changed").extra["to"] == Role.OFFICE_HEAD


# ---- API ---------------------------------------------------------------------------------------


def test_the_api_lists_creates_resets_and_deactivates(api_as, system_admin, staff_member, tenant):
    api = api_as(system_admin)
    listed = api.get("/api/v1/accounts/users/", {"q": "dewi"})
    assert listed.status_code == 200
    assert [u["username"] for u in listed.json()["results"]] == ["dewi-uptd"]
    agency = AgencyFactory(tenant=tenant)
    created = api.post(
        "/api/v1/accounts/users/",
        {"username": "budi.api", "full_name": "Budi Santoso", "role": Role.ANALYST, "agency": str(agency.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created["Cache-Control"] == "no-store"
    assert created.json()["initial_password"]
    otp = api.post(
        f"/api/v1/accounts/users/{staff_member.pk}/otp-reset/", {"reason": REASON}, content_type="application/json"
    )
    assert otp.status_code == 200
    assert otp.json()["has_second_factor"] is False
    link = api.post(f"/api/v1/accounts/users/{staff_member.pk}/password-reset/")
    assert link.status_code == 202
    off = api.post(f"/api/v1/accounts/users/{staff_member.pk}/deactivate/")
    assert off.status_code == 200
    assert off.json()["is_active"] is False
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "account.user_created",
        "account.otp_reset",
        "account.password_link_sent",
        "account.user_deactivated",
    } <= actions


def test_the_api_refuses_bad_input_and_foreign_agencies_with_400(api_as, system_admin, other_tenant, staff_member):
    api = api_as(system_admin)
    foreign = AgencyFactory(tenant=other_tenant)
    response = api.post(
        "/api/v1/accounts/users/",
        {"username": "x.y", "full_name": "X Y", "role": Role.ANALYST, "agency": str(foreign.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "agency" in response.json()["error"]["details"]
    short = api.post(
        f"/api/v1/accounts/users/{staff_member.pk}/otp-reset/", {"reason": "x"}, content_type="application/json"
    )
    assert short.status_code == 400
    moved = api.patch(
        f"/api/v1/accounts/users/{staff_member.pk}/", {"agency": str(foreign.pk)}, content_type="application/json"
    )
    assert moved.status_code == 400
    assert not User.objects.filter(username="x.y").exists()


def test_another_tenants_admin_gets_404_in_the_api(api_as, other_admin, staff_member):
    api = api_as(other_admin)
    base = f"/api/v1/accounts/users/{staff_member.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"role": Role.ANALYST}, content_type="application/json").status_code == 404
    for tail in ("deactivate/", "password-reset/"):
        assert api.post(base + tail).status_code == 404
    assert api.post(base + "otp-reset/", {"reason": REASON}, content_type="application/json").status_code == 404
    assert staff_member.pk not in [u["id"] for u in api.get("/api/v1/accounts/users/").json()["results"]]


def test_the_api_forbids_non_admins_and_self_deactivation(api_as, staff_member, system_admin):
    assert api_as(staff_member).get("/api/v1/accounts/users/").status_code == 403
    assert api_as(system_admin).post(f"/api/v1/accounts/users/{system_admin.pk}/deactivate/").status_code == 403
