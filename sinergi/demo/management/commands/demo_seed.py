"""Fictional demo data for `make demo`: four tenants, their agencies, one login per role and a case
history of the last 24 months in Kutai Kartanegara, and what other apps register as demo seeders.
Safe to run again: nothing is duplicated."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.demo import people, seed


class Command(BaseCommand):
    help = "Create the demo tenants, agencies, users and fictional cases (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=people.DEFAULT_CASES,
            help=f"Cases to generate for 64.02 (default {people.DEFAULT_CASES}); 35.71 gets 1/20 of it.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.perf_counter()
        try:
            lines = seed.seed_all(cases=options["cases"], seed=options["seed"])
        except (people.RegionsMissing, people.DemoNotAllowed) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
