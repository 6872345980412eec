"""Monthly statistics of case handling: aggregates only, computed in the database.

The numbers follow the SIMFONI-PPA distinction between cases, victims and perpetrators. Nothing at
case level leaves this module, so a user with `cases.view_statistics` (e.g. an analyst) needs no
access to any case. The query count is constant (one query per breakdown), whatever the number of
cases.

These tables are for the office's internal use. Published figures (maps, press releases) need
small-count suppression on top (see DOMAIN.md §6); nothing here suppresses.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from sinergi.core import policy
from sinergi.regions.models import District
from sinergi.tenants.models import Tenant

from . import taxonomy as t
from .dates import DATE_FLOOR
from .models import Case, Person

ERR_PERIOD = _("Choose a valid period.")
ERR_RANGE = _("The start date must be on or before the end date, at most five years apart.")
MIN_YEAR = DATE_FLOOR.year
MAX_RANGE_DAYS = 5 * 366
NOT_RECORDED = _("Not recorded")


@dataclass(frozen=True)
class Period:
    """A reporting period on the report date (`reported_on`), both ends included."""

    date_from: dt.date
    date_to: dt.date
    year: int | None = None
    month: int | None = None

    @property
    def slug(self) -> str:
        """Short, file-name safe: 2026-03, 2026 or 20260101-20260331."""
        if self.year and self.month:
            return f"{self.year}-{self.month:02d}"
        if self.year:
            return str(self.year)
        return f"{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"

    def as_dict(self) -> dict[str, str]:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}


def first_case_year(*, tenant: Any) -> int | None:
    """The year of the tenant's first reported case: where the statistics' year list starts."""
    from .models import Case

    first = Case.objects.filter(tenant=tenant).order_by("reported_on").values_list("reported_on", flat=True).first()
    return first.year if first else None


def period_for(
    *,
    year: int | None = None,
    month: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Period:
    """A calendar month, a calendar year, or an explicit date range (validated)."""
    if date_from or date_to:
        if not (date_from and date_to) or date_from > date_to or (date_to - date_from).days > MAX_RANGE_DAYS:
            raise ValidationError(ERR_RANGE)
        return Period(date_from, date_to)
    if year is None or not MIN_YEAR <= year <= dt.date.today().year + 1:
        raise ValidationError(ERR_PERIOD)
    if month is None:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), year)
    if not 1 <= month <= 12:
        raise ValidationError(ERR_PERIOD)
    return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), year, month)


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    count: int
    percent: float  # of the table's base (cases or victims); forms may add up to more than 100


@dataclass(frozen=True)
class StatTable:
    slug: str
    title: str
    unit: str
    base: int
    rows: list[StatRow]

    @property
    def max(self) -> int:
        """Upper bound for the bars (<meter max>): the largest count, at least 1."""
        return max([row.count for row in self.rows] + [1])


@dataclass(frozen=True)
class Statistics:
    period: Period
    totals: dict[str, int]
    tables: list[StatTable] = field(default_factory=list)
    by_month: StatTable | None = None

    def table(self, slug: str) -> StatTable:
        return next(tbl for tbl in self.tables if tbl.slug == slug)


def _percent(count: int, base: int) -> float:
    return round(100 * count / base, 1) if base else 0.0


def _table(
    slug: str, title: Any, unit: Any, base: int, counts: dict[Any, int], choices: list[tuple[Any, Any]]
) -> StatTable:
    """Rows for every known choice (zeros included, in taxonomy order), then unknown keys if any."""
    rows = [
        StatRow(str(key), str(label), counts.get(key, 0), _percent(counts.get(key, 0), base)) for key, label in choices
    ]
    known = {key for key, _label in choices}
    for key, count in counts.items():
        if key not in known and count:
            label = NOT_RECORDED if key in ("", None) else key
            rows.append(StatRow(str(key or ""), str(label), count, _percent(count, base)))
    return StatTable(slug=slug, title=str(title), unit=str(unit), base=base, rows=rows)


def _grouped(qs: QuerySet, column: str) -> dict[Any, int]:
    # order_by() drops the model's default ordering so that only `column` is grouped on.
    return {row[column]: row["n"] for row in qs.order_by().values(column).annotate(n=Count("pk"))}


def monthly_statistics(*, user: Any, tenant: Tenant, year: int, month: int | None = None) -> Statistics:
    """Counts of cases, victims and perpetrators for a month (or a whole year), with breakdowns."""
    return statistics_for_period(user=user, tenant=tenant, period=period_for(year=year, month=month))


def statistics_for_period(*, user: Any, tenant: Tenant, period: Period) -> Statistics:
    policy.require(user, "cases.view_statistics", tenant)
    cases = Case.objects.filter(tenant=tenant, reported_on__gte=period.date_from, reported_on__lte=period.date_to)
    people = Person.objects.filter(
        tenant=tenant,
        case__tenant=tenant,
        case__reported_on__gte=period.date_from,
        case__reported_on__lte=period.date_to,
    )
    victims = people.filter(role=Person.Role.VICTIM)
    perpetrators = people.filter(role=Person.Role.PERPETRATOR)

    case_agg = cases.aggregate(
        cases=Count("pk"),
        cases_with_child_victim=Count("pk", filter=Q(has_child_victim=True)),
        **{f"form_{form}": Count("pk", filter=Q(**{f"is_form_{form}": True})) for form in t.ViolenceForm.values},
    )
    people_agg = people.aggregate(
        victims=Count("pk", filter=Q(role=Person.Role.VICTIM)),
        child_victims=Count("pk", filter=Q(role=Person.Role.VICTIM, is_child=True)),
        victims_with_disability=Count("pk", filter=Q(role=Person.Role.VICTIM, has_disability=True)),
        perpetrators=Count("pk", filter=Q(role=Person.Role.PERPETRATOR)),
    )
    n_cases, n_victims, n_perpetrators = case_agg["cases"], people_agg["victims"], people_agg["perpetrators"]
    totals = {
        "cases": n_cases,
        "cases_with_child_victim": case_agg["cases_with_child_victim"],
        "victims": n_victims,
        "child_victims": people_agg["child_victims"],
        "victims_with_disability": people_agg["victims_with_disability"],
        "perpetrators": n_perpetrators,
    }

    districts = list(District.objects.filter(regency_id=tenant.regency_id).order_by("code").values_list("code", "name"))
    cases_unit, victims_unit, perpetrators_unit = _("cases"), _("victims"), _("perpetrators")
    tables = [
        _table("category", _("Case category"), cases_unit, n_cases, _grouped(cases, "category"), t.Category.choices),
        _table(
            "form",
            _("Form of violence"),
            cases_unit,
            n_cases,
            {form: case_agg[f"form_{form}"] for form in t.ViolenceForm.values},
            t.ViolenceForm.choices,
        ),
        _table(
            "age_band", _("Victim age band"), victims_unit, n_victims, _grouped(victims, "age_band"), t.AGE_BAND_CHOICES
        ),
        _table("sex", _("Victim sex"), victims_unit, n_victims, _grouped(victims, "sex"), t.Sex.choices),
        _table(
            "district", _("Kecamatan of the incident"), cases_unit, n_cases, _grouped(cases, "district_id"), districts
        ),
        _table(
            "place", _("Place of the incident"), cases_unit, n_cases, _grouped(cases, "incident_place"), t.Place.choices
        ),
        _table(
            "relation",
            _("Relation of the perpetrator to the victim"),
            perpetrators_unit,
            n_perpetrators,
            _grouped(perpetrators, "relation_to_victim"),
            t.Relation.choices,
        ),
    ]
    by_month = None
    if period.year and not period.month:
        per_month = {
            row["m"]: row["n"]
            for row in cases.order_by().annotate(m=ExtractMonth("reported_on")).values("m").annotate(n=Count("pk"))
        }
        by_month = _table(
            "month", _("Cases per month"), cases_unit, n_cases, per_month, [(m, MONTHS[m]) for m in range(1, 13)]
        )
    return Statistics(period=period, totals=totals, tables=tables, by_month=by_month)


def quarter_counts(*, tenant: Tenant, year: int) -> dict[tuple[int, str | None, str], int]:
    """Raw counts of the year's cases per (quarter, kecamatan code, category), in one query.

    No policy check: these are raw aggregates for a module that publishes them only through
    disclosure control (sinergi.maps.public). Never return or render them as they are.
    """
    rows = (
        Case.objects.filter(tenant=tenant, reported_on__year=year)
        .order_by()
        .annotate(q=ExtractQuarter("reported_on"))
        .values("q", "district_id", "category")
        .annotate(n=Count("pk"))
        .values_list("q", "district_id", "category", "n")
    )
    return {(q, district, category): n for q, district, category, n in rows}


def counts_versions(*, tenant: Tenant, years: list[int]) -> dict[int, str]:
    """Per year, a value that changes whenever a case of that year is added, edited or deleted (one
    query): the key for cached published figures."""
    rows = (
        Case.objects.filter(tenant=tenant, reported_on__year__in=years)
        .order_by()
        .annotate(y=ExtractYear("reported_on"))
        .values("y")
        .annotate(n=Count("pk"), last=Max("updated_at"))
        .values_list("y", "n", "last")
    )
    found = {y: f"{n}:{last.isoformat() if last else '-'}" for y, n, last in rows}
    return {year: found.get(year, "0:-") for year in years}
