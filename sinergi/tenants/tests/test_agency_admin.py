"""Agency administration: create, edit, deactivate through services, pages and the API; 404 across tenants;
a deactivated agency receives no new referral and keeps its users."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases.forms import ReferralForm
from sinergi.cases.tests.factories import make_case, make_referral
from sinergi.regions.models import District
from sinergi.tenants import services
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

MEDIA = {
    "kind": Agency.Kind.MEDIA,
    "name": "Radio Komunitas Tenggarong",
    "short_name": "Radio Tenggarong",
    "address": "Jl. Jenderal Sudirman No. 1",
    "opening_hours": "Senin–Jumat 08.00–16.00",
    "contact_name": "Andi Wijaya",
    "contact_position": "Pemimpin redaksi",
    "contact_phone": "0812 3333 4444",
    "contact_email": "redaksi@radio.example.org",
    "is_public": True,
}


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, username="admin-kukar")


@pytest.fixture
def head(make_user):
    return make_user(Role.OFFICE_HEAD, username="kadis-kukar")


@pytest.fixture
def outsider(make_user, other_tenant):
    return make_user(Role.SYSTEM_ADMIN, tenant=other_tenant, username="admin-paser")


def _api(user) -> Client:
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=user, name="api", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_the_new_kinds_exist():
    assert {"media", "business", "university", "kemenag", "prosecutor", "bapas", "forum_anak"} <= set(
        Agency.Kind.values
    )


def test_an_office_head_creates_a_media_agency_with_its_contact_person(head, tenant):
    agency = services.agency_create(actor=head, tenant=tenant, **MEDIA)
    agency.refresh_from_db()
    assert (agency.tenant, agency.kind, agency.contact_name, agency.is_public) == (tenant, "media", "Andi Wijaya", True)
    event = AuditEvent.objects.get(action="tenant.agency_created")
    assert event.object_id == str(agency.pk)
    assert event.actor_id == head.pk


def test_bad_agency_input_is_refused_and_nothing_is_written(admin, tenant, other_tenant):
    AgencyFactory(tenant=tenant, short_name="Radio Tenggarong")
    foreign_district = District.objects.filter(regency=other_tenant.regency).first()
    before = Agency.objects.count()
    for overrides in ({}, {"kind": "pabrik"}, {"contact_email": "bukan"}, {"district": foreign_district}):
        with pytest.raises(ValidationError):
            services.agency_create(actor=admin, tenant=tenant, **{**MEDIA, **overrides})
    assert Agency.objects.count() == before
    assert not AuditEvent.objects.filter(action="tenant.agency_created").exists()


def test_only_the_tenants_administration_manages_agencies(make_user, outsider, tenant):
    agency = AgencyFactory(tenant=tenant)
    for actor in (make_user(Role.CASE_MANAGER), outsider):
        with pytest.raises(PermissionDenied):
            services.agency_create(actor=actor, tenant=tenant, **MEDIA)
        with pytest.raises(PermissionDenied):
            services.agency_set_active(actor=actor, agency=agency, is_active=False)


def test_a_deactivated_agency_gets_no_new_referral_and_keeps_its_users(admin, head, tenant, make_user):
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, short_name="Dinsos Kukar")
    provider = make_user(Role.SERVICE_PROVIDER, agency=dinsos, username="petugas-dinsos")
    case = make_case(make_user(Role.CASE_MANAGER), tenant)
    old = make_referral(head, case, dinsos)
    services.agency_set_active(actor=admin, agency=dinsos, is_active=False)
    assert AuditEvent.objects.filter(action="tenant.agency_deactivated", object_id=str(dinsos.pk)).exists()
    dinsos.refresh_from_db()  # as every view and API endpoint reads it
    with pytest.raises(ValidationError):
        make_referral(head, case, dinsos)
    form = ReferralForm(case=case, victims=[])
    assert dinsos not in form.fields["agency"].queryset
    provider.refresh_from_db()
    assert provider.agency_id == dinsos.pk
    assert provider.is_active
    assert type(old).objects.filter(pk=old.pk, agency=dinsos).exists()


def test_an_admin_creates_edits_and_deactivates_an_agency_in_the_pages(client_for, admin, tenant):
    client = client_for(admin)
    assert client.get(reverse("tenants:agency_create")).status_code == 200
    created = client.post(reverse("tenants:agency_create"), {**MEDIA, "is_public": "on"})
    agency = Agency.objects.get(short_name="Radio Tenggarong")
    assert created.status_code == 302
    assert created["Location"] == reverse("tenants:agency_detail", args=[agency.pk])
    unchecked = {k: v for k, v in MEDIA.items() if k != "is_public"}
    edited = client.post(reverse("tenants:agency_edit", args=[agency.pk]), {**unchecked, "opening_hours": "24 jam"})
    assert edited.status_code == 302
    agency.refresh_from_db()
    assert agency.opening_hours == "24 jam"
    assert not agency.is_public  # an unchecked box is "no"
    assert client.post(reverse("tenants:agency_deactivate", args=[agency.pk])).status_code == 302
    agency.refresh_from_db()
    assert not agency.is_active
    listed = client.get(reverse("tenants:agency_list")).content.decode()
    assert "Radio Tenggarong" not in listed
    assert "Radio Tenggarong" in client.get(reverse("tenants:agency_list"), {"inactive": "1"}).content.decode()
    actions = list(AuditEvent.objects.filter(object_id=str(agency.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["tenant.agency_created", "tenant.agency_updated", "tenant.agency_deactivated"]


def test_staff_see_agencies_but_cannot_manage_them(client_for, make_user, tenant):
    agency = AgencyFactory(tenant=tenant)
    client = client_for(make_user(Role.CASE_MANAGER))
    detail = client.get(reverse("tenants:agency_detail", args=[agency.pk]))
    assert detail.status_code == 200
    assert reverse("tenants:agency_edit", args=[agency.pk]) not in detail.content.decode()
    assert client.get(reverse("tenants:agency_edit", args=[agency.pk])).status_code == 403
    assert client.post(reverse("tenants:agency_deactivate", args=[agency.pk])).status_code == 403


def test_another_tenants_admin_gets_404_in_pages_and_api(client_for, outsider, tenant):
    agency = AgencyFactory(tenant=tenant)
    client = client_for(outsider)
    for name in ("tenants:agency_detail", "tenants:agency_edit"):
        assert client.get(reverse(name, args=[agency.pk])).status_code == 404
    for name in ("tenants:agency_edit", "tenants:agency_deactivate", "tenants:agency_reactivate"):
        assert client.post(reverse(name, args=[agency.pk]), MEDIA).status_code == 404
    api = _api(outsider)
    base = f"/api/v1/tenants/agencies/{agency.pk}/"
    assert api.patch(base, {"name": "X"}, content_type="application/json").status_code == 404
    assert api.post(base + "deactivate/").status_code == 404
    agency.refresh_from_db()
    assert agency.is_active
    assert agency.name != "X"


def test_the_api_creates_edits_and_deactivates(admin, tenant):
    api = _api(admin)
    district = District.objects.filter(regency=tenant.regency).first()
    created = api.post(
        "/api/v1/tenants/agencies/",
        {**MEDIA, "kind": "university", "district": district.code},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["kind"] == "university"
    assert body["district"] == district.code
    assert body["contact_name"] == "Andi Wijaya"
    pk = body["id"]
    patched = api.patch(f"/api/v1/tenants/agencies/{pk}/", {"is_public": False}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["is_public"] is False
    bad = api.patch(f"/api/v1/tenants/agencies/{pk}/", {"district": "99.99.99"}, content_type="application/json")
    assert bad.status_code == 400
    off = api.post(f"/api/v1/tenants/agencies/{pk}/deactivate/")
    assert off.status_code == 200
    assert off.json()["is_active"] is False
    assert pk not in [a["id"] for a in api.get("/api/v1/tenants/agencies/").json()["results"]]
    assert pk in [a["id"] for a in api.get("/api/v1/tenants/agencies/", {"inactive": "1"}).json()["results"]]
    assert api.post(f"/api/v1/tenants/agencies/{pk}/reactivate/").json()["is_active"] is True
    actions = set(AuditEvent.objects.filter(object_id=pk).values_list("action", flat=True))
    assert actions == {
        "tenant.agency_created",
        "tenant.agency_updated",
        "tenant.agency_deactivated",
        "tenant.agency_reactivated",
    }
