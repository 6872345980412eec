"""Load (or refresh) the Kemendagri region tables from the vendored CSVs in sinergi/regions/data/."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Load provinces, kabupaten/kota, kecamatan and desa/kelurahan (Kepmendagri 300.2.2-2138/2025, "
        "idn-area-data, ODbL). Safe to run again: only new or changed rows are written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            metavar="CODES",
            help="Comma-separated kabupaten/kota codes to load (plus their provinces), e.g. 64.02,35.71",
        )

    def handle(self, *args, **options) -> None:
        regency_codes = options["only"].split(",") if options["only"] is not None else None
        started = time.perf_counter()
        try:
            report = regions_load(regency_codes=regency_codes)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        elapsed = time.perf_counter() - started
        for table, counts in report.items():
            line = (
                f"{table:<10} {counts.source:>6} in source: {counts.created} created, "
                f"{counts.updated} updated, {counts.unchanged} unchanged"
            )
            if counts.stale:
                line += f", {counts.stale} in the database but not in the source (kept)"
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Regions loaded in {elapsed:.1f} s."))
