"""Fictional demo data for `make demo`: four tenants, their agencies, one login per role and a case
history of the last 24 months in Kutai Kartanegara. Safe to run again: nothing is duplicated."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from sinergi.core import demo


class Command(BaseCommand):
    help = "Create the demo tenants, agencies, users and fictional cases (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=demo.DEFAULT_CASES,
            help=f"Cases to generate for 64.02 (default {demo.DEFAULT_CASES}); 35.71 gets 1/20 of it.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.perf_counter()
        try:
            report = demo.seed_all(cases=options["cases"], seed=options["seed"])
        except (demo.RegionsMissing, demo.DemoNotAllowed) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self._summary(report, elapsed)

    def _summary(self, report: "demo.SeedReport", elapsed: float) -> None:
        from sinergi.cases.models import Case, Diversion, Referral, ServiceRecord
        from sinergi.tenants.models import Tenant

        out = self.stdout.write
        out(
            f"Tenants created: {report.tenants_created}, agencies created: {report.agencies_created}, "
            f"users created: {report.users_created}, TOTP devices created: {report.devices_created}."
        )
        for tenant in Tenant.objects.filter(code__in=[s.code for s in demo.TENANTS]).order_by("code"):
            cases = Case.objects.filter(tenant=tenant)
            line = f"{tenant.code} {tenant.name} ({tenant.office_short_name}): {cases.count()} cases"
            if tenant.code in report.cases_created:
                line += f" ({report.cases_created[tenant.code]} generated now)"
            elif tenant.code in report.cases_skipped:
                line += " (already seeded, none added)"
            out(line)
            if not cases.exists():
                continue
            by_stage = dict(cases.values_list("stage").annotate(n=Count("pk")))
            by_category = dict(cases.values_list("category").annotate(n=Count("pk")))
            referrals = Referral.objects.filter(tenant=tenant)
            by_status = dict(referrals.values_list("status").annotate(n=Count("pk")))
            out(f"  stages:     {_fmt(by_stage)}")
            out(f"  categories: {_fmt(by_category)}")
            out(f"  referrals:  {referrals.count()} ({_fmt(by_status)})")
            out(
                f"  services recorded: {ServiceRecord.objects.filter(tenant=tenant).count()}, "
                f"diversions: {Diversion.objects.filter(tenant=tenant).count()}, "
                f"reopened: {cases.filter(reopened_count__gt=0).count()}, "
                f"public reports: {cases.filter(channel='public_form').count()}"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))


def _fmt(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
