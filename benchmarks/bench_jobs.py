"""The SIMFONI-PPA XLSX export as a background job at 100,000 cases: wall time and PEAK RSS.

Run with `make bench` (or `.venv/bin/pytest -p no:xdist --ds=config.settings.bench -m benchmark benchmarks -k jobs -s --reuse-db`).
Size: BENCH_CASES (default 100000), seeded by bench_cases.py's seed (same data, same database file).

The job runs in a fresh child process (`python benchmarks/bench_jobs.py --child job ...`) so that its
peak RSS (VmHWM) is the job's own, not the seed's. For comparison the child also runs what the request
did before the job existed: openpyxl write-only into a BytesIO (`--child old_sync`), over the same rows.
Results: benchmarks/results/jobs_<vendor>.json and .md.
"""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench_cases import bench_data, django_db_modify_db_settings  # noqa: F401  (the same seeded database)

pytestmark = pytest.mark.benchmark

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def _vm_kib(field: str) -> int:
    """VmHWM (peak) or VmRSS of this process, in KiB.

    Not ru_maxrss: Linux carries the high-water mark over fork and exec, so a child of the pytest
    process would report the parent's RSS at fork time. VmHWM belongs to the address space that
    exec created.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _child(mode: str, username: str, date_from: str, date_to: str) -> None:
    """In the child process: run one mode once and print one JSON line with time and peak RSS.

    The child creates (and afterwards removes) the job itself: the parent's test transaction is
    never committed, so a job row written there would be invisible here.
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.urls import reverse
    from openpyxl import Workbook, load_workbook

    from sinergi.accounts.models import User
    from sinergi.audit.services import csv_safe
    from sinergi.cases import exports
    from sinergi.cases.jobs import SIMFONI_XLSX
    from sinergi.cases.statistics import Period
    from sinergi.jobs import services, storage
    from sinergi.jobs.models import Job
    from sinergi.notifications.models import Notification

    head = User.objects.select_related("tenant").get(username=username)
    period = Period(dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to))
    params = {"export": "simfoni_ppa", "format": "xlsx", "year": None, "month": None}
    params |= {"date_from": date_from, "date_to": date_to}
    job = Job.objects.create(tenant=head.tenant, requested_by=head, kind=SIMFONI_XLSX, parameters=params)
    reverse("jobs:list")  # a running worker has its URLconf (and WeasyPrint, through it) loaded already
    baseline_kib = _vm_kib("VmHWM")
    started = time.perf_counter()
    if mode == "job":
        services.job_run(job_id=job.pk)
    else:  # what the request did before: the whole workbook in memory
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="SIMFONI-PPA")
        sheet.append(list(exports.SIMFONI_HEADER))
        for row in exports.simfoni_rows(tenant=head.tenant, period=period):
            sheet.append([csv_safe(cell) if isinstance(cell, str) else cell for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    seconds = time.perf_counter() - started
    peak_kib = _vm_kib("VmHWM")
    job.refresh_from_db()
    try:
        if mode == "job":
            assert job.status == Job.Status.DONE, job.error
            assert job.progress == 100
            data = b"".join(storage.read_decrypted(job.result_blob))
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        written = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
    finally:
        if job.result_blob:
            storage.remove(job.result_blob)
        Notification.objects.filter(recipient=head, url__contains=str(job.pk)).delete()
        job.delete()
    print(
        json.dumps(
            {
                "mode": mode,
                "seconds": round(seconds, 2),
                "peak_rss_mib": round(peak_kib / 1024, 1),
                "baseline_rss_mib": round(baseline_kib / 1024, 1),
                "file_bytes": len(data),
                "rows_written": written,
            }
        )
    )


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _run_child(*args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Transactional: the children write to the database, and SQLite's IMMEDIATE transactions would keep them
# waiting behind an open test transaction. pytest-django flushes the tables afterwards, so a later
# `--reuse-db` run seeds again.
@pytest.mark.django_db(transaction=True)
def test_simfoni_xlsx_job_time_and_peak_rss(bench_data):  # noqa: F811  (the imported fixture)
    from bench_cases import TENANT_CODE, _machine
    from django.db import connection
    from django.utils import timezone

    from sinergi.accounts.models import User
    from sinergi.cases import exports
    from sinergi.cases.statistics import MAX_RANGE_DAYS, Period

    head = User.objects.get(username="b_kadis")
    assert head.tenant.code == TENANT_CODE
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=MAX_RANGE_DAYS - 1), today)  # every seeded case
    rows = exports.simfoni_count(tenant=head.tenant, period=period)
    machine = _machine(bench_data["rows"])
    vendor = connection.vendor
    args = (head.username, period.date_from.isoformat(), period.date_to.isoformat())
    measured = {mode: _run_child(mode, *args) for mode in ("job", "old_sync")}
    for result in measured.values():
        assert result["rows_written"] == rows

    payload = {"machine": machine, "seed": bench_data, "victim_rows": rows, "results": measured}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"jobs_{vendor}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    lines = [
        f"# SIMFONI-PPA XLSX export as a job ({vendor})",
        "",
        f"- commit `{machine['commit']}`, {machine['date']}",
        f"- machine: {machine['nproc']} CPU, {machine['platform']}, Python {machine['python']}",
        f"- data: {machine['rows']['cases']:,} cases, {rows:,} victim rows in the export "
        f"({period.date_from} to {period.date_to})",
        "- each mode runs once in a fresh child process; peak RSS is its VmHWM (the whole process, "
        "Django included), baseline is VmHWM just before the export starts",
        "",
        "| mode | seconds | peak RSS MiB | baseline RSS MiB | growth MiB | file bytes |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = {"job": "job: XlsxWriter constant memory, encrypted to storage", "old_sync": "before: openpyxl into memory"}
    for mode, r in measured.items():
        growth = round(r["peak_rss_mib"] - r["baseline_rss_mib"], 1)
        lines.append(
            f"| {names[mode]} | {r['seconds']} | {r['peak_rss_mib']} | {r['baseline_rss_mib']} | {growth} "
            f"| {r['file_bytes']:,} |"
        )
    (RESULTS / f"jobs_{vendor}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "--child":
    _child(*sys.argv[2:])
