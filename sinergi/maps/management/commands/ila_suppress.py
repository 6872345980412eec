"""Apply exactly the public disclosure rules to one table, for auditors (no database needed)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.maps.disclosure import DisclosureError, protect_table

USAGE = 'Input: {"rows": [labels], "cols": [labels], "cells": [[int, ...], ...], "threshold": int, "protection": int}'


def _parse(raw: str) -> dict:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CommandError(f"Not valid JSON ({exc.msg}, line {exc.lineno}). {USAGE}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"The input must be a JSON object. {USAGE}")
    missing = [key for key in ("rows", "cols", "cells", "threshold", "protection") if key not in data]
    if missing:
        raise CommandError(f"Missing key(s): {', '.join(missing)}. {USAGE}")
    for key in ("rows", "cols"):
        if not isinstance(data[key], list) or not all(isinstance(label, str) for label in data[key]):
            raise CommandError(f'"{key}" must be a list of labels (strings).')
        if len(set(data[key])) != len(data[key]):
            raise CommandError(f'"{key}" has a repeated label.')
    if not isinstance(data["cells"], list) or not all(isinstance(line, list) for line in data["cells"]):
        raise CommandError('"cells" must be a list of lists of integers.')
    for key in ("threshold", "protection"):
        if isinstance(data[key], bool) or not isinstance(data[key], int) or data[key] < 0:
            raise CommandError(f'"{key}" must be a non-negative integer.')
    return data


class Command(BaseCommand):
    help = (
        "Suppress small counts in a table exactly as the public ILA page does (primary, group and "
        "LP-audited secondary suppression). " + USAGE + "; output: the same shape with null for each "
        "suppressed cell, plus row_totals, col_totals, total and the reason per suppressed cell."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, metavar="TABLE.json", help="The table; '-' reads stdin.")

    def handle(self, *args, **options) -> None:
        path = options["input"]
        try:
            raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        data = _parse(raw)
        try:
            result = protect_table(
                rows=data["rows"],
                cols=data["cols"],
                cells=data["cells"],
                threshold=data["threshold"],
                protection=data["protection"],
            )
        except DisclosureError as exc:
            raise CommandError(str(exc)) from exc
        out = {
            "rows": result.rows,
            "cols": result.cols,
            "cells": result.cells,
            "threshold": data["threshold"],
            "protection": data["protection"],
            "row_totals": result.row_totals,
            "col_totals": result.col_totals,
            "total": result.total,
            "reasons": result.reason_list(),
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
