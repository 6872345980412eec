"""The one owner of the KLA score rules: completeness, the verifier's checklist, the predicted verified
score, totals per cluster, the projected band, "what raises our score most" and year-over-year.

Everything is computed from a handful of aggregate queries per tenant and year (constant in the number of
evidence items). The one that grows with the items (counts per indicator x OPD x type) is cached per tenant
and year, and the cached copy is used only while ONE cheap query over the tenant's items (count and latest
`updated_at`, on the (tenant, updated_at) index) gives the same answer: any added, changed or removed item
(through a service or the admin) shows there, so a change is never served stale. The predicted verified score is Sinergi's estimate of the province's administrative
verification, not an official formula: the self-assessed points, scaled by the share of required evidence
types present, and cut by 20 % for each failed check (dated outside the evaluation period; regulation,
decree or policy unsigned or unnumbered; activities without UANG).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q

from .models import (
    NUMBERED_TYPES,
    Assignment,
    Band,
    EvaluationYear,
    EvidenceItem,
    EvidenceType,
    Indicator,
    ReviewStatus,
    SelfAssessment,
)

# A transaction that commits an older `updated_at` after a newer one could slip past the check; the entry
# lives only this long, so such a race heals by itself.
STATS_CACHE_SECONDS = 300
CHECK_PENALTY = Decimal("0.8")
TWO = Decimal("0.01")


def evaluation_period(year: int) -> tuple[dt.date, dt.date]:
    """Evidence of the year before the evaluation and of the evaluation year itself counts."""
    return dt.date(year - 1, 1, 1), dt.date(year, 12, 31)


@dataclass
class Check:
    key: str
    passed: bool
    applies: bool = True


@dataclass
class IndicatorScore:
    indicator: Indicator
    agencies: list[tuple[str, str]]  # (agency id, short name)
    required: list[str]
    present: list[str]
    accepted: list[str]
    missing: list[str]
    self_points: Decimal
    predicted: Decimal
    checks: list[Check]
    items: int = 0
    pending: int = 0

    @property
    def completeness(self) -> int:
        if not self.required:
            return 100
        return round(100 * len([t for t in self.required if t in self.accepted]) / len(self.required))

    @property
    def gap(self) -> Decimal:
        return self.self_points - self.predicted

    @property
    def at_stake(self) -> Decimal:
        return Decimal(self.indicator.points) - self.predicted

    @property
    def missing_labels(self) -> list[str]:
        return [str(EvidenceType(t).label) for t in self.missing if t in EvidenceType.values]


@dataclass
class ClusterScore:
    code: str
    title: str
    max_points: int = 0
    self_points: Decimal = Decimal(0)
    predicted: Decimal = Decimal(0)
    indicators: list[IndicatorScore] = field(default_factory=list)

    @property
    def completeness(self) -> int:
        if not self.indicators:
            return 0
        return round(sum(i.completeness for i in self.indicators) / len(self.indicators))


@dataclass
class YearScore:
    year: EvaluationYear
    clusters: list[ClusterScore]
    bands: list[Band]
    heatmap: dict[tuple[str, str], int]  # (cluster code, agency id) -> completeness %
    agencies: list[tuple[str, str]]

    @property
    def indicators(self) -> list[IndicatorScore]:
        return [i for c in self.clusters for i in c.indicators]

    @property
    def self_total(self) -> Decimal:
        return sum((c.self_points for c in self.clusters), Decimal(0))

    @property
    def predicted_total(self) -> Decimal:
        return sum((c.predicted for c in self.clusters), Decimal(0))

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.clusters)

    @property
    def completeness(self) -> int:
        inds = self.indicators
        return round(sum(i.completeness for i in inds) / len(inds)) if inds else 0

    def band_for(self, points: Decimal) -> Band | None:
        return band_for(self.bands, points)

    @property
    def self_band(self) -> Band | None:
        return self.band_for(self.self_total)

    @property
    def predicted_band(self) -> Band | None:
        return self.band_for(self.predicted_total)

    def raises_most(self, limit: int = 10) -> list[IndicatorScore]:
        """Indicators ordered by points at stake (maximum minus predicted), largest first."""
        return sorted((i for i in self.indicators if i.at_stake > 0), key=lambda i: (-i.at_stake, i.indicator.order))[
            :limit
        ]


def band_for(bands: list[Band], points: Decimal) -> Band | None:
    """The band whose range holds `points` (rounded to whole points); None below the lowest band."""
    whole = int(Decimal(points).quantize(Decimal(1)))
    for band in bands:
        if band.min_points <= whole <= band.max_points:
            return band
    return None


def stats_cache_key(*, tenant, year: EvaluationYear) -> str:
    return f"kla:stats:v1:{tenant.pk}:{year.pk}"


def _stats_version(*, tenant) -> tuple[int, str]:
    row = EvidenceItem.objects.filter(tenant=tenant).order_by().aggregate(n=Count("*"), last=Max("updated_at"))
    return row["n"], row["last"].isoformat() if row["last"] else ""


def _stats(*, tenant, year: EvaluationYear) -> dict[tuple, dict]:
    key = stats_cache_key(tenant=tenant, year=year)
    version = _stats_version(tenant=tenant)
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    stats = _stats_compute(tenant=tenant, year=year)
    cache.set(key, (version, stats), STATS_CACHE_SECONDS)
    return stats


def _stats_compute(*, tenant, year: EvaluationYear) -> dict[tuple, dict]:
    start, end = evaluation_period(year.year)
    dated_types = [t for t in EvidenceType.values if t not in NUMBERED_TYPES]
    rows = (
        EvidenceItem.objects.filter(tenant=tenant, indicator__year=year)
        .order_by()
        .values("indicator_id", "agency_id", "evidence_type")
        .annotate(
            n=Count("pk"),
            ok=Count("pk", filter=~Q(status=ReviewStatus.REVISION)),
            accepted=Count("pk", filter=Q(status=ReviewStatus.ACCEPTED)),
            pending=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
            bad_date=Count(
                "pk",
                filter=~Q(status=ReviewStatus.REVISION)
                & Q(evidence_type__in=dated_types)
                & (Q(dated_on__lt=start) | Q(dated_on__gt=end)),
            ),
            unsigned=Count(
                "pk",
                filter=~Q(status=ReviewStatus.REVISION)
                & Q(evidence_type__in=list(NUMBERED_TYPES))
                & (Q(number="") | Q(is_signed=False)),
            ),
        )
    )
    return {(r["indicator_id"], r["agency_id"], r["evidence_type"]): r for r in rows}


def _score_one(
    indicator: Indicator, stats: list[dict], self_points: Decimal
) -> tuple[Decimal, list[Check], list[str], list[str]]:
    required = list(indicator.required_types)
    present = {r["evidence_type"] for r in stats if r["ok"]}
    accepted = {r["evidence_type"] for r in stats if r["accepted"]}
    checks = [
        Check("types", passed=all(t in present for t in required)),
        Check("dated", passed=not any(r["bad_date"] for r in stats)),
        Check("signed", passed=not any(r["unsigned"] for r in stats)),
    ]
    has_activity = EvidenceType.IMPLEMENTATION in present or EvidenceType.IMPLEMENTATION in required
    checks.append(Check("uang", passed=EvidenceType.UANG in present, applies=has_activity))
    share = Decimal(len([t for t in required if t in present])) / Decimal(len(required)) if required else Decimal(1)
    predicted = self_points * share
    for check in checks[1:]:
        if check.applies and not check.passed:
            predicted *= CHECK_PENALTY
    return predicted.quantize(TWO), checks, sorted(present), sorted(accepted)


def year_score(*, tenant, year: EvaluationYear, agency_id=None) -> YearScore:
    """The scores of `tenant` in `year` (restricted to one agency's assignments when `agency_id`)."""
    indicators = list(Indicator.objects.filter(year=year).select_related("cluster").order_by("order"))
    bands = list(Band.objects.filter(year=year).order_by("min_points"))
    assign_rows = list(
        Assignment.objects.filter(tenant=tenant, indicator__year=year).values_list(
            "indicator_id", "agency_id", "agency__short_name"
        )
    )
    if agency_id is not None:
        allowed = {i for i, a, _n in assign_rows if a == agency_id}
        indicators = [i for i in indicators if i.pk in allowed]
        assign_rows = [r for r in assign_rows if r[1] == agency_id]
    stats = _stats(tenant=tenant, year=year)
    if agency_id is not None:  # another OPD's items are invisible to this one: not counted either
        stats = {k: v for k, v in stats.items() if str(k[1]) == str(agency_id)}
    selfs = dict(
        SelfAssessment.objects.filter(tenant=tenant, indicator__year=year).values_list("indicator_id", "points")
    )
    per_indicator: dict = {}
    for key, row in stats.items():
        per_indicator.setdefault(key[0], []).append(row)
    agencies_by_ind: dict = {}
    agency_names: dict = {}
    for ind_id, ag_id, name in assign_rows:
        agencies_by_ind.setdefault(ind_id, []).append((str(ag_id), name))
        agency_names[str(ag_id)] = name
    clusters: dict[str, ClusterScore] = {}
    heat_acc: dict[tuple[str, str], list[int]] = {}
    for ind in indicators:
        rows = per_indicator.get(ind.pk, [])
        self_points = Decimal(selfs.get(ind.pk, 0))
        predicted, checks, present, accepted = _score_one(ind, rows, self_points)
        required = list(ind.required_types)
        score = IndicatorScore(
            indicator=ind,
            agencies=agencies_by_ind.get(ind.pk, []),
            required=required,
            present=present,
            accepted=accepted,
            missing=[t for t in required if t not in present],
            self_points=self_points,
            predicted=predicted,
            checks=checks,
            items=sum(r["n"] for r in rows),
            pending=sum(r["pending"] for r in rows),
        )
        cluster = clusters.setdefault(ind.cluster.code, ClusterScore(code=ind.cluster.code, title=ind.cluster.title_id))
        cluster.indicators.append(score)
        cluster.max_points += ind.points
        cluster.self_points += self_points
        cluster.predicted += predicted
        for ag_id, _name in score.agencies:
            own = {r["evidence_type"] for r in rows if str(r["agency_id"]) == ag_id and r["accepted"]}
            pct = round(100 * len([t for t in required if t in own]) / len(required)) if required else 100
            heat_acc.setdefault((ind.cluster.code, ag_id), []).append(pct)
    heatmap = {k: round(sum(v) / len(v)) for k, v in heat_acc.items()}
    agencies = sorted(agency_names.items(), key=lambda kv: kv[1])
    return YearScore(year=year, clusters=list(clusters.values()), bands=bands, heatmap=heatmap, agencies=agencies)


def year_over_year(*, tenant, year: EvaluationYear) -> list[dict]:
    """Per indicator code: self-assessed points this year and the year before (when that year is loaded)."""
    previous = EvaluationYear.objects.filter(year=year.year - 1).first()
    now = dict(
        SelfAssessment.objects.filter(tenant=tenant, indicator__year=year).values_list("indicator__code", "points")
    )
    before = (
        dict(
            SelfAssessment.objects.filter(tenant=tenant, indicator__year=previous).values_list(
                "indicator__code", "points"
            )
        )
        if previous
        else {}
    )
    rows = []
    for ind in Indicator.objects.filter(year=year).select_related("cluster").order_by("order"):
        rows.append(
            {
                "code": ind.code,
                "cluster": ind.cluster.code,
                "title": ind.title_id,
                "this_year": now.get(ind.code),
                "last_year": before.get(ind.code),
            }
        )
    return rows
