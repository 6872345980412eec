"""Backup and restore of one installation: database, encrypted file storage, huey queue — and, apart, the keys.

A backup set is a directory holding `manifest.json` and the files it lists:

- `database.pgdump` (pg_dump custom format) or `database.sqlite3` (SQLite online backup API);
- `files.tar`: SINERGI_PRIVATE_STORAGE (the blobs are already encrypted with the field keys);
- `queue.sqlite3` (SqliteHuey file) or `queue.redis.json` (the huey keys in Redis, DUMP format).

The manifest records SHA-256 and size of every file, the row count of every table *in the same snapshot
as the dump*, the applied migrations and fingerprints of the keys in use. It is signed with an HMAC
derived from SINERGI_BLIND_INDEX_KEY, so whoever holds the backup set but not the keys cannot alter it
unnoticed. The keys themselves (`keys.env` + `keys-manifest.json`) go to a *different* directory: a
stolen data backup without them is ciphertext (UU PDP art. 35; UU SPPA art. 19 keeps a child's
identity secret).

Restore checks everything first (manifest, signature, every checksum, keys, engine, migrations, an
empty target) and writes nothing unless every check passes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

FORMAT = "sinergi-backup/1"
KEYS_FORMAT = "sinergi-keys/1"
MANIFEST = "manifest.json"
KEYS_FILE = "keys.env"
KEYS_MANIFEST = "keys-manifest.json"
KEY_NAMES = ("DJANGO_SECRET_KEY", "SINERGI_FIELD_KEYS", "SINERGI_BLIND_INDEX_KEY")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that must stop; the message is meant for the operator and never holds a secret."""


# ---- keys ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    secret_key: str
    field_keys: tuple[str, ...]
    blind_index_key: str

    @classmethod
    def from_settings(cls) -> Keys:
        return cls(
            secret_key=settings.SECRET_KEY,
            field_keys=tuple(k.strip() for k in settings.SINERGI_FIELD_KEYS if k and k.strip()),
            blind_index_key=settings.SINERGI_BLIND_INDEX_KEY,
        )

    def fingerprints(self) -> dict[str, Any]:
        return {
            "field_keys": [fingerprint(k) for k in self.field_keys],
            "blind_index_key": fingerprint(self.blind_index_key),
            "secret_key": fingerprint(self.secret_key),
        }

    def env_text(self) -> str:
        return (
            f"DJANGO_SECRET_KEY={self.secret_key}\n"
            f"SINERGI_FIELD_KEYS={','.join(self.field_keys)}\n"
            f"SINERGI_BLIND_INDEX_KEY={self.blind_index_key}\n"
        )


def fingerprint(secret: str) -> str:
    """A short, one-way name for a key: tells two keys apart without revealing either."""
    return hashlib.sha256(b"sinergi-key-fingerprint\x00" + secret.encode()).hexdigest()[:16]


def _signing_key(keys: Keys) -> bytes:
    if not keys.blind_index_key:
        raise BackupError("SINERGI_BLIND_INDEX_KEY is not set: cannot sign or check a backup manifest.")
    return hmac.new(keys.blind_index_key.encode(), b"sinergi-backup-manifest-v1", hashlib.sha256).digest()


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(manifest: dict[str, Any], keys: Keys) -> str:
    return hmac.new(_signing_key(keys), _canonical(manifest), hashlib.sha256).hexdigest()


def parse_env(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o600)


def _is_within(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def check_keys_apart(data_dir: Path, keys_dir: Path) -> None:
    """The keys must never sit beside the data: not in it, not around it, not next to it."""
    data_dir, keys_dir = data_dir.resolve(), keys_dir.resolve()
    if _is_within(keys_dir, data_dir) or _is_within(data_dir, keys_dir) or keys_dir.parent == data_dir.parent:
        raise BackupError(
            "The keys destination must not be inside, around or next to the data backup: keep the keys on "
            "another disk or host, so that one stolen copy is never both ciphertext and key."
        )


def write_keys(keys_dir: Path, *, keys: Keys | None = None) -> dict[str, Any]:
    keys = keys or Keys.from_settings()
    if not keys.field_keys or not keys.blind_index_key:
        raise BackupError("SINERGI_FIELD_KEYS and SINERGI_BLIND_INDEX_KEY must be set to back up the keys.")
    if keys_dir.exists() and any(keys_dir.iterdir()):
        raise BackupError(f"Keys destination {keys_dir} is not empty; choose a new directory.")
    _private_dir(keys_dir)
    data = keys.env_text().encode()
    _write_private(keys_dir / KEYS_FILE, data)
    manifest = {
        "format": KEYS_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "fingerprints": keys.fingerprints(),
    }
    _write_private(keys_dir / KEYS_MANIFEST, json.dumps(manifest, indent=2).encode())
    return manifest


def read_keys(keys_dir: Path) -> Keys:
    env_path, manifest_path = keys_dir / KEYS_FILE, keys_dir / KEYS_MANIFEST
    if not env_path.is_file() or not manifest_path.is_file():
        raise BackupError(f"{keys_dir} is not a keys backup (expected {KEYS_FILE} and {KEYS_MANIFEST}).")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise BackupError(f"{manifest_path} is not valid JSON.") from exc
    data = env_path.read_bytes()
    if manifest.get("format") != KEYS_FORMAT or hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        raise BackupError(f"The keys backup in {keys_dir} does not match its manifest (damaged or altered).")
    values = parse_env(data.decode())
    missing = [name for name in KEY_NAMES if not values.get(name)]
    if missing:
        raise BackupError(f"The keys backup lacks {', '.join(missing)}.")
    return Keys(
        secret_key=values["DJANGO_SECRET_KEY"],
        field_keys=tuple(k.strip() for k in values["SINERGI_FIELD_KEYS"].split(",") if k.strip()),
        blind_index_key=values["SINERGI_BLIND_INDEX_KEY"],
    )


def install_keys(env_file: Path, keys: Keys) -> None:
    """Write the three keys into an environment file (mode 0600), keeping its other lines."""
    lines = []
    if env_file.exists():
        lines = [
            line
            for line in env_file.read_text().splitlines()
            if line.split("=", 1)[0].removeprefix("export ").strip() not in KEY_NAMES
        ]
    env_file.parent.mkdir(parents=True, exist_ok=True)
    _write_private(env_file, ("\n".join([*lines, keys.env_text().rstrip("\n")]) + "\n").encode())


# ---- helpers ---------------------------------------------------------------------------------


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


# ---- backup ----------------------------------------------------------------------------------


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


# ---- restore ---------------------------------------------------------------------------------


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
                with os.fdopen(fd, "wb") as fh, tar.extractfile(m) as data:
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
