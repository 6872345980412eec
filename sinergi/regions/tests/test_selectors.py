import pytest
from django.core.exceptions import ValidationError

from sinergi.regions import selectors
from sinergi.regions.selectors import (
    boundaries_geojson,
    boundaries_geojson_bytes,
    region_label,
    validate_district_in_regency,
    validate_village_in_district,
)

pytestmark = pytest.mark.usefixtures("regions")


def test_lookups_by_code_return_the_row_or_none():
    assert selectors.province_get(code="64").name == "Kalimantan Timur"
    assert selectors.regency_get(code="35.71").name == "Kota Kediri"
    assert selectors.regency_get(code="35.71").is_kota
    assert selectors.district_get(code="64.02.06").name == "Tenggarong"
    village = selectors.village_get(code="35.71.01.1001")
    assert (village.name, village.district.regency.province.name) == ("Bandar Lor", "Jawa Timur")
    assert selectors.district_get(code="64.02.99") is None
    assert selectors.village_get(code="64.02.06") is None  # a kecamatan code is not a village code
    assert selectors.regency_get(code="6402") is None


def test_name_search_is_case_insensitive_contains_and_limited():
    names = [d.name for d in selectors.district_search(q="MUARA", regency_code="64.02")]
    assert names == ["Muara Muntai", "Muara Badak", "Muara Kaman", "Muara Jawa", "Muara Wis"]
    assert len(selectors.village_search(q="a", regency_code="64.02", limit=5)) == 5
    assert selectors.village_search(q="   ") == []
    assert [r.code for r in selectors.regency_search(q="kediri")] == ["35.71"]


def test_search_can_span_regencies_or_stay_inside_one():
    everywhere = {d.regency_id for d in selectors.district_search(q="o", limit=100)}
    assert everywhere == {"64.02", "64.01", "35.71"}
    assert {d.regency_id for d in selectors.district_search(q="o", regency_code="35.71")} == {"35.71"}


def test_children_of_a_regency_and_of_a_district():
    assert selectors.districts_for_regency(regency_code="35.71").count() == 3
    assert selectors.villages_for_district(district_code="64.02.01").count() == 13
    assert {v.district_id for v in selectors.villages_for_district(district_code="35.71.02")} == {"35.71.02"}


def test_village_list_filters_by_kind():
    assert selectors.village_list(regency_code="64.02", kind="kelurahan").count() == 44
    assert selectors.village_list(regency_code="35.71", kind="desa").count() == 0


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("35.71.01.1001", "Kel. Bandar Lor, Kec. Mojoroto"),
        ("64.02.01.2001", "Desa Perian, Kec. Muara Muntai"),
        ("64.02.01", "Kec. Muara Muntai"),
        ("64.02", "Kabupaten Kutai Kartanegara"),
        ("64", "Kalimantan Timur"),
        ("64.02.01.2999", "64.02.01.2999"),
        ("not-a-code", "not-a-code"),
    ],
)
def test_region_label(code, label):
    assert region_label(code) == label


def test_region_label_can_add_the_regency():
    assert region_label("35.71.03.1001", with_regency=True) == "Kel. Bangsal, Kec. Pesantren, Kota Kediri"


def test_validate_village_in_district():
    assert validate_village_in_district("64.02.01", "64.02.01.2001").name == "Perian"
    with pytest.raises(ValidationError) as excinfo:
        validate_village_in_district("64.02.02", "64.02.01.2001")
    assert excinfo.value.code == "village_not_in_district"
    with pytest.raises(ValidationError) as excinfo:
        validate_village_in_district("64.02.01", "64.02.01.2999")
    assert excinfo.value.code == "unknown_village"


def test_validate_district_in_regency():
    assert validate_district_in_regency("64.02", "64.02.06").name == "Tenggarong"
    with pytest.raises(ValidationError) as excinfo:
        validate_district_in_regency("64.01", "64.02.06")
    assert excinfo.value.code == "district_not_in_regency"
    with pytest.raises(ValidationError) as excinfo:
        validate_district_in_regency("64.02", "64.02.99")
    assert excinfo.value.code == "unknown_district"


@pytest.mark.parametrize(
    ("regency", "kecamatan", "desa_kelurahan"),
    [("64.02", 20, 237), ("64.01", 10, 144), ("16.08", 20, 312), ("35.71", 3, 46)],
)
def test_boundaries_of_the_seed_regencies_are_vendored(regency, kecamatan, desa_kelurahan):
    outline = boundaries_geojson(level="kabupaten_kota", regency_code=regency)
    assert [f["properties"]["code"] for f in outline["features"]] == [regency]
    districts = boundaries_geojson(level="kecamatan", regency_code=regency)
    assert len(districts["features"]) == kecamatan
    assert all(f["properties"]["code"].startswith(f"{regency}.") for f in districts["features"])
    villages = boundaries_geojson(level="desa_kelurahan", regency_code=regency)
    assert len(villages["features"]) == desa_kelurahan
    assert villages["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_boundaries_match_the_code_list():
    codes = {f["properties"]["code"] for f in boundaries_geojson(level="kecamatan", regency_code="64.02")["features"]}
    assert codes == set(selectors.districts_for_regency(regency_code="64.02").values_list("code", flat=True))


def test_boundaries_are_a_fresh_copy_each_time():
    first = boundaries_geojson(level="kecamatan", regency_code="35.71")
    first["features"][0]["properties"]["cases"] = 3
    first["features"].clear()
    second = boundaries_geojson(level="kecamatan", regency_code="35.71")
    assert len(second["features"]) == 3
    assert "cases" not in second["features"][0]["properties"]


def test_boundaries_of_a_regency_not_vendored_are_an_empty_collection():
    assert boundaries_geojson(level="kecamatan", regency_code="11.01") == {"type": "FeatureCollection", "features": []}
    assert boundaries_geojson_bytes(level="kabupaten_kota", regency_code="11.01") is None


@pytest.mark.parametrize(
    ("level", "regency", "message"),
    [
        ("provinsi", "64.02", "Unknown boundary level"),
        ("kecamatan", "../64.02", "Not a kabupaten/kota code"),
        ("kecamatan", "64", "Not a kabupaten/kota code"),
    ],
)
def test_boundaries_refuse_unknown_levels_and_malformed_codes(level, regency, message):
    with pytest.raises(ValueError, match=message):
        boundaries_geojson(level=level, regency_code=regency)
