"""Writes to the region tables: only the loader of the vendored Kemendagri code list."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .codes import Level, is_region_code, village_kind_from_code
from .models import District, Province, Regency, Village
from .sources import DATA_DIR, iter_region_rows

ERROR_NOT_A_REGENCY = _("Not a kabupaten/kota code: %(codes)s")
ERROR_UNKNOWN_REGENCY = _("Unknown kabupaten/kota code: %(codes)s")
ERROR_NO_REGENCY = _("Give at least one kabupaten/kota code.")

# (CSV table, model, parent FK attname), parents first.
_TABLES: tuple[tuple[str, type[models.Model], str | None], ...] = (
    ("provinces", Province, None),
    ("regencies", Regency, "province_id"),
    ("districts", District, "regency_id"),
    ("villages", Village, "district_id"),
)


@dataclass
class TableCounts:
    """What one load did to one table. `stale` rows are in the DB but no longer in the source: they
    are kept, because cases and agencies may still point at them (FKs are PROTECT)."""

    source: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _desired_rows(
    table: str, *, regencies: frozenset[str] | None, data_dir: Path
) -> dict[str, tuple[str | None, str, str | None]]:
    """code -> (parent code, name, village kind) for the wanted part of one CSV."""
    rows: dict[str, tuple[str | None, str, str | None]] = {}
    for code, parent, name in iter_region_rows(table, data_dir=data_dir):
        if regencies is not None:
            if table == "provinces":
                if not any(regency.startswith(f"{code}.") for regency in regencies):
                    continue
            elif code[:5] not in regencies:
                continue
        kind = village_kind_from_code(code) if table == "villages" else None
        rows[code] = (parent, name, kind)
    return rows


def _scope(table: str, regencies: frozenset[str] | None) -> Q:
    if regencies is None:
        return Q()
    if table == "provinces":
        return Q(code__in={regency[:2] for regency in regencies})
    if table == "regencies":
        return Q(code__in=regencies)
    # Codes are hierarchical, so every row of a regency (wherever the DB says it belongs) shares its prefix.
    scope = Q()
    for regency in sorted(regencies):
        scope |= Q(code__startswith=f"{regency}.")
    return scope


def _sync_table(
    *,
    model: type[models.Model],
    parent_attname: str | None,
    desired: dict[str, tuple[str | None, str, str | None]],
    scope: Q,
) -> TableCounts:
    has_kind = model is Village
    fields = ["code", "name"] + ([parent_attname] if parent_attname else []) + (["kind"] if has_kind else [])
    existing: dict[str, tuple[str | None, str, str | None]] = {}
    for row in model.objects.filter(scope).values(*fields).iterator(chunk_size=5000):
        existing[row["code"]] = (row.get(parent_attname) if parent_attname else None, row["name"], row.get("kind"))

    def build(code: str, values: tuple[str | None, str, str | None]) -> models.Model:
        parent, name, kind = values
        kwargs = {"code": code, "name": name}
        if parent_attname:
            kwargs[parent_attname] = parent
        if has_kind:
            kwargs["kind"] = kind
        return model(**kwargs)

    to_create = [build(code, values) for code, values in desired.items() if code not in existing]
    to_update = [
        build(code, values) for code, values in desired.items() if code in existing and existing[code] != values
    ]
    if to_create:
        model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        update_fields = [field for field in fields if field != "code"]
        model.objects.bulk_update(to_update, update_fields, batch_size=500)
    return TableCounts(
        source=len(desired),
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(desired) - len(to_create) - len(to_update),
        stale=len(existing.keys() - desired.keys()),
    )


def _check_regencies(regency_codes: Iterable[str], *, data_dir: Path) -> frozenset[str]:
    wanted = frozenset(code.strip() for code in regency_codes if code.strip())
    if not wanted:
        raise ValidationError(ERROR_NO_REGENCY)
    malformed = sorted(code for code in wanted if not is_region_code(code, level=Level.REGENCY))
    if malformed:
        raise ValidationError(ERROR_NOT_A_REGENCY, params={"codes": ", ".join(malformed)})
    known = {code for code, _parent, _name in iter_region_rows("regencies", data_dir=data_dir)}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValidationError(ERROR_UNKNOWN_REGENCY, params={"codes": ", ".join(unknown)})
    return wanted


@transaction.atomic
def regions_load(*, regency_codes: Sequence[str] | None = None, data_dir: Path = DATA_DIR) -> dict[str, TableCounts]:
    """Create or update provinces, regencies, kecamatan and desa/kelurahan from the vendored CSVs.

    Idempotent: rows are compared with the source and only new or changed rows are written. With
    `regency_codes`, only those regencies (and their provinces) are loaded.
    """
    regencies = _check_regencies(regency_codes, data_dir=data_dir) if regency_codes is not None else None
    report: dict[str, TableCounts] = {}
    for table, model, parent_attname in _TABLES:
        desired = _desired_rows(table, regencies=regencies, data_dir=data_dir)
        report[table] = _sync_table(
            model=model, parent_attname=parent_attname, desired=desired, scope=_scope(table, regencies)
        )
    return report
