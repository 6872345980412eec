"""SIMFONI-PPA reconciliation export: one row per victim, in the national form's Indonesian labels.

The export carries analysis fields only (region codes, dates, categories, sex, age, education,
disability, relations, services). It never reads an identity column: rows are built from `.values()`
of clear columns, so no name, NIK, address or phone is even decrypted. Every export is audited.
"""

import calendar
import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import csv_safe
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.tenants.models import Tenant

from . import taxonomy as t
from .models import Person, Referral
from .statistics import Period

ERR_PERIOD_TOO_SHORT = _("The SIMFONI-PPA export covers at least one month.")

EXPORT_ACTION = "cases.exported"
FORMATS = ("csv", "xlsx")
BATCH = 500
SEP = "; "

SIMFONI_HEADER = [
    "No. Registrasi Kasus",
    "Tanggal Lapor",
    "Tanggal Kejadian",
    "Kode Kecamatan",
    "Kecamatan",
    "Kode Desa/Kelurahan",
    "Desa/Kelurahan",
    "Tempat Kejadian",
    "Bentuk Kekerasan",
    "Kategori Kasus",
    "Klasifikasi Korban",
    "Jenis Kelamin Korban",
    "Usia Korban",
    "Kelompok Usia Korban",
    "Pendidikan Korban",
    "Disabilitas Korban",
    "Hubungan Pelaku dengan Korban",
    "Jenis Kelamin Pelaku",
    "Usia Pelaku",
    "Layanan yang Diterima",
]

# Labels of the SIMFONI-PPA input form for what taxonomy.py has no SIMFONI_* map for.
SIMFONI_CATEGORY = {
    "violence_child": "Kekerasan terhadap Anak",
    "violence_woman": "Kekerasan terhadap Perempuan",
    "domestic": "Kekerasan dalam Rumah Tangga",
    "sexual": "Kekerasan Seksual",
    "tppo": "Tindak Pidana Perdagangan Orang",
    "abh": "Anak Berhadapan dengan Hukum",
    "child_marriage": "Perkawinan Anak",
    "neglect": "Penelantaran",
    "exploitation": "Eksploitasi",
    "other": "Lainnya",
}
SIMFONI_SEX = {"F": "Perempuan", "M": "Laki-laki"}
SIMFONI_VICTIM_CLASS = {"child": "Anak", "adult": "Dewasa"}
SIMFONI_DISABILITY = {"physical": "Fisik", "intellectual": "Intelektual", "mental": "Mental", "sensory": "Sensorik"}
NOT_AVAILABLE = "N/A"
NO = "Tidak"
YES = "Ya"

# Services count as received once the agency accepted the referral (in progress) or completed it.
RECEIVED_STATUSES = (t.ReferralStatus.ACCEPTED, t.ReferralStatus.COMPLETED)

_VICTIM_COLUMNS = (
    "id",
    "case_id",
    "sex",
    "age",
    "age_band",
    "education",
    "has_disability",
    "disabilities",
    "case__number",
    "case__reported_on",
    "case__incident_on",
    "case__incident_place",
    "case__forms",
    "case__category",
    "case__district_id",
    "case__district__name",
    "case__village_id",
    "case__village__name",
)


@dataclass(frozen=True)
class SimfoniExport:
    fmt: str
    period: Period
    row_count: int
    rows: Iterator[list[Any]]  # header first; cells are str, int, date or None

    @property
    def filename(self) -> str:
        return f"simfoni-ppa-{self.period.slug}.{self.fmt}"


def _victims(*, tenant: Tenant, period: Period):
    return (
        Person.objects.filter(
            tenant=tenant,
            role=Person.Role.VICTIM,
            case__tenant=tenant,
            case__reported_on__gte=period.date_from,
            case__reported_on__lte=period.date_to,
        )
        .order_by("case__reported_on", "case__number", "created_at", "id")
        .values(*_VICTIM_COLUMNS)
    )


def _label(mapping: dict[str, str], value: str | None) -> str:
    return mapping.get(value or "", NOT_AVAILABLE)


def _disability(victim: dict) -> str:
    if not victim["has_disability"]:
        return NO
    kinds = [SIMFONI_DISABILITY.get(kind, kind) for kind in victim["disabilities"] or []]
    return SEP.join(kinds) if kinds else YES


