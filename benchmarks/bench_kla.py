"""KLA workspace under load: a year with all 24 indicators, 10 OPDs and BENCH_KLA_ITEMS (default 20,000)
evidence items, then the dashboard's server time (wall and CPU, p50/p95) and SQL queries, cached and cold
(the scores' cache dropped before each request), the same queries at 200 and at 20,000 items; and the
evidence package of BENCH_KLA_PACKAGE_MB (default 2048) of files at the upload limit
(SINERGI_UPLOAD_MAX_BYTES), written by `manage.py kla_export_package` in a fresh process whose peak RSS
is read from its own rusage (os.wait4).

The bench owns its data: its own tenant (BENCH_TENANT, so the 100,000 seeded cases of 64.02 do not enter
its figures) and its own blob folder, removed afterwards. It is transactional (the export process must see
the rows), and benchmarks/conftest.py orders it after the benches that read bench_cases' seeded data,
since pytest-django flushes the tables after it.

Run with `make bench` (or `-k kla`). Results: benchmarks/results/kla_<vendor>.json and .md.
"""

import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from bench_cases import _client, django_db_modify_db_settings  # noqa: F401  (the same database file)
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.benchmark

N_ITEMS = int(os.environ.get("BENCH_KLA_ITEMS", "20000"))
PACKAGE_MB = int(os.environ.get("BENCH_KLA_PACKAGE_MB", "2048"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
TARGET_P95_MS = 150.0
TARGET_RSS_MB = 300.0
RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026
BENCH_TENANT = "64.91"


def _seed_items(tenant, agencies, indicators, n: int, rng: random.Random, start: int = 0) -> None:
    from sinergi.kla.models import EvidenceItem, EvidenceType, ReviewStatus

    types = list(EvidenceType.values)
    statuses = [ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED, ReviewStatus.REVISION]
    rows = []
    for i in range(start, start + n):
        rows.append(
            EvidenceItem(
                tenant=tenant,
                indicator=indicators[i % len(indicators)],
                agency=agencies[i % len(agencies)],
                evidence_type=rng.choice(types),
                title=f"Bukti {i}",
                number=f"{i}/2025" if rng.random() < 0.7 else "",
                is_signed=rng.random() < 0.8,
                dated_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 500)),
                status=rng.choice(statuses),
            )
        )
    EvidenceItem.objects.bulk_create(rows, batch_size=2000)


def _p(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(values[max(0, round(0.95 * len(values)) - 1)], 1),
        "max": round(values[-1], 1),
        "n": len(values),
    }


def _dashboard(client, *, repeat: int, cold_key: str | None) -> dict:
    """Wall and CPU ms per request (p50/p95) and the queries of one more request; `cold_key` is deleted
    from the cache before every request (the scores computed afresh)."""
    url = reverse("kla:home")
    for _ in range(2):
        if cold_key:
            cache.delete(cold_key)
        assert client.get(url).status_code == 200
    wall, cpu = [], []
    for _ in range(repeat):
        if cold_key:
            cache.delete(cold_key)
        started, started_cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    counts = []
    for _ in range(3):  # the fewest of three: a periodic write (e.g. the session's) may join one request
        if cold_key:
            cache.delete(cold_key)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    return {"wall_ms": _p(wall), "cpu_ms": _p(cpu), "queries": min(counts), "queries_max": max(counts)}


