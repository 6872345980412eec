"""Measure the checker against a labelled set: precision/recall per PPRA point, false alarms, speed.

A text counts as flagged for a point when the checker gives at least one block or warn finding with that
point (advice is not a flag). Labels are the points a text breaches; an empty list is a compliant text.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from .engine import ADVICE, check

POINTS = tuple(range(1, 13))


@dataclass(frozen=True)
class Item:
    index: int
    style: str
    points: frozenset[int]
    text: str

    @property
    def split(self) -> str:
        return "dev" if self.index % 2 == 0 else "heldout"


def load_labelled(paths: list[Path]) -> list[Item]:
    items: list[Item] = []
    for path in sorted(paths):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")):
            items.append(Item(len(items), row["s"], frozenset(int(p) for p in row["p"]), row["t"].strip()))
    return items


def flagged_points(text: str, **kwargs) -> set[int]:
    return {f.point for f in check(text, **kwargs).findings if f.severity != ADVICE}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate(items: list[Item], *, repeat: int = 3) -> dict:
    """Metrics over `items` (per point and micro-averaged), the false-alarm rate and ms per 1,000 words."""
    tp = dict.fromkeys(POINTS, 0)
    fp = dict.fromkeys(POINTS, 0)
    fn = dict.fromkeys(POINTS, 0)
    compliant = alarms = 0
    errors: list[dict] = []
    for item in items:
        got = flagged_points(item.text)
        for p in POINTS:
            if p in got and p in item.points:
                tp[p] += 1
            elif p in got:
                fp[p] += 1
            elif p in item.points:
                fn[p] += 1
        if not item.points:
            compliant += 1
            alarms += bool(got)
        if got != set(item.points):
            errors.append({"index": item.index, "expected": sorted(item.points), "got": sorted(got)})
    words = sum(len(i.text.split()) for i in items)
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        for item in items:
            check(item.text)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    per_point = {
        p: {
            "support": tp[p] + fn[p],
            "precision": _ratio(tp[p], tp[p] + fp[p]),
            "recall": _ratio(tp[p], tp[p] + fn[p]),
            "tp": tp[p],
            "fp": fp[p],
            "fn": fn[p],
        }
        for p in POINTS
    }
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "texts": len(items),
        "compliant_texts": compliant,
        "words": words,
        "per_point": per_point,
        "precision": _ratio(all_tp, all_tp + all_fp),
        "recall": _ratio(all_tp, all_tp + all_fn),
        "false_alarm_rate": _ratio(alarms, compliant),
        "ms_per_1000_words": round(min(timings) * 1000 / words * 1000, 2) if words else None,
        # CPU time of this process: what the check costs, whatever else the machine is doing.
        "cpu_ms_per_1000_words": round(min(cpu) * 1000 / words * 1000, 2) if words else None,
        "errors": errors,
    }
