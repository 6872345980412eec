import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user, client_for):
    return client_for(make_user(Role.ANALYST))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("province_list", {}),
        ("province_detail", {"code": "64"}),
        ("regency_list", {}),
        ("regency_detail", {"code": "64.02"}),
        ("district_list", {}),
        ("district_detail", {"code": "64.02.01"}),
        ("village_list", {}),
        ("village_detail", {"code": "64.02.01.2001"}),
    ],
)
def test_anonymous_is_refused(client, regions, name, kwargs):
    response = client.get(reverse(f"regions_api:{name}", kwargs=kwargs))

    assert response.status_code in (401, 403)
    assert "results" not in response.json()
    assert response.json()["error"]["code"] in ("not_authenticated", "permission_denied")


def test_districts_filtered_by_regency_are_paginated(api):
    response = api.get(reverse("regions_api:district_list"), {"regency": "64.02", "page_size": 5})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 20
    assert len(body["results"]) == 5
    assert body["next"]
    assert body["results"][0] == {
        "code": "64.02.01",
        "name": "Muara Muntai",
        "regency": {"code": "64.02", "name": "Kabupaten Kutai Kartanegara"},
        "province": {"code": "64", "name": "Kalimantan Timur"},
    }


def test_villages_filtered_by_district_and_kind(api):
    url = reverse("regions_api:village_list")

    assert api.get(url, {"district": "35.71.01"}).json()["count"] == 14
    assert api.get(url, {"regency": "64.02", "kind": "kelurahan"}).json()["count"] == 44
    assert api.get(url, {"regency": "64.02", "kind": "desa"}).json()["count"] == 193


def test_village_search_by_name_is_case_insensitive(api):
    body = api.get(reverse("regions_api:village_list"), {"q": "bandar lor"}).json()

    assert [v["code"] for v in body["results"]] == ["35.71.01.1001"]
    assert body["results"][0]["label"] == "Kel. Bandar Lor"
    assert body["results"][0]["kind"] == "kelurahan"


def test_regency_and_province_lists(api):
    regencies = api.get(reverse("regions_api:regency_list"), {"province": "35"}).json()
    assert [(r["code"], r["is_kota"]) for r in regencies["results"]] == [("35.71", True)]
    provinces = api.get(reverse("regions_api:province_list"), {"q": "timur"}).json()
    assert [p["name"] for p in provinces["results"]] == ["Jawa Timur", "Kalimantan Timur"]


def test_page_size_goes_up_to_100_and_more_is_refused(api):
    body = api.get(reverse("regions_api:village_list"), {"page_size": 100}).json()

    assert len(body["results"]) == 100
    assert body["count"] == 237 + 144 + 46
    response = api.get(reverse("regions_api:village_list"), {"page_size": 1000})
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["page_size"]


def test_details_by_code(api):
    village = api.get(reverse("regions_api:village_detail", kwargs={"code": "64.02.01.2001"})).json()
    assert village["name"] == "Perian"
    assert village["district"] == {"code": "64.02.01", "name": "Muara Muntai"}
    assert village["province"]["code"] == "64"
    assert api.get(reverse("regions_api:regency_detail", kwargs={"code": "35.71"})).json()["name"] == "Kota Kediri"
    assert api.get(reverse("regions_api:province_detail", kwargs={"code": "35"})).json()["name"] == "Jawa Timur"
    district = api.get(reverse("regions_api:district_detail", kwargs={"code": "35.71.02"})).json()
    assert district["name"] == "Kota"


@pytest.mark.parametrize("code", ["64.02.01.2999", "6402", "64.02.01"])
def test_unknown_village_code_is_404_with_the_error_body(api, code):
    response = api.get(reverse("regions_api:village_detail", kwargs={"code": code}))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_malformed_filters_are_400(api):
    response = api.get(reverse("regions_api:district_list"), {"regency": "6402"})

    assert response.status_code == 400
    assert "regency" in response.json()["error"]["details"]


def test_reference_data_is_not_tenant_scoped(api):
    # Region codes are public: a Kukar user may look up Kota Kediri (unlike the tenant-scoped form pickers).
    body = api.get(reverse("regions_api:district_list"), {"regency": "35.71"}).json()

    assert body["count"] == 3
