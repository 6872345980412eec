"""Backup: database, storage and queue into a signed backup set."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import sqlite3
import tarfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from .common import FORMAT, MANIFEST, BackupError
from .helpers import (
    _applied_migrations,
    _count_rows,
    _huey,
    _huey_kind,
    _pg_connect,
    _pg_env_and_args,
    _redis_keys,
    _run,
    _tables,
    _vendor,
    sha256_file,
)
from .keys import Keys, _private_dir, _write_private, check_keys_apart, sign, write_keys


def _backup_database(dest: Path, tables: dict[str, str]) -> tuple[str, dict[str, int]]:
    vendor = _vendor()
    if vendor == "postgresql":
        # Export a snapshot, count every table inside it and let pg_dump read the very same snapshot:
        # the counts in the manifest are those of the dump, however many writes run meanwhile.
        out = dest / "database.pgdump"
        conn = _pg_connect()
        try:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            with conn.cursor() as cur:
                counts = _count_rows(cur, tables, lambda t: '"' + t.replace('"', '""') + '"')
            env, args = _pg_env_and_args()
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={out}",
                    *args,
                ],
                env=env,
            )
        finally:
            conn.rollback()
            conn.close()
        os.chmod(out, 0o600)
        return out.name, counts
    # SQLite: the online backup API copies a consistent snapshot while the app keeps writing (WAL).
    out = dest / "database.sqlite3"
    src = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=60)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        dst = sqlite3.connect(str(out))
        try:
            src.backup(dst)  # pages=-1: one step, so one snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
            counts = _count_rows(dst.cursor(), tables, lambda t: '"' + t.replace('"', '""') + '"')
        finally:
            dst.close()
    finally:
        src.close()
    return out.name, counts


def _backup_storage(dest: Path) -> tuple[str, int]:
    root = Path(settings.SINERGI_PRIVATE_STORAGE)
    out = dest / "files.tar"
    count = 0
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh, tarfile.open(fileobj=fh, mode="w", format=tarfile.PAX_FORMAT) as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if not path.is_file() or path.name.startswith(".tmp-"):
                    continue  # an upload still being written: its row is not in the snapshot either
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue  # purged while we walked
                info = tarfile.TarInfo(path.relative_to(root).as_posix())
                info.size, info.mode, info.mtime = len(data), 0o600, int(path.stat().st_mtime)
                tar.addfile(info, io.BytesIO(data))
                count += 1
    return out.name, count


def _backup_queue(dest: Path) -> tuple[str, str | None, dict[str, int]]:
    kind = _huey_kind()
    counts = {"pending": 0, "scheduled": 0}
    if kind == "sqlite":
        src_path = Path(settings.HUEY["filename"])
        out = dest / "queue.sqlite3"
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        if src_path.exists():
            src = sqlite3.connect(str(src_path), timeout=60)
            dst = sqlite3.connect(str(out))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                tables = {r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                for table, label in (("task", "pending"), ("schedule", "scheduled")):
                    if table in tables:
                        counts[label] = dst.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            finally:
                dst.close()
                src.close()
        return kind, out.name, counts
    if kind == "redis":
        storage = _huey().storage
        conn = storage.conn
        counts = {"pending": storage.queue_size(), "scheduled": storage.schedule_size()}
        dumped = {}
        for key in _redis_keys(storage):
            value = conn.dump(key)
            if value is not None:
                ttl = conn.pttl(key)
                dumped[key] = {"dump": base64.b64encode(value).decode(), "pttl": ttl if ttl > 0 else 0}
        out = dest / "queue.redis.json"
        _write_private(out, json.dumps({"name": storage.name, "keys": dumped}, indent=1).encode())
        return kind, out.name, counts
    return kind, None, counts


def backup(dest: Path, *, keys_dest: Path | None = None) -> dict[str, Any]:
    """Write a complete, signed backup set into `dest` (a new or empty directory); keys apart if asked."""
    keys = Keys.from_settings()
    if keys_dest is not None:
        check_keys_apart(dest, keys_dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"Backup destination {dest} is not an empty directory; choose a new one.")
    _private_dir(dest)
    tables = _tables()
    # Database first, files second: an upload writes its blob before its row commits, so every document
    # in the database snapshot finds its blob in the tar (later blobs are harmless orphans).
    db_file, counts = _backup_database(dest, tables)
    files_file, file_count = _backup_storage(dest)
    queue_kind, queue_file, queue_counts = _backup_queue(dest)
    listed = [db_file, files_file] + ([queue_file] if queue_file else [])
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "backup_id": str(uuid.uuid4()),
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": {"vendor": _vendor(), "file": db_file},
        "storage": {"file": files_file, "count": file_count},
        "queue": {"kind": queue_kind, "file": queue_file, **queue_counts},
        "files": {name: {"sha256": sha256_file(dest / name), "size": (dest / name).stat().st_size} for name in listed},
        "counts": counts,
        "migrations": _applied_migrations(),
        "keys": keys.fingerprints(),
    }
    manifest["signature"] = sign(manifest, keys)
    _write_private(dest / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    if keys_dest is not None:
        write_keys(keys_dest, keys=keys)
    return manifest
