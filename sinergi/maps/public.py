"""The figures of the public ILA page: cases per kecamatan and category, through disclosure control.

Only completed quarters are published (a quarter still running would change day by day, and two
days' figures differenced would date a case); each year shows its quarters and the year so far.
Every table is audited together with the tenant's release ledger for that year. The result is
cached per tenant under a key that changes whenever a case changes (office.public_counts_version),
so the public never waits for the LP audit twice for the same data.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.cases import statistics
from sinergi.cases import taxonomy as t
from sinergi.core.clock import tenant_today
from sinergi.regions.models import District
from sinergi.tenants.models import Tenant

from . import services
from .disclosure import PRIMARY, Release, protect
from .models import PublishedRelease
from .office import public_counts_version

TABLE = "kecamatan_kategori"
YEARS_SHOWN = 3
CACHE_SECONDS = 30 * 24 * 3600
REFRESH_LOCK_SECONDS = 600
NO_DISTRICT = ""
QUARTER_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PublicGroup:
    key: str
    label: object
    categories: tuple[str, ...]
    is_sexual: bool = False


# Ten case categories are too fine for small kecamatan; the public sees four groups (one owner here).
PUBLIC_GROUPS = (
    PublicGroup("seksual", _("Sexual violence"), (t.Category.SEXUAL,), is_sexual=True),
    PublicGroup(
        "anak",
        _("Other violence against children"),
        (
            t.Category.VIOLENCE_CHILD,
            t.Category.NEGLECT,
            t.Category.EXPLOITATION,
            t.Category.CHILD_MARRIAGE,
            t.Category.ABH,
        ),
    ),
    PublicGroup("perempuan", _("Violence against women and KDRT"), (t.Category.VIOLENCE_WOMAN, t.Category.DOMESTIC)),
    PublicGroup("lainnya", _("Trafficking and other"), (t.Category.TPPO, t.Category.OTHER)),
)
GROUP_OF = {category: g for g, group in enumerate(PUBLIC_GROUPS) for category in group.categories}
assert set(GROUP_OF) == set(t.Category.values), "every case category belongs to one public group"


def atom(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def completed_quarters(year: int, today: dt.date) -> list[int]:
    return [q for q in (1, 2, 3, 4) if dt.date(year, 3 * q, 1) < today.replace(day=1) or year < today.year]


def _rows(tenant: Tenant) -> list[tuple[str, str]]:
    districts = District.objects.filter(regency_id=tenant.regency_id).order_by("code").values_list("code", "name")
    return [*districts, (NO_DISTRICT, str(_("Kecamatan not recorded")))]


def _truth(tenant: Tenant, year: int, quarters: list[int], row_keys: list[str]) -> dict[str, list[list[int]]]:
    counts = statistics.quarter_counts(tenant=tenant, year=year)
    row_of = {code: i for i, code in enumerate(row_keys)}
    truth = {atom(year, q): [[0] * len(PUBLIC_GROUPS) for _ in row_keys] for q in quarters}
    for (quarter, district, category), n in counts.items():
        if quarter not in quarters:
            continue
        i = row_of.get(district or NO_DISTRICT, row_of[NO_DISTRICT])
        truth[atom(year, quarter)][i][GROUP_OF.get(category, len(PUBLIC_GROUPS) - 1)] += n
    return truth


def _ledger(tenant: Tenant, year: int, row_keys: list[str], col_keys: list[str], atoms: set[str]) -> list[Release]:
    entries = PublishedRelease.objects.filter(tenant=tenant, table=TABLE, year=year)
    # A release over other rows (a kecamatan added) or a quarter not published now cannot be re-evaluated.
    return [
        Release.from_dict({"atoms": e.atoms, "published": e.published})
        for e in entries
        if e.rows == row_keys and e.cols == col_keys and set(e.atoms) <= atoms
    ]


def _period_label(year: int, quarters: list[int], *, whole_year: bool) -> str:
    if not whole_year:
        return str(_("Quarter %(q)s %(year)s")) % {"q": QUARTER_LABELS[quarters[0]], "year": year}
    if quarters == [1, 2, 3, 4]:
        return str(_("Year %(year)s")) % {"year": year}
    return str(_("Year %(year)s, quarters I–%(q)s")) % {"year": year, "q": QUARTER_LABELS[quarters[-1]]}


def _table_dict(result, *, slug: str, label: str, rows: list[tuple[str, str]], labels: dict) -> dict:
    def cell(pos, value):
        if value is not None:
            return {"value": value, "shown": value}
        reason = result.reasons[pos]
        return {"value": None, "shown": labels[PRIMARY if reason == PRIMARY else "other"](pos), "reason": reason}

    return {
        "period": slug,
        "label": label,
        "rows": [
            {
                "code": code,
                "name": name,
                "cells": [cell(("cell", i, j), v) for j, v in enumerate(result.cells[i])],
                "total": cell(("row", i), result.row_totals[i]),
            }
            for i, (code, name) in enumerate(rows)
        ],
        "col_totals": [cell(("col", j), v) for j, v in enumerate(result.col_totals)],
        "total": cell(("total",), result.total),
    }


def _context(tenant: Tenant) -> dict:
    rows = _rows(tenant)
    threshold, sexual = tenant.small_count_threshold, tenant.small_count_threshold_sexual
    return {
        "rows": rows,
        "row_keys": [code for code, _name in rows],
        "col_keys": [group.key for group in PUBLIC_GROUPS],
        "threshold": threshold,
        "sexual": sexual,
        "col_thresholds": [sexual if group.is_sexual else threshold for group in PUBLIC_GROUPS],
    }


def compute_year(*, tenant: Tenant, year: int, today: dt.date) -> dict | None:
    """Publish (and record in the ledger) the completed quarters of a year and the year so far."""
    quarters = completed_quarters(year, today)
    if not quarters:
        return None
    ctx = _context(tenant)
    row_keys, col_keys, threshold, col_thresholds = (
        ctx["row_keys"],
        ctx["col_keys"],
        ctx["threshold"],
        ctx["col_thresholds"],
    )
    labels = {
        PRIMARY: lambda pos: f"<{(col_thresholds[pos[-1]] if pos[0] in ('cell', 'col') else threshold) + 1}",
        "other": lambda pos: "*",
    }
    truth = _truth(tenant, year, quarters, row_keys)
    ledger = _ledger(tenant, year, row_keys, col_keys, set(truth))
    spans = [([q], False) for q in quarters]
    if len(quarters) > 1:
        spans.append((quarters, True))
    tables = []
    for span, whole in spans:
        atoms = tuple(atom(year, q) for q in span)
        result = protect(
            rows=row_keys,
            cols=col_keys,
            truth=truth,
            atoms=atoms,
            threshold=threshold,
            protection=tenant.protection_width,
            col_thresholds=col_thresholds,
            ledger=ledger,
        )
        services.release_record(
            tenant=tenant, table=TABLE, year=year, rows=row_keys, cols=col_keys, release=result.release
        )
        ledger.append(result.release)
        slug = str(year) if whole else atom(year, span[0])
        label = _period_label(year, span, whole_year=whole)
        tables.append(_table_dict(result, slug=slug, label=label, rows=ctx["rows"], labels=labels))
    # The year first, then its quarters.
    return {"year": year, "tables": tables[-1:] + tables[:-1] if len(tables) > 1 else tables}


def _year_key(tenant: Tenant, year: int) -> str:
    return f"maps:ila:{tenant.pk}:{year}:{get_language()}"


def year_refresh(*, tenant: Tenant, year: int, version: str) -> dict | None:
    """Compute a year's figures and cache them with the version of the counts they come from."""
    today = tenant_today(tenant)
    figures = compute_year(tenant=tenant, year=year, today=today)
    cache.set(_year_key(tenant, year), {"version": version, "figures": figures}, CACHE_SECONDS)
    return figures


