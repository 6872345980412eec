"""Restore: verify a backup set against the keys, then database, storage and queue."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from .common import FORMAT, MANIFEST, BackupError
from .helpers import _huey, _huey_kind, _pg_env_and_args, _redis_keys, _run, _vendor, sha256_file
from .keys import Keys, install_keys, read_keys, sign


def verify_set(src: Path, *, keys: Keys) -> dict[str, Any]:
    """Check a backup set without touching anything; return its manifest or raise BackupError."""
    manifest_path = src / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{src} is not a Sinergi backup set: {MANIFEST} is missing.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise BackupError(f"{manifest_path} is not valid JSON (damaged).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path} is not a {FORMAT} manifest.")
    if not hmac.compare_digest(str(manifest.get("signature", "")), sign(manifest, keys)):
        raise BackupError(
            "The manifest signature does not match: the backup set was altered, or the keys given belong to "
            "another installation. Nothing was restored."
        )
    for name, meta in manifest["files"].items():
        path = src / name
        if Path(name).name != name:
            raise BackupError(f"The manifest lists an unsafe file name {name!r}.")
        if not path.is_file():
            raise BackupError(f"Incomplete backup set: {name} is missing. Nothing was restored.")
        if path.stat().st_size != meta["size"] or sha256_file(path) != meta["sha256"]:
            raise BackupError(
                f"{name} does not match its checksum in the manifest (damaged or altered). Nothing was restored."
            )
    expected = {manifest["database"]["file"], manifest["storage"]["file"]}
    if manifest["queue"].get("file"):
        expected.add(manifest["queue"]["file"])
    if expected - set(manifest["files"]):
        raise BackupError("The manifest does not list a checksum for every part of the set.")
    have = set(keys.fingerprints()["field_keys"])
    lacking = [fp for fp in manifest["keys"]["field_keys"] if fp not in have]
    if lacking:
        raise BackupError(
            f"The configured SINERGI_FIELD_KEYS lack {len(lacking)} key(s) this backup was encrypted with "
            f"(fingerprints {', '.join(lacking)}): restore the keys backup first (--keys-from)."
        )
    return manifest


def _target_state() -> list[str]:
    """What already holds data at the restore target (empty list: all empty)."""
    busy = []
    vendor = _vendor()
    if vendor == "postgresql":
        with connections["default"].cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")
            if cur.fetchone()[0]:
                busy.append(f"database {settings.DATABASES['default']['NAME']} has tables")
    else:
        path = Path(settings.DATABASES["default"]["NAME"])
        if path.exists() and path.stat().st_size:
            conn = sqlite3.connect(str(path))
            try:
                if conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0]:
                    busy.append(f"database {path} has tables")
            finally:
                conn.close()
    root = Path(settings.SINERGI_PRIVATE_STORAGE)
    if root.exists() and any(root.iterdir()):
        busy.append(f"file storage {root} is not empty")
    kind = _huey_kind()
    if kind == "sqlite":
        path = Path(settings.HUEY["filename"])
        if path.exists() and path.stat().st_size:
            conn = sqlite3.connect(str(path))
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                present = [t for t in ("task", "schedule") if t in tables]
                rows = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in present)  # noqa: S608
            finally:
                conn.close()
            if rows:
                busy.append(f"huey queue {path} holds {rows} task(s)")
    elif kind == "redis":
        storage = _huey().storage
        if any(storage.conn.exists(k) for k in _redis_keys(storage)):
            busy.append("the huey queue in Redis is not empty")
    return busy


def _check_migrations(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = [
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"The backup was taken by a newer Sinergi (unknown migrations: {', '.join(unknown[:5])}). "
            "Install that version first. Nothing was restored."
        )


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for m in members:
        p = Path(m.name)
        if not m.isfile() or p.is_absolute() or ".." in p.parts:
            raise BackupError(f"files.tar holds an unexpected entry {m.name!r}. Nothing was restored.")
    return members


def _restore_database(src: Path, manifest: dict[str, Any], *, force: bool) -> None:
    path = src / manifest["database"]["file"]
    if _vendor() == "postgresql":
        conn = connections["default"]
        if force:
            with conn.cursor() as cur:
                cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
                cur.execute("CREATE SCHEMA public")
        conn.close()
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(path),
            ],
            env=env,
        )
        return
    connections["default"].close()
    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    srcdb = sqlite3.connect(str(path))
    dst = sqlite3.connect(str(target), timeout=60)
    try:
        srcdb.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        srcdb.close()


def _restore_queue(src: Path, manifest: dict[str, Any], *, force: bool) -> None:
    kind, name = manifest["queue"]["kind"], manifest["queue"].get("file")
    if not name:
        return
    if kind == "sqlite" and _huey_kind() == "sqlite":
        target = Path(settings.HUEY["filename"])
        target.parent.mkdir(parents=True, exist_ok=True)
        srcdb, dst = sqlite3.connect(str(src / name)), sqlite3.connect(str(target), timeout=60)
        try:
            srcdb.backup(dst)
        finally:
            dst.close()
            srcdb.close()
    elif kind == "redis" and _huey_kind() == "redis":
        storage = _huey().storage
        data = json.loads((src / name).read_text())
        # Keys are renamed to this installation's huey name, should HUEY_NAME differ.
        rename = dict(zip(_redis_keys_for(data["name"]), _redis_keys(storage), strict=True))
        pipe = storage.conn.pipeline()
        if force:
            pipe.delete(*_redis_keys(storage))
        for key, item in data["keys"].items():
            pipe.restore(rename.get(key, key), item["pttl"], base64.b64decode(item["dump"]), replace=True)
        pipe.execute()


def _redis_keys_for(name: str) -> list[str]:
    return [f"huey.redis.{name}", f"huey.schedule.{name}", f"huey.results.{name}", f"huey.counters.{name}"]


def restore(
    src: Path, *, keys_from: Path | None = None, env_file: Path | None = None, force: bool = False
) -> dict[str, Any]:
    """Restore a verified backup set into the configured database, storage and queue."""
    keys = read_keys(keys_from) if keys_from is not None else Keys.from_settings()
    manifest = verify_set(src, keys=keys)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This is a {manifest['database']['vendor']} backup; the configured database is {vendor}. "
            "Nothing was restored."
        )
    _check_migrations(manifest)
    busy = _target_state()
    if busy and not force:
        raise BackupError(
            "Refusing to restore over existing data: "
            + "; ".join(busy)
            + ". Restore into an empty database and folder, or pass --force to replace them."
        )
    with tarfile.open(src / manifest["storage"]["file"]) as tar:
        members = _safe_members(tar)
        root = Path(settings.SINERGI_PRIVATE_STORAGE)
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.restore-", dir=root.parent))
        try:
            for m in members:
                out = staging / m.name
                out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                member = tar.extractfile(m)
                assert member is not None  # _safe_members keeps regular files only
                with os.fdopen(fd, "wb") as fh, member as data:
                    shutil.copyfileobj(data, fh)
            _restore_database(src, manifest, force=force)
            _restore_queue(src, manifest, force=force)
            moved_aside = None
            if root.exists():
                if any(root.iterdir()):
                    # --force: the old files are kept aside, never deleted by a restore.
                    moved_aside = root.with_name(f"{root.name}.before-restore-{dt.datetime.now():%Y%m%d%H%M%S}")
                    root.rename(moved_aside)
                else:
                    root.rmdir()
            os.chmod(staging, 0o700)
            staging.rename(root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if keys_from is not None and env_file is not None:
        install_keys(env_file, keys)
    manifest["_moved_aside"] = str(moved_aside) if moved_aside else None
    return manifest
