"""A user of tenant A gets 404 (never data, never 403) for tenant B's objects, in the UI and the API."""

import uuid

import pytest

from sinergi.accounts.roles import Role
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory


@pytest.fixture
def agency_b(other_tenant):
    return AgencyFactory(
        tenant=other_tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Paser", short_name="DinsosPSR"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_other_tenants_agency_is_404_in_ui_and_api(role, make_user, client_for, agency_b):
    client = client_for(make_user(role))
    page = client.get(f"/agencies/{agency_b.pk}/")
    assert page.status_code == 404
    assert b"Dinas Sosial Paser" not in page.content
    api = client.get(f"/api/v1/tenants/agencies/{agency_b.pk}/")
    assert api.status_code == 404
    assert "Paser" not in api.content.decode()


@pytest.mark.django_db
def test_agency_lists_never_cross_tenants(make_user, client_for, tenant, agency_b):
    own = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Kukar", short_name="DinsosKKR")
    client = client_for(make_user(Role.CASE_MANAGER))
    page = client.get("/agencies/")
    assert page.status_code == 200
    assert own.name.encode() in page.content
    assert b"Dinas Sosial Paser" not in page.content
    api = client.get("/api/v1/tenants/agencies/?page_size=100")
    names = {row["name"] for row in api.json()["results"]}
    assert own.name in names
    assert agency_b.name not in names


@pytest.mark.django_db
def test_own_agency_is_visible_and_unknown_id_is_404(make_user, client_for, tenant):
    own = AgencyFactory(tenant=tenant, name="Dinas Pendidikan Kukar", short_name="DisdikKKR")
    client = client_for(make_user(Role.ANALYST))
    assert client.get(f"/agencies/{own.pk}/").status_code == 200
    assert client.get(f"/api/v1/tenants/agencies/{own.pk}/").json()["name"] == own.name
    assert client.get(f"/agencies/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/api/v1/tenants/agencies/{uuid.uuid4()}/").status_code == 404


@pytest.mark.django_db
def test_current_tenant_api_returns_only_own_tenant(make_user, client_for, tenant):
    client = client_for(make_user(Role.OFFICE_HEAD))
    body = client.get("/api/v1/tenants/current/").json()
    assert body["code"] == "64.02"
