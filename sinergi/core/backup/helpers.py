"""Helpers of backup and restore: tables, row counts, migrations, the database vendor, the huey queue."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

from .common import _CHUNK, BackupError


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tables() -> dict[str, str]:
    """Label -> table of every concrete model whose table this installation owns."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        found[meta.label] = meta.db_table
    return dict(sorted(found.items()))


def _count_rows(cursor, tables: dict[str, str], quote) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - table names come from models
        counts[label] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections["default"]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    raise BackupError(f"Unsupported database engine {engine}.")


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    return env, args


def _pg_connect():
    import psycopg

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    return psycopg.connect(**params, autocommit=False)


def _run(cmd: list[str], *, env: dict[str, str] | None = None, stdout=None) -> None:
    # Fixed programs (pg_dump, pg_restore) with arguments from settings, never through a shell.
    proc = subprocess.run(cmd, env=env, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, check=False)  # noqa: S603
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{cmd[0]} failed (exit {proc.returncode}): {' / '.join(err[-5:])}")


def _huey_kind() -> str:
    huey_class = str(settings.HUEY.get("huey_class", ""))
    if "Redis" in huey_class:
        return "redis"
    if "Sqlite" in huey_class:
        return "sqlite"
    return "none"


def _huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


def _redis_keys(storage) -> list[str]:
    return [storage.queue_key, storage.schedule_key, storage.result_key, storage.counter_key]