# Transactional: the export runs in another process, which sees committed rows only. pytest-django
# flushes every table afterwards, so benchmarks/conftest.py runs this after the benches that read the
# seeded cases (bench_cases, bench_maps, bench_jobs).
@pytest.mark.django_db(transaction=True)
def test_kla_dashboard_and_package(settings, tmp_path):
    from sinergi.accounts.roles import Role
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.kla import scoring
    from sinergi.kla.models import Assignment, EvidenceItem, Indicator
    from sinergi.kla.services.instrument import year_load
    from sinergi.tenants.models import Agency
    from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

    rng = random.Random(0)
    tenant = TenantFactory(code=BENCH_TENANT, name="Kabupaten Bench KLA")
    storage = Path(tempfile.mkdtemp(prefix="bench-kla-", dir=settings.DATA_DIR))
    settings.SINERGI_PRIVATE_STORAGE = storage / "test-private"  # what the child reads from SINERGI_DATA_DIR
    try:
        year = year_load(year=YEAR)
        secretariat = UserFactory(username="bench-kla-sek", tenant=tenant, role=Role.TASKFORCE_SECRETARIAT)
        agencies = [
            AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name=f"OPD {i}", short_name=f"OPD{i}")
            for i in range(10)
        ]
        indicators = list(Indicator.objects.filter(year=year).order_by("order"))
        for i, ind in enumerate(indicators):
            Assignment.objects.create(tenant=tenant, indicator=ind, agency=agencies[i % 10])
            Assignment.objects.create(tenant=tenant, indicator=ind, agency=agencies[(i + 3) % 10])
        client = _client(secretariat)
        key = scoring.stats_cache_key(tenant=tenant, year=year)

        _seed_items(tenant, agencies, indicators, 200, rng)
        small = {
            "cached": _dashboard(client, repeat=5, cold_key=None),
            "cold": _dashboard(client, repeat=5, cold_key=key),
        }
        started = time.perf_counter()
        _seed_items(tenant, agencies, indicators, N_ITEMS - 200, rng, start=200)
        seed_s = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE kla_evidenceitem")
        assert EvidenceItem.objects.filter(tenant=tenant).count() == N_ITEMS
        large = {
            "cached": _dashboard(client, repeat=REPEAT, cold_key=None),
            "cold": _dashboard(client, repeat=REPEAT, cold_key=key),
        }

        EvidenceItem.objects.filter(tenant=tenant).delete()
        officer = UserFactory(tenant=tenant, role=Role.OPD_EVIDENCE_OFFICER, agency=agencies[0])
        file_bytes = int(os.environ.get("BENCH_KLA_FILE_BYTES", settings.SINERGI_UPLOAD_MAX_BYTES))
        n_files = max(1, PACKAGE_MB * 2**20 // file_bytes)
        started = time.perf_counter()
        _store_files(officer, indicators, n_files, file_bytes, rng)
        store_s = round(time.perf_counter() - started, 1)
        package = _package_in_child(tenant.code, storage, tmp_path / "paket.zip", n_files)
    finally:
        shutil.rmtree(storage, ignore_errors=True)

    payload = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.platform()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "vendor": connection.vendor,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "evidence_items": N_ITEMS,
        "seed_seconds": seed_s,
        "dashboard_at_200": small,
        "dashboard_at_n": large,
        "package_files": n_files,
        "package_file_bytes": file_bytes,
        "package_store_seconds": store_s,
        **package,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
        ).stdout.strip(),
    }
    _write(payload)
    assert small["cached"]["queries"] == large["cached"]["queries"]
    assert small["cold"]["queries"] == large["cold"]["queries"]
    # CPU time is the server's cost of a request; wall time on this shared 2-core machine also holds the
    # other processes' turns (both are written to the results).
    assert large["cached"]["cpu_ms"]["p95"] <= TARGET_P95_MS
    assert large["cold"]["cpu_ms"]["p95"] <= TARGET_P95_MS
    assert package["package_peak_rss_mb"] <= TARGET_RSS_MB


