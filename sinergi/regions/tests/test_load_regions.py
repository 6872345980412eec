import pytest
from django.core.management import CommandError
from django.db.models import Count

from sinergi.regions.models import District, Province, Regency, Village
from sinergi.tenants.tests.factories import ensure_regency

from .conftest import load_regions

pytestmark = pytest.mark.django_db


def kinds(prefix: str) -> dict[str, int]:
    rows = Village.objects.filter(code__startswith=prefix).values("kind").annotate(n=Count("code"))
    return {row["kind"]: row["n"] for row in rows}


def snapshot() -> dict[str, list[tuple]]:
    return {
        "provinces": list(Province.objects.values_list("code", "name")),
        "regencies": list(Regency.objects.values_list("code", "province_id", "name")),
        "districts": list(District.objects.values_list("code", "regency_id", "name")),
        "villages": list(Village.objects.values_list("code", "district_id", "name", "kind")),
    }


def test_only_kukar_loads_its_20_kecamatan_and_237_desa_kelurahan():
    output = load_regions("--only", "64.02")

    assert list(Province.objects.values_list("code", "name")) == [("64", "Kalimantan Timur")]
    assert list(Regency.objects.values_list("code", "name")) == [("64.02", "Kabupaten Kutai Kartanegara")]
    assert District.objects.filter(regency_id="64.02").count() == 20
    assert Village.objects.filter(district__regency_id="64.02").count() == 237
    assert kinds("64.02.") == {"desa": 193, "kelurahan": 44}
    assert District.objects.get(code="64.02.01").name == "Muara Muntai"
    assert District.objects.get(code="64.02.20").name == "Samboja Barat"
    assert "237 created" in output


def test_kota_kediri_has_3_kecamatan_and_46_kelurahan():
    load_regions("--only", "35.71")

    assert list(District.objects.filter(regency_id="35.71").values_list("name", flat=True)) == [
        "Mojoroto",
        "Kota",
        "Pesantren",
    ]
    assert kinds("35.71.") == {"kelurahan": 46}
    assert Village.objects.get(code="35.71.01.1001").name == "Bandar Lor"


def test_several_regencies_load_with_their_provinces_only():
    load_regions("--only", "64.02, 35.71")

    assert set(Province.objects.values_list("code", flat=True)) == {"64", "35"}
    assert set(Regency.objects.values_list("code", flat=True)) == {"64.02", "35.71"}
    assert Village.objects.count() == 237 + 46


def test_running_twice_changes_nothing_and_creates_no_duplicates():
    load_regions("--only", "64.02,35.71")
    before = snapshot()

    output = load_regions("--only", "64.02,35.71")

    assert snapshot() == before
    assert "0 created, 0 updated, 283 unchanged" in output


def test_it_updates_changed_names_parents_and_kinds():
    load_regions("--only", "64.02")
    District.objects.filter(code="64.02.06").update(name="Tenggarong Lama")
    Village.objects.filter(code="64.02.01.2001").update(
        name="Renamed", kind=Village.Kind.KELURAHAN, district_id="64.02.02"
    )
    Regency.objects.filter(code="64.02").update(name="Kukar")

    output = load_regions("--only", "64.02")

    assert District.objects.get(code="64.02.06").name == "Tenggarong"
    village = Village.objects.get(code="64.02.01.2001")
    assert (village.name, village.kind, village.district_id) == ("Perian", Village.Kind.DESA, "64.02.01")
    assert Regency.objects.get(code="64.02").name == "Kabupaten Kutai Kartanegara"
    assert "1 updated" in output
    assert Village.objects.filter(district__regency_id="64.02").count() == 237


def test_it_fixes_placeholder_rows_and_keeps_rows_missing_from_the_source():
    ensure_regency("64.02", "Kabupaten 64.02")  # the fake rows the shared tenant fixture creates

    output = load_regions("--only", "64.02")

    assert Province.objects.get(code="64").name == "Kalimantan Timur"
    assert District.objects.get(code="64.02.01").name == "Muara Muntai"
    assert Village.objects.get(code="64.02.01.2002").name == "Muara Leka"
    # Not in the code list but possibly referenced by cases: kept and reported, never deleted.
    assert Village.objects.filter(code="64.02.01.1001").exists()
    assert "in the database but not in the source (kept)" in output


def test_the_whole_country_loads_with_the_national_totals_and_reloads_as_a_no_op():
    load_regions()

    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7285
    assert Village.objects.count() == 83762
    assert kinds("") == {"kelurahan": 8496, "desa": 75252, "desa_adat": 14}

    output = load_regions()

    assert "0 created, 0 updated, 83762 unchanged" in output


@pytest.mark.parametrize(
    ("only", "message"),
    [
        ("64", "Not a kabupaten/kota code: 64"),
        ("64.02.01", "Not a kabupaten/kota code: 64.02.01"),
        ("64.99", "Unknown kabupaten/kota code: 64.99"),
        (",", "Give at least one kabupaten/kota code."),
    ],
)
def test_bad_only_codes_are_refused_without_loading_anything(only, message):
    with pytest.raises(CommandError, match=message):
        load_regions("--only", only)
    assert not Province.objects.exists()
