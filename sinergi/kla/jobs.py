"""The KLA evidence package as a background job with progress (see sinergi.jobs.kinds)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.audit import services as audit
from sinergi.jobs.kinds import JobOutput, Progress, register

from .events import Event as E
from .models import EvaluationYear
from .package import package_write

KLA_PACKAGE = "kla_package"
ERR_YEAR = _("Choose a loaded evaluation year.")


def package_prepare(*, actor: Any, params: dict) -> dict:
    try:
        year = EvaluationYear.objects.get(year=int(params.get("year")))
    except (TypeError, ValueError, EvaluationYear.DoesNotExist) as exc:
        raise ValidationError(ERR_YEAR, code="year") from exc
    audit.record(actor=actor, action=E.PACKAGE_EXPORTED, obj=actor.tenant, extra={"year": year.year, "via": "job"})
    return {"year": year.year}


def package_run(*, job: Any, params: dict, progress: Progress, path: Path) -> JobOutput:
    year = EvaluationYear.objects.get(year=params["year"])
    package_write(tenant=job.tenant, year=year, out=path, progress=progress)
    return JobOutput(name=f"Paket-Bukti-KLA-{job.tenant.code}-{year.year}.zip", content_type="application/zip")


register(
    KLA_PACKAGE,
    label=_("KLA evidence package (ZIP)"),
    permission="kla.manage_workspace",
    prepare=package_prepare,
    run=package_run,
)