def public_figures(*, tenant: Tenant) -> dict:
    """The published figures of a tenant, from the cache (see `public_figures_edition`)."""
    return public_figures_edition(tenant=tenant)[0]


def public_rendered(*, tenant: Tenant, kind: str, render: Callable[[dict], bytes]) -> bytes:
    """An output of the figures (page section, JSON, CSV, map), rendered once per edition."""
    figures, edition = public_figures_edition(tenant=tenant)
    key = f"maps:ila:{tenant.pk}:{kind}:{get_language()}:{edition}"
    body = cache.get(key)
    if body is None:
        body = render(figures)
        cache.set(key, body, CACHE_SECONDS)
    return body


def _refresh_later(tenant: Tenant, year: int, version: str) -> None:
    """Ask the worker to compute a year (once per lock period, however many visitors ask)."""
    from .tasks import ila_year_refresh

    if cache.add(f"{_year_key(tenant, year)}:refreshing", 1, REFRESH_LOCK_SECONDS):
        ila_year_refresh(tenant.pk, year, version, get_language())


@dataclass(frozen=True)
class FiguresState:
    figures: dict
    edition: str
    counts_version: str  # office.public_counts_version as read before the figures
    is_current: bool  # every year computed from the counts of that version (none preparing or stale)


def public_figures_edition(*, tenant: Tenant, compute_missing: bool = False) -> tuple[dict, str]:
    """The published figures of a tenant, from the cache, and a key that changes with them
    (see `public_figures_state`)."""
    state = public_figures_state(tenant=tenant, compute_missing=compute_missing)
    return state.figures, state.edition