def _write(payload: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    name = f"kla_{payload['vendor']}"
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# KLA workspace benchmark ({payload['vendor']})",
        "",
        f"- commit `{payload['commit']}`, {payload['when']}; {payload['machine']}; "
        f"load average {payload['load_average']}",
        f"- {payload['evidence_items']} evidence items, 24 indicators, 10 OPDs (seeded in {payload['seed_seconds']} s)",
        "- cached = the scores' aggregate reused (validated by one count/max query); cold = dropped before each "
        "request. Django test client, in process; wall and CPU (time.process_time) per request.",
        "",
        "| dashboard | items | wall p50 | wall p95 | CPU p50 | CPU p95 | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, items in (("dashboard_at_200", 200), ("dashboard_at_n", payload["evidence_items"])):
        for mode, r in payload[label].items():
            lines.append(
                f"| {mode} | {items} | {r['wall_ms']['p50']} | {r['wall_ms']['p95']} | {r['cpu_ms']['p50']} | "
                f"{r['cpu_ms']['p95']} | {r['queries']} |"
            )
    lines += [
        "",
        f"- package: {payload['package_files']} files of {payload['package_file_bytes']} bytes (the upload limit), "
        f"ZIP {payload['package_zip_mb']} MB in {payload['package_seconds']} s; peak RSS of the "
        f"`manage.py kla_export_package` process: **{payload['package_peak_rss_mb']} MB** "
        f"(the same command with no evidence file: {payload['package_baseline_rss_mb']} MB)",
    ]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _store_files(officer, indicators, n: int, size: int, rng: random.Random) -> None:
    """`n` evidence items of `size` random bytes each, stored encrypted as uploads are. One ciphertext is
    written under every blob name (Fernet's cost is paid once here; the export decrypts each file)."""
    from django.contrib.contenttypes.models import ContentType

    from sinergi.core import crypto
    from sinergi.documents.models import Document, StoredFile
    from sinergi.documents.services.blobs import _new_blob_name, _write_blob
    from sinergi.kla.models import EvidenceItem

    data = rng.randbytes(size)
    token = crypto.encrypt_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    del data
    item_ct = ContentType.objects.get_for_model(EvidenceItem)
    for i in range(n):
        item = EvidenceItem.objects.create(
            tenant=officer.tenant,
            indicator=indicators[i % len(indicators)],
            agency=officer.agency,
            evidence_type="data",
            title=f"Data besar {i}",
            number=f"{i}/2026",
            is_signed=True,
            dated_on=dt.date(2026, 3, 1),
        )
        blob = _new_blob_name()
        _write_blob(blob, token)
        stored = StoredFile.objects.create(
            tenant=officer.tenant, mime="application/pdf", size=size, sha256=digest, blob_name=blob
        )
        item.document = Document.objects.create(
            tenant=officer.tenant,
            file=stored,
            owner_type=item_ct,
            owner_id=str(item.pk),
            kind="kla_evidence",
            title=item.title,
            original_name=f"data-{i}.pdf",
        )
        item.save(update_fields=["document"])


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


# Linux counts the RSS of the process that forked a child into the child's ru_maxrss (exec keeps the
# old memory map's high-water mark), so measured straight from pytest (~350 MB) every export looks as
# big as pytest. A small Python in between starts the command and reads its own child's rusage.
_WAIT4 = """
import json, os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"rc": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss,
                  "seconds": time.perf_counter() - started}))
"""


def _run_export(code: str, data_dir: Path, out: Path) -> tuple[float, float]:
    """`manage.py kla_export_package` in a fresh process: (its own peak RSS in MB, seconds)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "SINERGI_DATA_DIR": str(data_dir),
    }
    args = ["kla_export_package", "--tenant", code, "--year", str(YEAR), "--out", str(out)]
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", _WAIT4, sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0, done.stderr[-3000:]
    return result["maxrss_kb"] / 1024, result["seconds"]


def _package_in_child(code: str, data_dir: Path, out: Path, n_files: int) -> dict:
    from sinergi.kla.models import EvidenceItem

    rss_mb, seconds = _run_export(code, data_dir, out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "00 Indeks Dokumen.xlsx" in names
        assert "00 Ringkasan Penilaian.pdf" in names
        assert len(names) == n_files + 2
    size = out.stat().st_size
    out.unlink()
    # The same command with no file to pack: what Django, the index and the summary PDF take alone.
    EvidenceItem.objects.filter(tenant__code=code).update(document=None)
    baseline_mb, _s = _run_export(code, data_dir, out)
    out.unlink()
    return {
        "package_zip_mb": round(size / 2**20, 1),
        "package_seconds": round(seconds, 1),
        "package_peak_rss_mb": round(rss_mb, 1),
        "package_baseline_rss_mb": round(baseline_mb, 1),
    }
