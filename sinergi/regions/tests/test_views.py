import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VILLAGES = reverse("regions:village_options")
DISTRICTS = reverse("regions:district_options")


@pytest.fixture
def owner(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def colleague(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def outsider(other_tenant):
    return UserFactory(role=Role.CASE_MANAGER, tenant=other_tenant)


def test_owner_gets_the_villages_of_a_kecamatan_as_options(owner, client_for):
    response = client_for(owner).get(VILLAGES, {"district": "64.02.01"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.templates[0].name == "regions/partials/_village_options.html"
    html = response.content.decode()
    assert html.count("<option") == 13 + 1
    assert '<option value="">' in html
    assert '<option value="64.02.01.2001">Desa Perian</option>' in html
    assert "64.02.02." not in html


def test_read_only_colleague_gets_the_same_options(colleague, client_for):
    response = client_for(colleague).get(VILLAGES, {"district": "64.02.06"})

    assert response.status_code == 200
    assert "Kel. " in response.content.decode()


def test_outsider_asking_for_a_kecamatan_of_another_tenant_gets_404(outsider, client_for):
    response = client_for(outsider).get(VILLAGES, {"district": "64.02.01"})

    assert response.status_code == 404


def test_own_regency_works_for_the_outsider_too(outsider, client_for):
    response = client_for(outsider).get(VILLAGES, {"district": "64.01.01"})

    assert response.status_code == 200
    assert "64.01.01." in response.content.decode()


@pytest.mark.parametrize("code", ["35.71.01", "64.02.99", "64.02", "garbage"])
def test_unknown_or_foreign_codes_are_404(owner, client_for, code):
    assert client_for(owner).get(VILLAGES, {"district": code}).status_code == 404


def test_no_kecamatan_gives_only_the_empty_option(owner, client_for):
    response = client_for(owner).get(VILLAGES, {"district": ""})

    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


def test_the_parameter_can_be_named_by_the_form(owner, client_for):
    response = client_for(owner).get(VILLAGES, {"field": "intake-district", "intake-district": "64.02.01"})

    assert response.content.decode().count("<option") == 14


def test_anonymous_is_sent_to_login(client):
    response = client.get(VILLAGES, {"district": "64.02.01"})

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_user_without_tenant_gets_404(client_for, regions):
    user = UserFactory(role=Role.ANALYST, tenant=None, agency=None)
    assert client_for(user).get(VILLAGES, {"district": "64.02.01"}).status_code == 404
    assert client_for(user).get(DISTRICTS).status_code == 404


def test_views_only_answer_get(owner, client_for):
    assert client_for(owner).post(VILLAGES, {"district": "64.02.01"}).status_code == 405


def test_district_search_stays_inside_the_own_regency(owner, outsider, client_for):
    html = client_for(owner).get(DISTRICTS, {"q": "muara"}).content.decode()
    assert html.count("<option") == 5 + 1
    assert '<option value="64.02.01">Muara Muntai</option>' in html

    outsider_html = client_for(outsider).get(DISTRICTS, {"q": "muara"}).content.decode()
    assert "64.02." not in outsider_html


def test_district_search_without_query_lists_all_kecamatan(colleague, client_for):
    response = client_for(colleague).get(DISTRICTS)

    assert response.status_code == 200
    assert response.content.decode().count("<option") == 20 + 1
