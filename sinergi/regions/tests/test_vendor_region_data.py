import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sinergi.regions.sources import DATA_DIR, iter_region_rows, read_gzip_bytes


def feature(code: str) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": code}, "geometry": None}


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    regions = tmp_path / "regions"
    regions.mkdir()
    (regions / "provinces.csv").write_text("code,name\n64,Kalimantan Timur\n")
    (regions / "regencies.csv").write_text("code,province_code,name\n64.02,64,Kab\n")
    (regions / "districts.csv").write_text("code,regency_code,name\n64.02.01,64.02,Muara Muntai\n")
    (regions / "villages.csv").write_text("code,district_code,name\n64.02.01.2001,64.02.01,Perian\n")
    boundaries = tmp_path / "boundaries"
    (boundaries / "kecamatan").mkdir(parents=True)
    (boundaries / "desa_kelurahan").mkdir()
    collection = {"type": "FeatureCollection"}
    kabupaten = {**collection, "features": [feature("64.01"), feature("64.02")]}
    (boundaries / "kabupaten_kota.geojson").write_text(json.dumps(kabupaten))
    kecamatan = {**collection, "features": [feature("64.02.02"), feature("64.01.01"), feature("64.02.01")]}
    (boundaries / "kecamatan" / "64.geojson").write_text(json.dumps(kecamatan))
    desa = {**collection, "features": [feature("64.02.01.2001")]}
    (boundaries / "desa_kelurahan" / "64.02.geojson").write_text(json.dumps(desa))
    return tmp_path


def vendor(*args: str) -> None:
    call_command("vendor_region_data", *args, stdout=io.StringIO())


def test_it_gzips_the_csvs_and_filters_boundaries_by_regency(sources, tmp_path):
    out = tmp_path / "out"
    vendor(
        *("--regions", str(sources / "regions"), "--boundaries", str(sources / "boundaries")),
        *("--regencies", "64.02", "--output", str(out)),
    )

    assert list(iter_region_rows("villages", data_dir=out)) == [("64.02.01.2001", "64.02.01", "Perian")]
    kecamatan = json.loads(read_gzip_bytes(out / "boundaries" / "kecamatan" / "64.02.geojson.gz"))
    assert [f["properties"]["code"] for f in kecamatan["features"]] == ["64.02.01", "64.02.02"]
    kabupaten = json.loads(read_gzip_bytes(out / "boundaries" / "kabupaten_kota.geojson.gz"))
    assert [f["properties"]["code"] for f in kabupaten["features"]] == ["64.02"]


def test_vendoring_is_byte_for_byte_reproducible(sources, tmp_path):
    args = ["--regions", str(sources / "regions"), "--regencies", "64.02"]
    vendor(*args, "--output", str(tmp_path / "a"))
    vendor(*args, "--output", str(tmp_path / "b"))

    assert (tmp_path / "a" / "villages.csv.gz").read_bytes() == (tmp_path / "b" / "villages.csv.gz").read_bytes()


def test_it_refuses_to_run_without_sources_or_with_bad_codes(sources):
    with pytest.raises(CommandError, match="Give --regions"):
        vendor()
    with pytest.raises(CommandError, match="Not regency codes: 64"):
        vendor("--boundaries", str(sources / "boundaries"), "--regencies", "64", "--output", str(sources / "x"))


def test_the_shipped_csvs_are_the_2025_code_list():
    provinces = dict((code, name) for code, _parent, name in iter_region_rows("provinces", data_dir=DATA_DIR))
    assert len(provinces) == 38
    assert provinces["64"] == "Kalimantan Timur"
    assert "Kepmendagri 300.2.2-2138/2025" in (DATA_DIR / "SOURCE.md").read_text()
    assert "Open Database License" in (DATA_DIR / "LICENSE.md").read_text()
    assert "MIT License" in (DATA_DIR / "boundaries" / "LICENSE").read_text()