def _rows_for_batch(batch: list[dict]) -> Iterator[list[Any]]:
    case_ids = {v["case_id"] for v in batch}
    perpetrators: dict[Any, list[dict]] = defaultdict(list)
    for row in (
        Person.objects.filter(case_id__in=case_ids, role=Person.Role.PERPETRATOR)
        .order_by("created_at", "id")
        .values("case_id", "sex", "age", "relation_to_victim")
    ):
        perpetrators[row["case_id"]].append(row)
    services: dict[Any, list[tuple[Any, str]]] = defaultdict(list)
    for row in (
        Referral.objects.filter(case_id__in=case_ids, status__in=RECEIVED_STATUSES)
        .order_by()
        .values("case_id", "victim_id", "service_type")
    ):
        services[row["case_id"]].append((row["victim_id"], row["service_type"]))

    for victim in batch:
        case_perpetrators = perpetrators.get(victim["case_id"], [])
        received = sorted(
            {
                t.SIMFONI_SERVICE.get(service, "")
                for victim_id, service in services.get(victim["case_id"], [])
                if victim_id in (None, victim["id"])  # a referral without a victim serves all of them
            }
            - {""}
        )
        forms = [
            t.SIMFONI_FORM.get(form, "") for form in t.ViolenceForm.values if form in (victim["case__forms"] or [])
        ]
        yield [
            victim["case__number"],
            victim["case__reported_on"],
            victim["case__incident_on"],
            victim["case__district_id"] or "",
            victim["case__district__name"] or "",
            victim["case__village_id"] or "",
            victim["case__village__name"] or "",
            _label(t.SIMFONI_PLACE, victim["case__incident_place"]),
            SEP.join(forms),
            # The category follows the victim (a child is never under "Kekerasan terhadap Perempuan").
            _label(SIMFONI_CATEGORY, t.victim_category(victim["case__category"], age=victim["age"], sex=victim["sex"])),
            _label(SIMFONI_VICTIM_CLASS, t.victim_classification(victim["age"])),
            _label(SIMFONI_SEX, victim["sex"]),
            victim["age"],
            victim["age_band"] or NOT_AVAILABLE,
            _label(t.SIMFONI_EDUCATION, victim["education"]),
            _disability(victim),
            # One entry per perpetrator, in the same order in the three perpetrator columns.
            SEP.join(_label(t.SIMFONI_RELATION, p["relation_to_victim"]) for p in case_perpetrators),
            SEP.join(_label(SIMFONI_SEX, p["sex"]) for p in case_perpetrators),
            SEP.join(str(p["age"]) if p["age"] is not None else NOT_AVAILABLE for p in case_perpetrators),
            SEP.join(received),
        ]


def simfoni_rows(*, tenant: Tenant, period: Period) -> Iterator[list[Any]]:
    """The data rows (no header), in batches: three queries per BATCH victims."""
    batch: list[dict] = []
    for victim in _victims(tenant=tenant, period=period).iterator(chunk_size=2000):
        batch.append(victim)
        if len(batch) >= BATCH:
            yield from _rows_for_batch(batch)
            batch = []
    if batch:
        yield from _rows_for_batch(batch)


def _one_month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def simfoni_export(*, actor: Any, tenant: Tenant, period: Period, fmt: str) -> SimfoniExport:
    """Check the permission, audit the export, and return its rows (header first) for a writer."""
    policy.require(actor, "cases.export_simfoni", tenant)
    if period.date_to < _one_month_after(period.date_from) - dt.timedelta(days=1):
        # A short period narrows rows down to recognisable children (one day: one row).
        raise ValidationError(ERR_PERIOD_TOO_SHORT, code="period_too_short")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    row_count = simfoni_count(tenant=tenant, period=period)
    audit(
        actor=actor,
        action=EXPORT_ACTION,
        tenant=tenant,
        extra={"format": fmt, "period": period.as_dict(), "rows": row_count, "export": "simfoni_ppa"},
    )

    def rows() -> Iterator[list[Any]]:
        yield list(SIMFONI_HEADER)
        yield from simfoni_rows(tenant=tenant, period=period)

    return SimfoniExport(fmt=fmt, period=period, row_count=row_count, rows=rows())


# ---- writers ---------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return csv_safe(value)


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV lines, each cell neutralised against formula injection (=, +, -, @ ...)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_cell_text(cell) for cell in row])


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_write(
    rows: Iterable[list[Any]],
    *,
    path: Path,
    total: int = 0,
    progress: Callable[[float, str], None] | None = None,
    sheet_title: str = "SIMFONI-PPA",
) -> int:
    """Write the rows (header first) to an XLSX file at `path` in constant memory; returns the data rows.

    XlsxWriter's constant-memory mode flushes each row to a temporary file as soon as the next one
    starts, so memory stays flat at any size. Every string is written as a string (never a formula,
    URL or number), and text that a spreadsheet would evaluate (= + - @ tab CR) gets a leading quote.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "tmpdir": str(path.parent),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    try:
        sheet = workbook.add_worksheet(sheet_title)
        done = -1  # the header is row 0
        for index, row in enumerate(rows):
            for col, cell in enumerate(row):
                if cell is None or cell == "":
                    continue  # an empty cell, as openpyxl wrote it
                if isinstance(cell, str):
                    sheet.write_string(index, col, csv_safe(cell))
                elif isinstance(cell, dt.date):
                    sheet.write_datetime(index, col, cell)
                elif isinstance(cell, bool | int | float):
                    sheet.write_number(index, col, cell)
                else:
                    sheet.write_string(index, col, csv_safe(cell))
            done = index
            if progress is not None and index % BATCH == 0 and index:
                progress(100 * index / max(total, 1), _progress_message(index, total))
    finally:
        workbook.close()
    return max(done, 0)


def _progress_message(done: int, total: int) -> str:
    return gettext("%(done)s of %(total)s rows") % {
        "done": f"{done:,}".replace(",", "."),
        "total": f"{total:,}".replace(",", "."),
    }


def simfoni_count(*, tenant: Tenant, period: Period) -> int:
    return _victims(tenant=tenant, period=period).count()