def public_figures_state(*, tenant: Tenant, compute_missing: bool = False) -> FiguresState:
    """The published figures of a tenant, from the cache, with their edition and whether they are current.

    A visitor's request never runs the LP audit: when the cases of a year changed, the previous
    figures are served while the worker computes the new ones, and a year never computed is listed
    in `preparing` (the page says the figures are being prepared). The worker's warm-up
    (`compute_missing=True`, tasks.ila_warm) computes missing years in place.
    """
    today = tenant_today(tenant)
    years = list(range(today.year, today.year - YEARS_SHOWN, -1))
    counts = public_counts_version(tenant)
    entries = cache.get_many([_year_key(tenant, year) for year in years])
    shown = []
    used = []
    current = True
    preparing = []
    for year in years:
        version = (
            f"{counts}:q{len(completed_quarters(year, today))}:{tenant.small_count_threshold}:"
            f"{tenant.small_count_threshold_sexual}:{tenant.protection_width}"
        )
        entry = entries.get(_year_key(tenant, year))
        if entry is None and compute_missing:
            entry = {"version": version, "figures": year_refresh(tenant=tenant, year=year, version=version)}
        elif entry is None or entry["version"] != version:
            _refresh_later(tenant, year, version)
            entry = cache.get(_year_key(tenant, year)) or entry  # fresh at once when the worker is inline
        if entry is None:
            preparing.append(year)
            used.append(f"preparing-{year}")
            current = False
            continue
        used.append(entry["version"])
        current = current and entry["version"] == version  # else the previous figures, while the worker runs
        if entry["figures"]:
            shown.append(entry["figures"])
    figures = {
        "tenant": {"code": tenant.code, "name": tenant.name},
        "categories": [{"key": group.key, "label": str(group.label)} for group in PUBLIC_GROUPS],
        "rules": {
            "threshold": tenant.small_count_threshold,
            "threshold_sexual": tenant.small_count_threshold_sexual,
            "protection": tenant.protection_width,
        },
        "years": shown,
        "preparing": preparing,
    }
    edition = hashlib.sha256("|".join([tenant.name, *used]).encode()).hexdigest()[:16]
    return FiguresState(figures=figures, edition=edition, counts_version=counts, is_current=current)
