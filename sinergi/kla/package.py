"""The evidence package for the national system: a ZIP with one folder per cluster and indicator
(`K/01 Perda KLA/…`), consistently renamed files, an index XLSX and a summary PDF of the scores.

The ZIP is written to a file entry by entry: each document is read, decrypted, written in 1 MiB chunks
and dropped before the next one, so memory holds at most one document (the blobs are encrypted whole),
never the archive. Used by the background job (jobs.py) and `manage.py kla_export_package`.
"""

import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from sinergi.core.letters import render_letter_pdf
from sinergi.documents.services import EXTENSIONS, document_read

from . import scoring
from .models import EvaluationYear, EvidenceItem, EvidenceType

CHUNK = 1 << 20
COMPRESSED_MIMES = frozenset({"application/pdf", "image/jpeg", "image/png"})
INDEX_HEADER = ["Klaster", "Indikator", "Berkas", "Dokumen", "Jenis", "Nomor", "Tanggal", "OPD", "Status review"]
_UNSAFE = re.compile(r"[^\w .,()\-]+", re.UNICODE)


def safe_part(text: str, limit: int = 60) -> str:
    cleaned = _UNSAFE.sub(" ", text or "").strip().strip(".")
    return re.sub(r"\s+", " ", cleaned)[:limit].strip() or "dokumen"


def _items(*, tenant: Any, year: EvaluationYear):
    return (
        EvidenceItem.objects.filter(
            tenant=tenant, indicator__year=year, document__isnull=False, document__deleted_at__isnull=True
        )
        .select_related("indicator", "indicator__cluster", "agency", "document", "document__file")
        .order_by("indicator__order", "evidence_type", "created_at")
    )


def package_write(
    *, tenant: Any, year: EvaluationYear, out: Path, progress: Callable[[float, str], None] | None = None
) -> int:
    """Write the package to `out`; returns the number of evidence files in it."""
    from sinergi.cases.exports import xlsx_write

    items = _items(tenant=tenant, year=year)
    total = items.count()
    index_rows: list[list[Any]] = [INDEX_HEADER]
    seq: dict[Any, int] = {}
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as zf:
        for item in items.iterator(chunk_size=200):
            ind = item.indicator
            seq[ind.pk] = seq.get(ind.pk, 0) + 1
            doc = item.document
            ext = EXTENSIONS.get(doc.file.mime, ".bin")
            label = item.number or item.title
            name = (
                f"{ind.code}-{seq[ind.pk]:02d} {EvidenceType(item.evidence_type).name.title()} {safe_part(label)}{ext}"
            )
            arcname = f"{ind.cluster.code}/{safe_part(ind.folder, 80)}/{name}"
            data = document_read(actor=None, document=doc)  # type: ignore[arg-type]
            info = zipfile.ZipInfo(arcname, date_time=timezone.localtime(item.created_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED if doc.file.mime in COMPRESSED_MIMES else zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=len(data) > 0x7FFFFFFF) as entry:
                view = memoryview(data)
                for start in range(0, len(view), CHUNK):
                    entry.write(view[start : start + CHUNK])
            del data, view
            index_rows.append(
                [
                    ind.cluster.code,
                    ind.code,
                    arcname,
                    item.title,
                    str(EvidenceType(item.evidence_type).label),
                    item.number,
                    item.dated_on.isoformat() if item.dated_on else "",
                    item.agency.short_name,
                    item.get_status_display(),
                ]
            )
            written += 1
            if progress and total:
                progress(90 * written / total, f"{written}/{total}")
        with tempfile.TemporaryDirectory() as tmp:
            index_path = Path(tmp) / "index.xlsx"
            xlsx_write(iter(index_rows), path=index_path, sheet_title="Indeks")
            zf.write(index_path, "00 Indeks Dokumen.xlsx")
        zf.writestr("00 Ringkasan Penilaian.pdf", summary_pdf(tenant=tenant, year=year))
    if progress:
        progress(100, "")
    return written


def summary_pdf(*, tenant: Any, year: EvaluationYear) -> bytes:
    """The scores per cluster and indicator on the tenant's letterhead, mirroring the evaluation form."""
    score = scoring.year_score(tenant=tenant, year=year)
    return render_letter_pdf(template="kla/letters/summary.html", tenant=tenant, context={"score": score, "year": year})
