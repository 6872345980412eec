"""Server-side SVG charts (heatmap, band gauge): geometry computed here, drawn by templates as plain SVG
elements with presentation attributes, so they work under the strict CSP, in print and in PDF."""

import math
from decimal import Decimal

from .scoring import YearScore

CELL_W, CELL_H, LABEL_W, HEAD_H = 64, 28, 150, 34


def heat_colour(pct: int | None) -> str:
    if pct is None:
        return "#eeeeee"
    if pct >= 80:
        return "#1a7f37"
    if pct >= 50:
        return "#9fbf3b"
    if pct >= 25:
        return "#e8a317"
    return "#c62828"


def heatmap(score: YearScore) -> dict:
    """Cells of a cluster (rows) × OPD (columns) grid of completeness percentages."""
    clusters = [c.code for c in score.clusters]
    agencies = score.agencies
    cells = []
    for r, code in enumerate(clusters):
        for c, (ag_id, _name) in enumerate(agencies):
            pct = score.heatmap.get((code, ag_id))
            cells.append(
                {
                    "x": LABEL_W + c * CELL_W,
                    "y": HEAD_H + r * CELL_H,
                    "w": CELL_W - 2,
                    "h": CELL_H - 2,
                    "fill": heat_colour(pct),
                    "text": "" if pct is None else f"{pct}%",
                    "tx": LABEL_W + c * CELL_W + (CELL_W - 2) / 2,
                    "ty": HEAD_H + r * CELL_H + CELL_H / 2 + 4,
                }
            )
    return {
        "width": LABEL_W + max(1, len(agencies)) * CELL_W,
        "height": HEAD_H + max(1, len(clusters)) * CELL_H,
        "rows": [{"label": code, "y": HEAD_H + r * CELL_H + CELL_H / 2 + 4} for r, code in enumerate(clusters)],
        "cols": [
            {"label": name[:10], "x": LABEL_W + c * CELL_W + CELL_W / 2} for c, (_id, name) in enumerate(agencies)
        ],
        "cells": cells,
    }


def _point(cx: float, cy: float, r: float, frac: float) -> tuple[float, float]:
    angle = math.pi * (1 - frac)
    return round(cx + r * math.cos(angle), 1), round(cy - r * math.sin(angle), 1)


def gauge(score: YearScore) -> dict:
    """A half-circle from 0 to the maximum with one arc per band and needles for both scores."""
    cx, cy, r = 150, 140, 110
    top = max(score.max_total, 1)
    arcs = []
    palette = ["#c9d7e8", "#9fbfe0", "#6b9fd4", "#3a78c2", "#1d4f91"]
    for i, band in enumerate(score.bands):
        x1, y1 = _point(cx, cy, r, band.min_points / top)
        x2, y2 = _point(cx, cy, r, min(band.max_points, top) / top)
        arcs.append(
            {"d": f"M {x1} {y1} A {r} {r} 0 0 1 {x2} {y2}", "stroke": palette[i % len(palette)], "name": band.name}
        )

    def needle(points: Decimal) -> dict:
        x, y = _point(cx, cy, r - 18, float(min(points, top)) / top)
        return {"x1": cx, "y1": cy, "x2": x, "y2": y}

    base_x1, base_y1 = _point(cx, cy, r, 0)
    base_x2, base_y2 = _point(cx, cy, r, 1)
    return {
        "width": 300,
        "height": 170,
        "track": f"M {base_x1} {base_y1} A {r} {r} 0 0 1 {base_x2} {base_y2}",
        "arcs": arcs,
        "self": needle(score.self_total),
        "predicted": needle(score.predicted_total),
    }
