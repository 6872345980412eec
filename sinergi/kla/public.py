"""The KLA summary on the public ILA page (maps' `public_section` hook): how complete this year's evidence
is per cluster, and the band of each earlier year's self-assessment. Whole-regency figures only: no agency,
no document, no case figure. Cached per tenant for an hour, since the page is public and hot."""

from typing import Any

from django.core.cache import cache
from django.db.models import Q

from . import scoring
from .models import Assignment, EvaluationYear, SelfAssessment

CACHE_SECONDS = 3600
YEARS_SHOWN = 3


def _cache_key(tenant: Any) -> str:
    return f"kla:public-summary:v1:{tenant.pk}"


def public_summary(tenant: Any) -> dict[str, Any] | None:
    """The section's context, or None when the tenant has no KLA year with assignments."""
    key = _cache_key(tenant)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    years = list(
        EvaluationYear.objects.filter(
            Q(pk__in=Assignment.objects.filter(tenant=tenant).values("indicator__year_id"))
            | Q(pk__in=SelfAssessment.objects.filter(tenant=tenant).values("indicator__year_id"))
        ).order_by("-year")[:YEARS_SHOWN]
    )
    summary: dict[str, Any] = {}
    if years:
        scores = [scoring.year_score(tenant=tenant, year=year) for year in years]
        current = scores[0]
        summary = {
            "year": current.year.year,
            "completeness": current.completeness,
            "clusters": [{"code": c.code, "title": c.title, "completeness": c.completeness} for c in current.clusters],
            "history": [
                {
                    "year": s.year.year,
                    "points": int(s.self_total),
                    "band": s.self_band.name if s.self_band is not None else "",
                }
                for s in scores[1:]
            ],
        }
    cache.set(key, summary, CACHE_SECONDS)
    return summary or None
