"""The data map at 100,000 cases (the case benchmark's data set): office aggregates cold (cache bumped
before each request) and cached, a region's breakdown, the service-performance page, and the public
ILA page in process and under gunicorn with 10 concurrent clients.

Run with `make bench` (or `pytest -q -p no:xdist -m benchmark benchmarks/bench_maps.py -s --reuse-db`).
Results: benchmarks/results/maps_<vendor>.json and .md.
"""

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bench_cases import TENANT_CODE, _client, bench_data, django_db_modify_db_settings  # noqa: F401
from django.conf import settings
from django.db import connection, connections

pytestmark = pytest.mark.benchmark

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
RESULTS = Path(__file__).resolve().parent / "results"
CONCURRENCY = 10
GUNICORN_REQUESTS = int(os.environ.get("BENCH_GUNICORN_REQUESTS", "1000"))


def _p(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "n": len(times),
    }


def _timed(call, *, before=None, repeat: int = REPEAT) -> dict:
    for _ in range(2):
        if before:
            before()
        assert call().status_code == 200
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return _p(times)


def _gunicorn(db_name: str, path: str) -> dict:
    """10 client threads against gunicorn (4 sync workers) serving the same database and cache."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{db_name}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    port = 8765
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "900",
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(100):
            try:
                # The first request of a cold process computes the figures (inline worker in test settings).
                urllib.request.urlopen(url, timeout=900).read()
                break
            except OSError:
                time.sleep(0.3)
        for _ in range(40):  # warm every worker
            urllib.request.urlopen(url, timeout=10).read()
        times: list[float] = []
        lock = threading.Lock()
        per_client = GUNICORN_REQUESTS // CONCURRENCY

        def client():
            mine = []
            for _ in range(per_client):
                started = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    assert response.status == 200
                mine.append((time.perf_counter() - started) * 1000)
            with lock:
                times.extend(mine)

        threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        return {**_p(times), "requests_per_s": round(len(times) / wall, 1), "workers": 4, "clients": CONCURRENCY}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.django_db
def test_maps_aggregates_performance_and_public_page(bench_data, django_db_blocker):  # noqa: F811
    from sinergi.accounts.models import User
    from sinergi.accounts.roles import Role
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.cases.models import Case
    from sinergi.maps import office, tasks
    from sinergi.tenants.models import Tenant

    results: dict = {}
    with django_db_blocker.unblock():
        tenant = Tenant.objects.get(code=TENANT_CODE)
        users = {}
        for role in (Role.OFFICE_HEAD, Role.ANALYST):
            name = f"bench-maps-{role}"
            users[role] = User.objects.filter(username=name).first() or UserFactory(
                username=name, tenant=tenant, role=role
            )
        year = Case.objects.filter(tenant=tenant).order_by("-reported_on").values_list("reported_on", flat=True)[0].year
        head, analyst = _client(users[Role.OFFICE_HEAD]), _client(users[Role.ANALYST])
        bump = lambda: office.map_cache_bump(tenant)  # noqa: E731
        api = "/api/v1/maps/office/"
        district = Case.objects.filter(tenant=tenant).exclude(district=None).values_list("district_id", flat=True)[0]
        cases = [
            ("office map API, kecamatan, year", head, f"{api}?year={year}"),
            ("office map API, kelurahan, year", head, f"{api}?year={year}&level=kelurahan"),
            (
                "office map API, kelurahan, sexual, girls 13-17",
                head,
                f"{api}?year={year}&level=kelurahan&category=sexual&sex=F&age_band=13-17",
            ),
            ("office map API, kelurahan, analyst (LP protection)", analyst, f"{api}?year={year}&level=kelurahan"),
            ("region breakdown API, kecamatan", head, f"{api}regions/{district}/?year={year}"),
            ("office map page (HTML)", head, f"/maps/?year={year}"),
            ("service performance page (HTML)", head, f"/maps/kinerja/?year={year}"),
            ("service performance API", head, f"/api/v1/maps/performance/?year={year}"),
        ]
        for label, client, url in cases:
            repeat = 10 if "analyst" in label else REPEAT
            results[label] = {
                "cold": _timed(lambda c=client, u=url: c.get(u), before=bump, repeat=repeat),
                "cached": _timed(lambda c=client, u=url: c.get(u)),
            }

        started = time.perf_counter()
        tasks.ila_warm.call_local()
        warm_s = round(time.perf_counter() - started, 1)
        from django.test import Client

        public = Client()
        page = f"/ila/{TENANT_CODE}/"
        assert b"figures-preparing" not in public.get(page).content
        results["public ILA page, in process"] = {"cached": _timed(lambda: public.get(page))}
        _write(connection.vendor, bench_data, results, warm_s)  # kept even if the gunicorn part fails
        db_name = connections["default"].settings_dict["NAME"]
        if connection.vendor == "sqlite":
            results["public ILA page, gunicorn 10 clients"] = {"cached": _gunicorn(db_name, page)}

    _write(connection.vendor, bench_data, results, warm_s)


def _write(vendor: str, seed: dict, results: dict, warm_s: float) -> None:
    RESULTS.mkdir(exist_ok=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    body = {
        "commit": commit,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}",
        "database": vendor,
        "rows": seed["rows"],
        "public_warm_up_s": warm_s,
        "results": results,
    }
    (RESULTS / f"maps_{vendor}.json").write_text(json.dumps(body, indent=2) + "\n")
    lines = [
        f"# Data map benchmark ({vendor})",
        "",
        f"- commit `{commit}`, {body['when']}; {body['machine']}",
        f"- rows: {seed['rows'].get('cases', seed['rows'])} cases",
        f"- public figures computed by the worker's warm-up (3 years, LP audit): {warm_s} s",
        "- cold = the tenant's map cache bumped before each request (DB GROUP BY every time); "
        "cached = the same request again. Django test client, in process, wall-clock on a shared machine.",
        "",
        "| request | cold p50 | cold p95 | cached p50 | cached p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, r in results.items():
        cold = r.get("cold") or {}
        lines.append(
            f"| {label} | {cold.get('p50_ms', '–')} | {cold.get('p95_ms', '–')} | {r['cached']['p50_ms']} | "
            f"{r['cached']['p95_ms']} |"
        )
    g = results.get("public ILA page, gunicorn 10 clients")
    if g:
        lines += ["", f"- gunicorn: {g['cached']['n']} requests, {g['requests_per_s']} req/s, 4 workers, 10 clients"]
    (RESULTS / f"maps_{vendor}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    assert settings.DATABASES
