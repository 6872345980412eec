"""Platform services: worker heartbeat and health checks."""

import contextlib
import datetime as dt
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_KEY = "sinergi:worker:heartbeat"


def worker_heartbeat_record() -> None:
    """Called by the worker every minute; the web process reads it for /healthz."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=24 * 3600)


def health_report() -> tuple[bool, dict]:
    """Check database, worker heartbeat, queue storage and private file storage."""
    from huey.contrib.djhuey import HUEY

    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}

    try:
        last = cache.get(HEARTBEAT_KEY)
        age = None
        if last:
            age = (timezone.now() - dt.datetime.fromisoformat(last)).total_seconds()
        ok = age is not None and age <= settings.WORKER_HEARTBEAT_MAX_AGE
        checks["worker"] = {"ok": ok, "last_seen": last, "age_seconds": None if age is None else int(age)}
    except Exception as exc:
        checks["worker"] = {"ok": False, "error": exc.__class__.__name__}

    try:
        pending = HUEY.pending_count()
        checks["queue"] = {"ok": True, "backend": HUEY.__class__.__name__, "pending": pending}
    except Exception as exc:
        checks["queue"] = {"ok": False, "backend": HUEY.__class__.__name__, "error": exc.__class__.__name__}

    checks["storage"] = storage_check()
    return all(c["ok"] for c in checks.values()), checks


def storage_check() -> dict:
    """Write, read back and remove a probe file in the private storage.

    Each call uses its own file: with one shared name, concurrent probes (several web workers, a
    load balancer polling every second) deleted each other's file and reported false failures.
    """
    storage = settings.SINERGI_PRIVATE_STORAGE
    probe = storage / f".healthz-{uuid.uuid4().hex}"
    try:
        storage.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        if probe.read_bytes() != b"ok":
            return {"ok": False, "error": "ReadBackMismatch"}
        return {"ok": True}
    except OSError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)


def database_maintenance() -> None:
    """Give SQLite's query planner fresh statistics (PostgreSQL's autovacuum does this itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
