"""/healthz under concurrent load: probes must not disturb each other."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sinergi.core import services

THREADS = 8
ROUNDS = 150


def test_concurrent_storage_probes_never_report_a_false_failure(settings, tmp_path):
    settings.SINERGI_PRIVATE_STORAGE = tmp_path / "private"
    barrier = threading.Barrier(THREADS)

    def probe_many() -> list[dict]:
        barrier.wait()
        return [services.storage_check() for _ in range(ROUNDS)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [r for batch in pool.map(lambda _: probe_many(), range(THREADS)) for r in batch]

    failures = [r for r in results if not r["ok"]]
    assert len(results) == THREADS * ROUNDS
    assert failures == []
    assert list(settings.SINERGI_PRIVATE_STORAGE.iterdir()) == []  # every probe cleaned up after itself


def test_storage_probe_reports_an_unwritable_storage(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.SINERGI_PRIVATE_STORAGE = blocker / "private"
    assert services.storage_check()["ok"] is False


@pytest.mark.django_db
def test_healthz_reports_the_storage_check(client):
    services.worker_heartbeat_record()
    response = client.get("/healthz")
    assert response.json()["checks"]["storage"] == {"ok": True}
