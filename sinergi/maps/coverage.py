"""Satgas PPA coverage per kelurahan/desa: which have an active Satgas, so that the gaps show.

An active agency of kind `satgas_ppa` placed in a kelurahan covers it; where the task-force app is
installed, a Satgas PPA body (its decree, SK) is shown beside it. Two GROUP BY queries.
"""

from typing import Any

from django.apps import apps
from django.db.models import Count, Q

from sinergi.core import policy
from sinergi.regions.models import Village
from sinergi.tenants.models import Agency, Tenant

from .office import cached


def satgas_coverage(*, user: Any, tenant: Tenant) -> dict:
    policy.require(user, "maps.view_office_map", tenant)
    return cached(tenant, "coverage", "all", lambda: _coverage(tenant))


def _coverage(tenant: Tenant) -> dict:
    satgas = Agency.objects.filter(tenant=tenant, kind=Agency.Kind.SATGAS_PPA, is_active=True, village__isnull=False)
    units = {r["village_id"]: r["n"] for r in satgas.order_by().values("village_id").annotate(n=Count("pk"))}
    with_decree: dict[str, int] = {}
    if apps.is_installed("sinergi.taskforces"):
        Body = apps.get_model("taskforces", "Body")
        bodies = Body.objects.filter(tenant=tenant, kind="satgas_ppa", is_active=True, agency__village__isnull=False)
        with_decree = {
            r["agency__village_id"]: r["n"]
            for r in bodies.order_by()
            .values("agency__village_id")
            .annotate(n=Count("pk", filter=~Q(decree_number="") | Q(decree_document__isnull=False)))
        }
    villages = Village.objects.filter(district__regency_id=tenant.regency_id).order_by("code")
    rows = [
        {
            "code": code,
            "name": name,
            "kecamatan": district,
            "satgas_units": units.get(code, 0),
            "with_decree": with_decree.get(code, 0),
            "covered": units.get(code, 0) > 0,
        }
        for code, name, district in villages.values_list("code", "name", "district_id")
    ]
    covered = sum(1 for r in rows if r["covered"])
    return {"villages": rows, "covered": covered, "total": len(rows)}
