from pathlib import Path

from django.core.management.base import BaseCommand

from sinergi.kla.services.instrument import year_load


class Command(BaseCommand):
    help = "Load (or refresh) the national KLA instrument of one evaluation year from the vendored YAML."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--file", type=Path, help="An indicators YAML of the same shape (default: vendored).")
        parser.add_argument("--scoring", type=Path, help="A points/bands YAML (default: vendored).")

    def handle(self, *args, year, file=None, scoring=None, **options):
        ey = year_load(year=year, indicators_file=file, scoring_file=scoring)
        self.stdout.write(
            f"KLA {ey.year}: {ey.clusters.count()} clusters, {ey.indicators.count()} indicators, {ey.bands.count()} bands."
        )
