"""Every table of the office map as CSV or XLSX: the same dicts the API returns, flattened (one owner)."""

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from sinergi.cases.exports import XLSX_TYPE, csv_lines, xlsx_write

FORMATS = ("json", "csv", "xlsx")
HIDDEN = "*"


def _count(value: Any) -> Any:
    return HIDDEN if value is None else value


def map_rows(data: dict) -> list[list[Any]]:
    header = [
        _("Region code"),
        _("Region"),
        _("Kecamatan code"),
        _("Cases"),
        _("Victims"),
        _("Child victims"),
        _("Children (population)"),
        _("Child victims per 1,000 children"),
    ]
    rows = [
        [
            r["code"],
            r["name"],
            r["kecamatan"],
            _count(r["cases"]),
            _count(r["victims"]),
            _count(r["child_victims"]),
            r["children"],
            r["child_victims_per_1000"],
        ]
        for r in data["regions"]
    ]
    return [header, *rows]


def region_rows(data: dict) -> list[list[Any]]:
    header = [_("Region code"), _("Region"), _("Table"), _("Key"), _("Label"), _("Count")]
    region = data["region"]
    out = [header]
    for table in [data["trend"], *data["breakdowns"]]:
        for r in table["rows"]:
            out.append([region["code"], region["name"], table["title"], r["key"], r["label"], _count(r["count"])])
    return out


PERFORMANCE_KEYS = (
    "referrals",
    "accepted",
    "declined",
    "completed",
    "overdue",
    "answered_late",
    "answer_hours",
    "completion_hours",
    "child_victims_with_needs",
    "all_rights_fulfilled",
    "fulfilled_share",
)


def performance_rows(data: dict) -> list[list[Any]]:
    header = [
        _("Agency"),
        _("Service"),
        _("Referrals"),
        _("Accepted"),
        _("Declined"),
        _("Completed"),
        _("Overdue"),
        _("Answered after the due date"),
        _("Hours to answer (mean)"),
        _("Hours to completion (mean)"),
        _("Child victims with needed rights"),
        _("All needed rights fulfilled"),
        _("Share fulfilled (%)"),
    ]
    out = [header]
    for agency in data["agencies"]:
        out.append([agency["agency"], _("All services"), *[agency[k] for k in PERFORMANCE_KEYS]])
        for s in agency["services"]:
            out.append([agency["agency"], s["service_label"], *[s[k] for k in PERFORMANCE_KEYS]])
    return out


def performance_trend_rows(data: dict) -> list[list[Any]]:
    header = [
        _("Month"),
        _("Referrals"),
        _("Declined"),
        _("Overdue"),
        _("Hours to answer (mean)"),
        _("Hours to first response (mean)"),
    ]
    rows = [
        [r["month"], r["referrals"], r["declined"], r["overdue"], r["answer_hours"], r["first_response_hours"]]
        for r in data["trend"]
    ]
    return [header, *rows]


def coverage_rows(data: dict) -> list[list[Any]]:
    header = [
        _("Region code"),
        _("Kelurahan/desa"),
        _("Kecamatan code"),
        _("Satgas PPA units"),
        _("With decree (SK)"),
        _("Covered"),
    ]
    rows = [
        [
            r["code"],
            r["name"],
            r["kecamatan"],
            r["satgas_units"],
            r["with_decree"],
            _("yes") if r["covered"] else _("no"),
        ]
        for r in data["villages"]
    ]
    return [header, *rows]


def table_response(rows: Iterable[list[Any]], *, fmt: str, filename: str) -> HttpResponse:
    """A CSV (formula-safe) or XLSX download, never cached by the browser."""
    if fmt == "xlsx":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "table.xlsx"
            xlsx_write(rows, path=path, sheet_title="Sinergi")
            body = path.read_bytes()
        response = HttpResponse(body, content_type=XLSX_TYPE)
    else:
        response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
