"""The office's data map: cases and victims per kecamatan or kelurahan/desa, computed in the database.

Every figure is one GROUP BY (never a loop over cases in Python) and is cached per tenant under a
generation that any change of a case, a person, a referral or a right bumps once its transaction has
committed (`map_cache_bump_on_commit`; post_save/post_delete and cases' `case_data_changed` in plugin.py).
The case team and the office head see exact counts; analysts see kecamatan exactly and, below it, the
public small-count protection (sinergi.maps.disclosure: primary and secondary suppression audited by
LP, protection width from the tenant settings).
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person
from sinergi.cases.statistics import Period, period_for
from sinergi.core import policy
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Tenant

from .disclosure import protect_table
from .population import population_for

LEVELS = ("kecamatan", "kelurahan")
MEASURES = ("cases", "victims", "child_victims")
CACHE_SECONDS = 3600
ERR_FILTER = _("Choose a valid level, category, form of violence, age band and sex.")
ERR_PROTECTED_VIEW = _(
    "Below kecamatan your role sees whole calendar years without filters: two other periods or filters "
    "could be subtracted from each other to reveal a small count."
)


@dataclass(frozen=True)
class MapQuery:
    period: Period
    level: str = "kecamatan"
    category: str = ""
    form: str = ""
    age_band: str = ""
    sex: str = ""

    @property
    def key(self) -> str:
        data = {**asdict(self), "period": self.period.slug}
        return hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()[:20]

    @property
    def is_sexual(self) -> bool:
        return self.category == t.Category.SEXUAL or self.form == t.ViolenceForm.SEXUAL

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.as_dict(),
            "level": self.level,
            "category": self.category,
            "form": self.form,
            "age_band": self.age_band,
            "sex": self.sex,
        }


def map_query(
    *,
    year: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    level: str = "kecamatan",
    category: str = "",
    form: str = "",
    age_band: str = "",
    sex: str = "",
) -> MapQuery:
    """A validated query (ValidationError on an unknown value), the same for the page and the API."""
    period = period_for(year=year, date_from=date_from, date_to=date_to)
    ok = (
        level in LEVELS
        and category in ("", *t.Category.values)
        and form in ("", *t.ViolenceForm.values)
        and age_band in ("", *(key for key, _label in t.AGE_BAND_CHOICES))
        and sex in ("", *t.Sex.values)
    )
    if not ok:
        raise ValidationError(ERR_FILTER)
    return MapQuery(period=period, level=level, category=category, form=form, age_band=age_band, sex=sex)


# ---- cache per tenant ---------------------------------------------------------------------------------


def _gen_key(tenant_id: Any, scope: str = "office") -> str:
    return f"maps:{scope}:gen:{tenant_id}"


def map_cache_bump(tenant: Tenant | Any, *, cases: bool = True) -> None:
    """Invalidate every cached office figure of a tenant (a case, person, referral or right changed);
    with `cases`, also the version of the public figures (which count cases only)."""
    tenant_id = getattr(tenant, "pk", tenant)
    cache.set(_gen_key(tenant_id), uuid.uuid4().hex, None)
    if cases:
        cache.set(_gen_key(tenant_id, "public"), uuid.uuid4().hex, None)


def public_counts_version(tenant: Tenant) -> str:
    """A value that changes after every committed change of a tenant's cases (one cache read).

    The public figures are cached under it: reading a version from the cases themselves (count and
    latest change per year) took 0.7 s per visitor at 100,000 cases on SQLite.
    """
    key = _gen_key(tenant.pk, "public")
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


class _Bump:
    """The on-commit callback of one tenant (an object, so that a transaction holds at most one each)."""

    def __init__(self, tenant_id: Any, *, cases: bool) -> None:
        self.tenant_id = tenant_id
        self.cases = cases
        self.done = False  # run already (tests' captured callbacks stay on the connection's list)

    def __call__(self) -> None:
        self.done = True
        map_cache_bump(self.tenant_id, cases=self.cases)


def map_cache_bump_on_commit(tenant_id: Any, *, cases: bool = True, using: str | None = None) -> None:
    """Invalidate a tenant's office figures when the current transaction commits, once per tenant
    (`cases`: a case itself changed, so the public figures' version too).

    Not at once: a reader between the bump and the commit would cache the old counts under the new
    generation, stale for an hour. N changes in one transaction register one callback: the pending ones
    are looked up in the connection's list (a savepoint rolled back drops its own, as Django does).
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _sids, func, _robust in connection.run_on_commit:
            if isinstance(func, _Bump) and func.tenant_id == tenant_id and not func.done:
                func.cases = func.cases or cases
                return
    # robust: the change is committed; a cache that cannot be reached must not turn it into an error.
    transaction.on_commit(_Bump(tenant_id, cases=cases), using=using, robust=True)


def cached(tenant: Tenant, kind: str, key: str, compute: Callable[[], Any]) -> Any:
    gen = cache.get(_gen_key(tenant.pk))
    if gen is None:
        gen = uuid.uuid4().hex
        if not cache.add(_gen_key(tenant.pk), gen, None):
            gen = cache.get(_gen_key(tenant.pk)) or gen
    full = f"maps:office:{tenant.pk}:{gen}:{kind}:{get_language()}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_SECONDS)
    return value


# ---- querysets ----------------------------------------------------------------------------------------


def _victim_q(q: MapQuery, prefix: str = "") -> Q:
    cond = Q(**{f"{prefix}role": Person.Role.VICTIM})
    if q.age_band:
        cond &= Q(**{f"{prefix}age_band": q.age_band})
    if q.sex:
        cond &= Q(**{f"{prefix}sex": q.sex})
    return cond


def _case_q(q: MapQuery, prefix: str = "") -> Q:
    cond = Q(**{f"{prefix}reported_on__gte": q.period.date_from, f"{prefix}reported_on__lte": q.period.date_to})
    if q.category:
        cond &= Q(**{f"{prefix}category": q.category})
    if q.form:
        cond &= Q(**{f"{prefix}is_form_{q.form}": True})
    return cond


def cases_qs(tenant: Tenant, q: MapQuery) -> QuerySet:
    qs = Case.objects.filter(_case_q(q), tenant=tenant)
    if q.age_band or q.sex:
        qs = qs.filter(Exists(Person.objects.filter(_victim_q(q), case=OuterRef("pk"))))
    return qs.order_by()


def victims_qs(tenant: Tenant, q: MapQuery) -> QuerySet:
    return Person.objects.filter(_victim_q(q), _case_q(q, "case__"), tenant=tenant, case__tenant=tenant).order_by()


def _column(level: str) -> str:
    return "district_id" if level == "kecamatan" else "village_id"


def _victims_per_case(tenant: Tenant, q: MapQuery, *, children: bool = False) -> Coalesce:
    """The number of the outer case's victims matching the query (0 without one), from the index alone."""
    cond = _victim_q(q) & Q(case=OuterRef("pk"), tenant=tenant)
    if children:
        cond &= Q(is_child=True)
    per_case = Person.objects.filter(cond).order_by().values("case").annotate(n=Count("case")).values("n")
    return Coalesce(Subquery(per_case, output_field=IntegerField()), 0)


def raw_counts(tenant: Tenant, q: MapQuery) -> dict[str | None, dict[str, int]]:
    """{region code or None: {cases, victims, child_victims}} in one GROUP BY over the period's cases.

    The victims are counted per case in a correlated subquery rather than through a join: with the join,
    SQLite (no ANALYZE) walks the tenant's every case in kecamatan order (case_tenant_district) to save
    the GROUP BY's sort, 200-400 ms at 100,000 cases; from cases alone it takes the period's range of the
    covering index case_map_cover and probes person_case_role_cover per case. A case counts when it has a
    victim matching the age band and sex filters (as cases_qs's Exists), and always without them.
    """
    col = _column(q.level)
    victims = _victims_per_case(tenant, q)
    filtered = bool(q.age_band or q.sex)
    rows = (
        Case.objects.filter(_case_q(q), tenant=tenant)
        .order_by()
        .values(col)
        .annotate(
            # COUNT(*), not COUNT(id): the same from the index alone.
            n=Sum(Least(victims, 1)) if filtered else Count("*"),
            v=Sum(victims),
            c=Sum(_victims_per_case(tenant, q, children=True)),
        )
    )
    return {
        row[col]: {"cases": row["n"] or 0, "victims": row["v"] or 0, "child_victims": row["c"] or 0}
        for row in rows
        if row["n"] or row["v"]
    }


def regions_of(tenant: Tenant, level: str) -> list[tuple[str, str, str]]:
    """(code, name, kecamatan code) of every region of the tenant at `level`, in code order."""
    if level == "kecamatan":
        rows = District.objects.filter(regency_id=tenant.regency_id).order_by("code").values_list("code", "name")
        return [(code, name, code) for code, name in rows]
    return list(
        Village.objects.filter(district__regency_id=tenant.regency_id)
        .order_by("code")
        .values_list("code", "name", "district_id")
    )


# ---- small-count protection below kecamatan (analysts) ---------------------------------------------


def _thresholds(tenant: Tenant, q: MapQuery) -> tuple[int, int]:
    threshold = tenant.small_count_threshold_sexual if q.is_sexual else tenant.small_count_threshold
    return threshold, max(tenant.protection_width, threshold if q.is_sexual else 0)


def protected_columns(
    tenant: Tenant, q: MapQuery, rows: list[list[int]], *, cols: list[str]
) -> tuple[list[list[int | None]], list[int | None]]:
    """A small table (regions × measures, or categories × one count) through the public rules.

    The table's margins take part in the LP audit as if published, which is stricter than needed.
    """
    if not rows:
        return [], [None] * len(cols)
    threshold, protection = _thresholds(tenant, q)
    result = protect_table(
        rows=[str(i) for i in range(len(rows))],
        cols=cols,
        cells=rows,
        threshold=threshold,
        protection=protection,
    )
    return result.cells, result.col_totals


def _rate(count: int | None, children: int | None) -> float | None:
    if count is None or not children:
        return None
    return round(1000 * count / children, 2)


def is_protected_view(q: MapQuery) -> bool:
    """A view protected readers may have below kecamatan: one calendar year, no filter.

    Per view, primary and secondary suppression (LP audit) hide the small counts. Between views the
    audit knows nothing of the other views, so the choices are a partition: calendar years never
    overlap (no Jan–Jun minus Jan–May), and without filters no view is another minus a third (all
    categories minus sexual violence). The breakdowns of one region (region_detail) are one dimension
    each, audited together with the other kelurahan of its kecamatan (the kecamatan's exact figures as
    published margins, `_joint_tables`). Residual risk: the running
    year viewed on two days differs by the cases reported in between; readers are the office's own
    analysts, not the public, and the public page publishes completed quarters only.
    """
    p = q.period
    whole_year = p.date_from == dt.date(p.date_from.year, 1, 1) and p.date_to == dt.date(p.date_from.year, 12, 31)
    return whole_year and not (q.category or q.form or q.age_band or q.sex)


def _require_protected_view(q: MapQuery) -> None:
    if not is_protected_view(q):
        raise ValidationError({"year": ERR_PROTECTED_VIEW})


def office_map(*, user: Any, tenant: Tenant, q: MapQuery) -> dict:
    """Every region of the level with its counts (None where hidden) and rates per 1,000 children."""
    policy.require(user, "maps.view_office_map", tenant)
    exact = policy.can(user, "maps.view_exact_counts", tenant)
    if not exact and q.level != "kecamatan":
        _require_protected_view(q)
    return cached(tenant, "map", f"{q.key}:{int(exact)}", lambda: _office_map(tenant, q, exact=exact))


def _office_map(tenant: Tenant, q: MapQuery, *, exact: bool) -> dict:
    counts = raw_counts(tenant, q)
    regions = regions_of(tenant, q.level)
    children = population_for(tenant=tenant, year=q.period.date_to.year)
    values: dict[str, dict[str, int | None]] = {
        code: dict(counts.get(code) or dict.fromkeys(MEASURES, 0)) for code, _n, _d in regions
    }
    protected = not exact and q.level != "kecamatan"
    if protected:
        by_district: dict[str, list[str]] = {}
        for code, _name, district in regions:
            by_district.setdefault(district, []).append(code)
        for codes in by_district.values():
            cells, _totals = protected_columns(
                tenant, q, [[values[c][m] or 0 for m in MEASURES] for c in codes], cols=list(MEASURES)
            )
            for code, row in zip(codes, cells, strict=True):
                values[code] = dict(zip(MEASURES, row, strict=True))
    not_located = counts.get(None) or dict.fromkeys(MEASURES, 0)
    totals = {m: sum((counts.get(code) or {}).get(m, 0) for code in counts) for m in MEASURES}
    return {
        "query": q.as_dict(),
        "exact": exact,
        "protected_below_kecamatan": protected,
        "population_year": _population_year(tenant, q),
        "regions": [
            {
                "code": code,
                "name": name,
                "kecamatan": district,
                **values[code],
                "children": children.get(code),
                "child_victims_per_1000": _rate(values[code]["child_victims"], children.get(code)),
            }
            for code, name, district in regions
        ],
        "not_located": not_located if not protected else None,
        "totals": totals,
    }


def _population_year(tenant: Tenant, q: MapQuery) -> int | None:
    from .models import ChildPopulation

    return (
        ChildPopulation.objects.filter(tenant=tenant, year__lte=q.period.date_to.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


# ---- one region: trend and breakdown ------------------------------------------------------------------


def region_of(tenant: Tenant, code: str) -> tuple[str, str, str]:
    """(level, code, name) of a kecamatan or kelurahan of the tenant; 404 for any other code."""
    district = District.objects.filter(regency_id=tenant.regency_id, code=code).values_list("name", flat=True).first()
    if district is not None:
        return "kecamatan", code, district
    village = (
        Village.objects.filter(district__regency_id=tenant.regency_id, code=code).values_list("name", flat=True).first()
    )
    if village is None:
        raise Http404
    return "kelurahan", code, village


def region_detail(*, user: Any, tenant: Tenant, q: MapQuery, code: str) -> dict:
    policy.require(user, "maps.view_office_map", tenant)
    level, code, name = region_of(tenant, code)
    exact = policy.can(user, "maps.view_exact_counts", tenant)
    if not exact and level != "kecamatan":
        _require_protected_view(q)
    key = f"{q.key}:{code}:{int(exact)}"
    return cached(tenant, "region", key, lambda: _region_detail(tenant, q, level, code, name, exact=exact))


def _series(key: str, title: Any, unit: Any, counts: dict, choices: list) -> dict:
    rows = [{"key": str(k), "label": str(label), "count": counts.get(k, 0)} for k, label in choices]
    extra = sum(n for k, n in counts.items() if k not in {c for c, _l in choices})
    if extra:
        rows.append({"key": "", "label": str(_("Not recorded")), "count": extra})
    return {"key": key, "title": str(title), "unit": str(unit), "rows": rows}


def month_index(field: str, starts: list) -> SqlCase:
    """The index of the month a row falls in, as range tests in SQL (the rows are already in the period).

    Not TruncMonth: with a time zone it is a Python function called per row on SQLite (3.6 s of the
    performance page at 100,000 cases); comparisons use the column as it is stored, on every database.
    """
    whens = [When(**{f"{field}__lt": start}, then=Value(i)) for i, start in enumerate(starts[1:])]
    return SqlCase(*whens, default=Value(len(starts) - 1), output_field=IntegerField())


def month_starts(period: Period) -> list[dt.date]:
    """The first day of every month the period touches, in order."""
    out, day = [], period.date_from.replace(day=1)
    while day <= period.date_to:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _region_detail(
    tenant: Tenant, q: MapQuery, level: str, code: str, name: str, *, exact: bool, where: dict | None = None
) -> dict:
    """The region's totals, trend and breakdowns. `where` (exact only) reads another set of the tenant's
    cases instead of the region's, e.g. a kecamatan's cases without a kelurahan."""
    where = where or {_column(level): code}
    cases = cases_qs(tenant, q).filter(**where)
    victims = victims_qs(tenant, q).filter(**{f"case__{k}": v for k, v in where.items()})
    agg = cases.aggregate(
        cases=Count("pk"),
        **{f"form_{f}": Count("pk", filter=Q(**{f"is_form_{f}": True})) for f in t.ViolenceForm.values},
    )
    vagg = victims.aggregate(victims=Count("pk"), child_victims=Count("pk", filter=Q(is_child=True)))
    months = month_starts(q.period)
    per_month = {
        months[row["m"]]: row["n"]
        for row in cases.annotate(m=month_index("reported_on", months)).values("m").annotate(n=Count("pk"))
    }
    cases_unit, victims_unit = _("cases"), _("victims")
    breakdowns = [
        _series(
            "category",
            _("Case category"),
            cases_unit,
            {r["category"]: r["n"] for r in cases.values("category").annotate(n=Count("pk"))},
            t.Category.choices,
        ),
        _series(
            "form",
            _("Form of violence"),
            cases_unit,
            {f: agg[f"form_{f}"] for f in t.ViolenceForm.values},
            t.ViolenceForm.choices,
        ),
        _series(
            "age_band",
            _("Victim age band"),
            victims_unit,
            {r["age_band"]: r["n"] for r in victims.values("age_band").annotate(n=Count("pk"))},
            t.AGE_BAND_CHOICES,
        ),
        _series(
            "sex",
            _("Victim sex"),
            victims_unit,
            {r["sex"]: r["n"] for r in victims.values("sex").annotate(n=Count("pk"))},
            t.Sex.choices,
        ),
    ]
    trend = {
        "key": "month",
        "title": str(_("Cases per month")),
        "unit": str(cases_unit),
        "rows": [
            {"key": m.strftime("%Y-%m"), "label": m.strftime("%Y-%m"), "count": per_month.get(m, 0)} for m in months
        ],
    }
    totals: dict[str, int | None] = {"cases": agg["cases"], **vagg}
    protected = not exact and level != "kecamatan"
    if protected:
        # Audited together with the other kelurahan of its kecamatan, whose exact breakdowns these readers
        # see: alone, a hidden cell could be read off the kecamatan's figure minus its siblings' cells.
        district = Village.objects.filter(code=code).values_list("district_id", flat=True).get()
        joint = cached(tenant, "region-joint", f"{q.key}:{district}", lambda: _joint_tables(tenant, q, district))
        for table in [*breakdowns, trend]:
            shown = joint[table["key"]]
            for row in table["rows"]:
                row["count"] = shown[code].get(row["key"])
        # The kelurahan's own totals are protected on the map (office_map); hide them here the same way.
        shown = next(r for r in _office_map(tenant, q_at(q, "kelurahan"), exact=False)["regions"] if r["code"] == code)
        totals = {m: shown[m] for m in MEASURES}
    return {
        "query": q.as_dict(),
        "exact": exact,
        "protected": protected,
        "region": {"code": code, "name": name, "level": level},
        "totals": totals,
        "trend": trend,
        "breakdowns": breakdowns,
    }


def _joint_tables(tenant: Tenant, q: MapQuery, district: str) -> dict[str, dict[str, dict[str, int | None]]]:
    """Every breakdown and the trend of all kelurahan of one kecamatan, protected as one table per
    dimension: kelurahan (plus the kecamatan's cases without one) × values, whose column totals are the
    kecamatan's exact figures, audited as published. {table key: {kelurahan code: {value key: count}}}."""
    siblings = [code for code, _name, parent in regions_of(tenant, "kelurahan") if parent == district]
    unlocated = "__none__"
    details = {code: _region_detail(tenant, q, "kelurahan", code, "", exact=True) for code in siblings}
    details[unlocated] = _region_detail(
        tenant, q, "kelurahan", "", "", exact=True, where={"district_id": district, "village_id": None}
    )
    codes = [*siblings, unlocated]
    out: dict[str, dict[str, dict[str, int | None]]] = {}
    first = details[codes[0]]
    for index, table in enumerate([*first["breakdowns"], first["trend"]]):
        per_code = {c: [*details[c]["breakdowns"], details[c]["trend"]][index]["rows"] for c in codes}
        keys = list(dict.fromkeys(r["key"] for c in codes for r in per_code[c]))
        counts = {c: {r["key"]: r["count"] for r in per_code[c]} for c in codes}
        cells, _totals = protected_columns(tenant, q, [[counts[c].get(k, 0) for k in keys] for c in codes], cols=keys)
        out[table["key"]] = {c: dict(zip(keys, row, strict=True)) for c, row in zip(codes, cells, strict=True)}
    return out


def q_at(q: MapQuery, level: str) -> MapQuery:
    return MapQuery(period=q.period, level=level, category=q.category, form=q.form, age_band=q.age_band, sex=q.sex)
