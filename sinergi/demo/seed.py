"""`manage.py demo_seed`: every registered demo seeder (sinergi.core.plugins.demo_seeder) in one transaction.

The demo app's own seeders: the tenants, agencies and logins (order 10), the case history (50) and, last,
the logins' e-mail addresses (900: none while the history is replayed, so no past notification is mailed).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sinergi.cases.models import Case, Diversion, Referral, ServiceRecord
from sinergi.core import plugins
from sinergi.tenants.models import Tenant

from .case_history import seed_cases
from .people import (
    CASE_SKIP_THRESHOLD,
    DEFAULT_CASES,
    ERR_DEMO_NOT_ALLOWED,
    HISTORY_DAYS,
    ISOLATION_TENANT,
    MAIN_TENANT,
    TENANTS,
    DemoNotAllowed,
    SeedReport,
    finish_users,
    seed_tenants,
    seed_users,
)


@transaction.atomic
def seed_all(*, cases: int = DEFAULT_CASES, seed: int = 2026) -> list[str]:
    """Run every demo seeder by order; returns the summary lines. Idempotent: each seeder adds only what
    is missing."""
    if not settings.SINERGI_ALLOW_DEMO_DATA:
        raise DemoNotAllowed(ERR_DEMO_NOT_ALLOWED)
    run = plugins.DemoRun(cases=cases, seed=seed)
    lines: list[str] = []
    for seeder in plugins.demo_seeders():
        lines.extend(seeder.seed(run) or ())
    return lines


def seed_people(run: plugins.DemoRun) -> list[str]:
    """The four tenants, their agencies and one login per role (if missing)."""
    from freezegun import freeze_time

    report = run.data.setdefault("report", SeedReport())
    # Accounts and agencies "exist" before the history starts, so the audit log reads in time order.
    with freeze_time(timezone.now() - dt.timedelta(days=HISTORY_DAYS + 14)):
        agencies = seed_tenants(report)
        users = seed_users(report, agencies)
    run.data["agencies"] = agencies
    run.data["users"] = users
    run.data["tenants"] = {t.code: t for t in Tenant.objects.filter(code__in=[s.code for s in TENANTS])}
    return [
        f"Tenants created: {report.tenants_created}, agencies created: {report.agencies_created}, "
        f"users created: {report.users_created}, TOTP devices created: {report.devices_created}."
    ]


def seed_case_history(run: plugins.DemoRun) -> list[str]:
    """Cases for a tenant that does not have them yet: `run.cases` in 64.02, 1/20 of it in 35.71."""
    report: SeedReport = run.data["report"]
    targets = {MAIN_TENANT: run.cases, ISOLATION_TENANT: max(5, run.cases // 20)}
    for code, target in targets.items():
        tenant = run.data["tenants"][code]
        existing = Case.objects.filter(tenant=tenant).count()
        if existing >= min(target, CASE_SKIP_THRESHOLD):
            report.cases_skipped[code] = existing
            continue
        main = code == MAIN_TENANT
        seed_cases(
            tenant=tenant,
            agencies=run.data["agencies"][code],
            users=run.data["users"],
            count=target,
            seed=run.seed + int(code.replace(".", "")),
            overdue_first=5 if main else 1,
            overdue_referrals=6 if main else 0,
            referrals_enabled=main,
        )
        report.cases_created[code] = Case.objects.filter(tenant=tenant).count() - existing
    return _case_summary(report)


def seed_emails(run: plugins.DemoRun) -> None:
    finish_users(run.data["users"])


def _case_summary(report: SeedReport) -> list[str]:
    lines = []
    for tenant in Tenant.objects.filter(code__in=[s.code for s in TENANTS]).order_by("code"):
        cases = Case.objects.filter(tenant=tenant)
        line = f"{tenant.code} {tenant.name} ({tenant.office_short_name}): {cases.count()} cases"
        if tenant.code in report.cases_created:
            line += f" ({report.cases_created[tenant.code]} generated now)"
        elif tenant.code in report.cases_skipped:
            line += " (already seeded, none added)"
        lines.append(line)
        if not cases.exists():
            continue
        by_stage = dict(cases.values_list("stage").annotate(n=Count("pk")))
        by_category = dict(cases.values_list("category").annotate(n=Count("pk")))
        referrals = Referral.objects.filter(tenant=tenant)
        by_status = dict(referrals.values_list("status").annotate(n=Count("pk")))
        lines.append(f"  stages:     {_fmt(by_stage)}")
        lines.append(f"  categories: {_fmt(by_category)}")
        lines.append(f"  referrals:  {referrals.count()} ({_fmt(by_status)})")
        lines.append(
            f"  services recorded: {ServiceRecord.objects.filter(tenant=tenant).count()}, "
            f"diversions: {Diversion.objects.filter(tenant=tenant).count()}, "
            f"reopened: {cases.filter(reopened_count__gt=0).count()}, "
            f"public reports: {cases.filter(channel='public_form').count()}"
        )
    return lines


def _fmt(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
