"""Loading the national instrument of one evaluation year from the vendored YAML files."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ..models import Band, Cluster, EvaluationYear, Indicator, SubItem

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDICATORS_FILE = DATA_DIR / "kla_indicators.yaml"
SCORING_FILE = DATA_DIR / "kla_scoring.yaml"


def _split_points(total: int, n: int) -> list[int]:
    if n <= 0:
        return []
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


@transaction.atomic
def year_load(*, year: int, indicators_file: Path | None = None, scoring_file: Path | None = None) -> EvaluationYear:
    """Create or refresh the year's own copy of the tree (clusters, indicators, sub-items, bands).

    Re-loading updates titles, points and bands in place (by code), so tenants' assignments and evidence
    stay attached; an indicator that the file no longer has is left as it is for the operator.
    """
    tree: dict[str, Any] = yaml.safe_load((indicators_file or INDICATORS_FILE).read_text(encoding="utf-8"))
    scoring: dict[str, Any] = yaml.safe_load((scoring_file or SCORING_FILE).read_text(encoding="utf-8"))
    ey, _ = EvaluationYear.objects.update_or_create(
        year=year, defaults={"source_version": str(tree.get("version", ""))}
    )
    clusters = {}
    for order, c in enumerate(tree["clusters"]):
        clusters[c["code"]], _ = Cluster.objects.update_or_create(
            year=ey,
            code=c["code"],
            defaults={"title_id": c["title_id"], "title_en": c.get("title_en", ""), "order": order},
        )
    default_required = scoring.get("default_required", [])
    for order, ind in enumerate(tree["indicators"]):
        code = str(ind["code"])
        extra = scoring.get("indicators", {}).get(code, {})
        indicator, _ = Indicator.objects.update_or_create(
            year=ey,
            code=code,
            defaults={
                "cluster": clusters[ind["cluster"]],
                "title_id": ind["title_id"],
                "title_en": ind.get("title_en", ""),
                "short_title": extra.get("short", ind["title_id"][:40]),
                "points": int(extra.get("points", 0)),
                "is_points_verified": bool(extra.get("verified", False)),
                "required_types": list(extra.get("required", default_required)),
                "evidence_examples": list(ind.get("evidence_examples", [])),
                "source_note": ind.get("source_note", "")[:300],
                "is_special_protection": bool(extra.get("special_protection", False)),
                "order": order,
            },
        )
        examples = indicator.evidence_examples
        indicator.sub_items.all().delete()
        SubItem.objects.bulk_create(
            SubItem(indicator=indicator, code=f"{code}.{i + 1}", title=title[:300], points=pts, is_verified=False)
            for i, (title, pts) in enumerate(zip(examples, _split_points(indicator.points, len(examples)), strict=True))
        )
    ey.bands.all().delete()
    Band.objects.bulk_create(
        Band(year=ey, name=b["name"], min_points=b["min"], max_points=b["max"], is_verified=bool(b.get("verified")))
        for b in scoring.get("bands", [])
    )
    return ey
