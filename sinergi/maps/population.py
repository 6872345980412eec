"""Child population per kecamatan or kelurahan/desa and year: CSV import (all or nothing) and reads.

The CSV has a header row and three columns: `tahun` (year), `kode_wilayah` (Kemendagri code of a
kecamatan "64.02.01" or a kelurahan/desa "64.02.01.2001" of the tenant's regency) and `jumlah_anak`
(children 0–17). English headers (`year`, `region_code`, `children`) are accepted too. A row for a
(year, region) already imported replaces it. One bad row refuses the whole file, with an error per row.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Tenant

from .models import ChildPopulation

EVENT_POPULATION_IMPORTED = "maps.child_population_imported"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_CHILDREN = 5_000_000
THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")  # "1.234", Indonesian style
HEADERS = {
    "tahun": "year",
    "year": "year",
    "kode_wilayah": "code",
    "region_code": "code",
    "jumlah_anak": "children",
    "children": "children",
}
ERR_FILE = gettext_lazy(
    "The file must be a UTF-8 CSV of at most 2 MB with the columns tahun, kode_wilayah, jumlah_anak."
)
ERR_EMPTY = gettext_lazy("The file has no data rows.")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class PopulationImportError(ValidationError):
    """The file was refused; `row_errors` says why, per line (nothing was written)."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__([f"{e.line}: {e.message}" if e.line else e.message for e in row_errors])


def _rows(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(raw) > MAX_BYTES:
        raise PopulationImportError([RowError(0, str(ERR_FILE))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PopulationImportError([RowError(0, str(ERR_FILE))]) from exc
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    names = [HEADERS.get((h or "").strip().lower()) for h in header or []]
    if sorted(n for n in names if n) != ["children", "code", "year"]:
        raise PopulationImportError([RowError(1, str(ERR_FILE))])
    out = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise PopulationImportError([RowError(line, _("At most %(n)s rows per file.") % {"n": MAX_ROWS})])
        out.append((line, {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names) if n}))
    if not out:
        raise PopulationImportError([RowError(0, str(ERR_EMPTY))])
    return out


def child_population_import(*, actor, tenant: Tenant, raw: bytes) -> int:
    """Validate every row, then write them all in one transaction; returns the number of rows."""
    policy.require(actor, "maps.import_child_population", tenant)
    rows = _rows(raw)
    prefix = f"{tenant.regency_id}."
    codes = {code for _line, row in rows for code in [row["code"]] if code.startswith(prefix)}
    districts = set(
        District.objects.filter(regency_id=tenant.regency_id, code__in=codes).values_list("code", flat=True)
    )
    villages = set(
        Village.objects.filter(district__regency_id=tenant.regency_id, code__in=codes).values_list("code", flat=True)
    )
    this_year = dt.date.today().year
    errors: list[RowError] = []
    seen: dict[tuple[int, str], int] = {}
    clean: list[tuple[int, str, int]] = []
    for line, row in rows:
        year_text, code, children_text = row["year"], row["code"], row["children"]
        if not year_text.isdigit() or not 2000 <= int(year_text) <= this_year + 1:
            errors.append(
                RowError(
                    line,
                    _("Year %(value)r is not a year from 2000 to %(max)s.")
                    % {"value": year_text, "max": this_year + 1},
                )
            )
            continue
        if code not in districts and code not in villages:
            errors.append(
                RowError(
                    line,
                    _("%(code)r is not a kecamatan or kelurahan/desa code of %(tenant)s.")
                    % {"code": code, "tenant": tenant.name},
                )
            )
            continue
        digits = children_text.replace(".", "") if THOUSANDS.fullmatch(children_text) else children_text
        if not digits.isdigit() or int(digits) > MAX_CHILDREN:
            errors.append(
                RowError(
                    line,
                    _("The number of children %(value)r is not a whole number from 0 to %(max)s.")
                    % {"value": children_text, "max": f"{MAX_CHILDREN:,}".replace(",", ".")},
                )
            )
            continue
        key = (int(year_text), code)
        if key in seen:
            errors.append(
                RowError(
                    line,
                    _("%(code)s %(year)s already appears on line %(line)s.")
                    % {"code": code, "year": key[0], "line": seen[key]},
                )
            )
            continue
        seen[key] = line
        clean.append((key[0], code, int(digits)))
    if errors:
        raise PopulationImportError(errors)
    with transaction.atomic():
        for year, code, children in clean:
            is_district = code in districts
            ChildPopulation.objects.update_or_create(
                tenant=tenant,
                year=year,
                region_code=code,
                defaults={
                    "children": children,
                    "district_id": code if is_district else None,
                    "village_id": None if is_district else code,
                },
            )
        audit(
            actor=actor,
            action=EVENT_POPULATION_IMPORTED,
            obj=tenant,
            tenant=tenant,
            extra={"rows": len(clean), "years": sorted({year for year, _c, _n in clean})},
        )
    from .office import map_cache_bump_on_commit

    map_cache_bump_on_commit(tenant.pk, cases=False)
    return len(clean)


def population_for(*, tenant: Tenant, year: int) -> dict[str, int]:
    """Children per region code for the latest imported year up to `year` (one query per call)."""
    latest = (
        ChildPopulation.objects.filter(tenant=tenant, year__lte=year).order_by("-year").values_list("year", flat=True)
    ).first()
    if latest is None:
        return {}
    return dict(ChildPopulation.objects.filter(tenant=tenant, year=latest).values_list("region_code", "children"))


def population_years(*, tenant: Tenant) -> list[dict]:
    """Imported years: regions and children of the kecamatan rows (for the import page)."""
    rows = (
        ChildPopulation.objects.filter(tenant=tenant)
        .order_by("year")
        .values("year")
        .annotate(regions=Count("pk"), children=Sum("children", filter=Q(district__isnull=False)))
    )
    return list(rows)
