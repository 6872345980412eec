"""Maintainer tool: refresh the vendored region CSVs and boundary GeoJSON in sinergi/regions/data/.

Not needed to run Sinergi (load_regions reads only the vendored copies). Run it when Kemendagri
publishes a new code list or when another tenant's boundaries should ship:

    manage.py vendor_region_data --regions <idn-area-data csv dir> \
        --boundaries <wilayah_boundaries geojson dir> --regencies 64.02,64.01,16.08,35.71

Then update data/SOURCE.md (version, Kepmendagri number) and review the diff.
"""

import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.regions.codes import Level, is_region_code
from sinergi.regions.sources import DATA_DIR, REGION_TABLES, boundary_path, write_gzip_bytes

DEFAULT_REGENCIES = "64.02,64.01,16.08,35.71"


def _dump(collection: dict) -> bytes:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def _filtered(collection: dict, *, prefix: str | None = None, codes: set[str] | None = None) -> dict:
    features = [
        feature
        for feature in collection["features"]
        if (codes is None or feature["properties"]["code"] in codes)
        and (prefix is None or feature["properties"]["code"].startswith(prefix))
    ]
    features.sort(key=lambda feature: feature["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


class Command(BaseCommand):
    help = "Copy region CSVs and seed-regency boundaries into sinergi/regions/data/ (gzip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", type=Path, help="Directory with provinces/regencies/districts/villages.csv")
        parser.add_argument("--boundaries", type=Path, help="Directory with kabupaten_kota.geojson, kecamatan/...")
        parser.add_argument("--regencies", default=DEFAULT_REGENCIES, help="Regencies whose boundaries ship")
        parser.add_argument("--output", type=Path, default=DATA_DIR, help="Target directory (default: the app's data/)")

    def handle(self, *args, **options) -> None:
        if not options["regions"] and not options["boundaries"]:
            raise CommandError("Give --regions and/or --boundaries.")
        self.output: Path = options["output"]
        if options["regions"]:
            self._vendor_regions(options["regions"])
        if options["boundaries"]:
            regencies = [code.strip() for code in options["regencies"].split(",") if code.strip()]
            bad = [code for code in regencies if not is_region_code(code, level=Level.REGENCY)]
            if bad:
                raise CommandError(f"Not regency codes: {', '.join(bad)}")
            self._vendor_boundaries(options["boundaries"], regencies)

    def _vendor_regions(self, source: Path) -> None:
        for table, (filename, _parent) in REGION_TABLES.items():
            csv_path = source / f"{table}.csv"
            if not csv_path.exists():
                raise CommandError(f"Missing {csv_path}")
            write_gzip_bytes(self.output / filename, csv_path.read_bytes())
            self.stdout.write(f"{filename}")
        if (source / "LICENSE.md").exists():
            shutil.copyfile(source / "LICENSE.md", self.output / "LICENSE.md")

    def _vendor_boundaries(self, source: Path, regencies: list[str]) -> None:
        target = self.output / "boundaries"
        kabupaten = json.loads((source / "kabupaten_kota.geojson").read_text(encoding="utf-8"))
        write_gzip_bytes(
            boundary_path(level="kabupaten_kota", regency_code="", boundaries_dir=target),
            _dump(_filtered(kabupaten, codes=set(regencies))),
        )
        for regency in regencies:
            province_file = source / "kecamatan" / f"{regency[:2]}.geojson"
            kecamatan = json.loads(province_file.read_text(encoding="utf-8"))
            collection = _filtered(kecamatan, prefix=f"{regency}.")
            write_gzip_bytes(
                boundary_path(level="kecamatan", regency_code=regency, boundaries_dir=target), _dump(collection)
            )
            desa_file = source / "desa_kelurahan" / f"{regency}.geojson"
            desa = json.loads(desa_file.read_text(encoding="utf-8"))
            write_gzip_bytes(
                boundary_path(level="desa_kelurahan", regency_code=regency, boundaries_dir=target),
                _dump(_filtered(desa, prefix=f"{regency}.")),
            )
            self.stdout.write(f"{regency}: {len(collection['features'])} kecamatan, {len(desa['features'])} desa/kel")
        if (source / "LICENSE").exists():
            shutil.copyfile(source / "LICENSE", target / "LICENSE")
