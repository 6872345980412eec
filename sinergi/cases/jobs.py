"""The background jobs of case handling: the SIMFONI-PPA export as XLSX.

The XLSX of a whole year at 100,000 cases takes tens of seconds, too long for a request. Starting
the job is the export as far as the rules go: the same permission (office head), the same minimum
period and the same `cases.exported` audit event as the CSV; the file is then built by the worker.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.jobs.kinds import JobOutput, Progress, register

from . import exports
from .statistics import Period, period_for

SIMFONI_XLSX = "simfoni_xlsx"
ERR_PERIOD = _("Choose a valid period and format.")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _period(params: dict) -> Period:
    try:
        return period_for(
            year=int(params["year"]) if params.get("year") not in (None, "") else None,
            month=int(params["month"]) if params.get("month") not in (None, "") else None,
            date_from=_date(params.get("date_from")),
            date_to=_date(params.get("date_to")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(ERR_PERIOD, code="bad_period") from exc


def period_params(period: Period) -> dict:
    """The job parameters that name `period` (a month, a year or a date range)."""
    if period.year:
        return {"year": period.year, "month": period.month}
    return {"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}


def simfoni_prepare(*, actor: Any, params: dict) -> dict:
    """Validate the period, check the permission and audit the export, as the CSV path does."""
    period = _period(params)
    exports.simfoni_export(actor=actor, tenant=actor.tenant, period=period, fmt="xlsx")
    return {
        "export": "simfoni_ppa",
        "format": "xlsx",
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        "year": period.year,
        "month": period.month,
    }


def simfoni_run(*, job: Any, params: dict, progress: Progress, path: Path) -> JobOutput:
    period = Period(
        dt.date.fromisoformat(params["date_from"]),
        dt.date.fromisoformat(params["date_to"]),
        params.get("year"),
        params.get("month"),
    )
    tenant = job.tenant
    total = exports.simfoni_count(tenant=tenant, period=period)

    def rows():
        yield list(exports.SIMFONI_HEADER)
        yield from exports.simfoni_rows(tenant=tenant, period=period)

    exports.xlsx_write(rows(), path=path, total=total, progress=progress)
    return JobOutput(
        name=f"simfoni-ppa-{tenant.code_compact}-{period.slug}.xlsx",
        content_type=exports.XLSX_TYPE,
    )


register(
    SIMFONI_XLSX,
    label=_("SIMFONI-PPA export (XLSX)"),
    permission="cases.export_simfoni",
    prepare=simfoni_prepare,
    run=simfoni_run,
)
