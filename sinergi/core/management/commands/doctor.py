"""`manage.py doctor` (`make doctor`): is this running installation healthy?

One line per check, `ok` or `FAIL`, and a non-zero exit when any check fails, so that an operator, a
cron job or the install script can tell at a glance what is wrong. Never prints a secret, a key or
decrypted data: only names, counts, ages and exception classes.
"""

import os
import uuid
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sinergi.core import crypto, services


class CheckFailed(Exception):
    """A check's clear, secret-free explanation of what is wrong."""


def check_settings() -> str:
    """What `manage.py check --deploy` reports at WARNING and above (silenced checks excepted)."""
    found = checks.run_checks(include_deployment_checks=True)
    serious = [m for m in found if m.level >= checks.WARNING and not m.is_silenced()]
    if serious:
        ids = ", ".join(sorted({m.id or m.__class__.__name__ for m in serious}))
        raise CheckFailed(f"`manage.py check --deploy` reports {len(serious)} problem(s): {ids}")
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "?")
    if settings.DEBUG:
        raise CheckFailed("DEBUG is on")
    return f"check --deploy passes ({module})"


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_migrations() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        raise CheckFailed(f"{len(plan)} migration(s) not applied: {names}{more}; run `manage.py migrate`")
    return "all applied"


def check_worker() -> str:
    last = cache.get(services.HEARTBEAT_KEY)
    if not last:
        raise CheckFailed("no worker heartbeat recorded: is `manage.py run_huey` running?")
    age = (timezone.now() - datetime.fromisoformat(last)).total_seconds()
    limit = settings.WORKER_HEARTBEAT_MAX_AGE
    if age > limit:
        raise CheckFailed(f"last heartbeat {int(age)} s ago (limit {limit} s): is `manage.py run_huey` running?")
    return f"heartbeat {max(0, int(age))} s ago"


def _encrypted_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.attname)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, crypto.EncryptedTextField)
    ]


def check_keys() -> str:
    try:
        crypto.fernet()
    except ImproperlyConfigured as exc:
        raise CheckFailed(str(exc)) from None
    index_key = settings.SINERGI_BLIND_INDEX_KEY or ""
    if len(index_key) < 32:
        raise CheckFailed("SINERGI_BLIND_INDEX_KEY is missing or shorter than 32 characters")
    probe = uuid.uuid4().hex
    if crypto.decrypt_str(crypto.encrypt_str(probe)) != probe:
        raise CheckFailed("SINERGI_FIELD_KEYS cannot decrypt what it encrypts")
    # The stored data: one non-empty value of every encrypted column, and one document file.
    sampled = 0
    for model, attname in _encrypted_fields():
        # Only `isnull` lookups exist on ciphertext, so empty values are skipped here, not in SQL.
        rows = model._base_manager.exclude(**{f"{attname}__isnull": True}).order_by("-pk")
        try:
            # Loading a value decrypts it (EncryptedTextField.from_db_value); it is never printed.
            sampled += sum(1 for value in rows.values_list(attname, flat=True)[:20] if value)
        except ImproperlyConfigured:
            raise CheckFailed(
                f"stored {model._meta.label}.{attname} cannot be decrypted with SINERGI_FIELD_KEYS "
                "(wrong or missing key?)"
            ) from None
    documents = 0
    Document = apps.get_model("documents", "Document")
    document = Document.objects.filter(deleted_at__isnull=True).order_by("-created_at").first()
    if document is not None:
        path = document.blob_path
        if not path.exists():
            raise CheckFailed(f"the file of document {document.pk} is missing from SINERGI_PRIVATE_STORAGE")
        try:
            crypto.decrypt_bytes(path.read_bytes())
        except ImproperlyConfigured:
            raise CheckFailed(f"document {document.pk} cannot be decrypted with SINERGI_FIELD_KEYS") from None
        documents = 1
    keys = len(crypto._configured_keys())
    return f"{keys} field key(s); decrypted {sampled} stored value(s) and {documents} document(s)"


def _probe_directory(path: Path, label: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".doctor-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        ok = probe.read_bytes() == b"ok"
        probe.unlink()
    except OSError as exc:
        raise CheckFailed(f"{label} {path} is not writable ({exc.__class__.__name__})") from None
    if not ok:
        raise CheckFailed(f"{label} {path} does not read back what was written")


def check_storage() -> str:
    _probe_directory(Path(settings.SINERGI_PRIVATE_STORAGE), "SINERGI_PRIVATE_STORAGE")
    _probe_directory(Path(settings.DATA_DIR), "SINERGI_DATA_DIR")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"] and not manifest.exists():
        raise CheckFailed(f"{manifest} is missing: run `manage.py collectstatic`")
    return f"private storage {settings.SINERGI_PRIVATE_STORAGE} writable"


def check_time_zone() -> str:
    try:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CheckFailed(f"no time zone data for {settings.TIME_ZONE!r} (install the tzdata package)") from None
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_timezone_names WHERE name = %s", [settings.TIME_ZONE])
            if cursor.fetchone()[0] != 1:
                raise CheckFailed(f"PostgreSQL has no time zone data for {settings.TIME_ZONE!r}")
    offset = datetime.now(zone).strftime("%z")
    return f"{settings.TIME_ZONE} (UTC{offset[:3]}:{offset[3:]})"


def check_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        return "not configured (database cache, SQLite queue)"
    import redis

    where = urlsplit(url)
    # Host, port and database only: a URL may carry a password.
    label = f"{where.hostname}:{where.port or 6379}{where.path or '/0'}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise CheckFailed(f"Redis at {label} is unreachable ({exc.__class__.__name__})") from None
    return f"Redis at {label} answers"


def check_queue() -> str:
    from huey.contrib.djhuey import HUEY

    return f"{HUEY.__class__.__name__}, {HUEY.pending_count()} task(s) pending"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("settings", check_settings),
    ("database", check_database),
    ("migrations", check_migrations),
    ("redis", check_redis),
    ("queue", check_queue),
    ("worker", check_worker),
    ("keys", check_keys),
    ("storage", check_storage),
    ("timezone", check_time_zone),
]


def run_checks(*, skip: frozenset[str] = frozenset()) -> list[tuple[str, bool, str]]:
    results = []
    for name, check in CHECKS:
        if name in skip:
            continue
        try:
            results.append((name, True, check()))
        except CheckFailed as exc:
            results.append((name, False, str(exc)))
        except Exception as exc:  # an unexpected error is a failure of that check, not a crash of all
            # Database and OS errors name a table or a path, never a secret; one line is enough.
            message = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
            results.append((name, False, f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__))
    return results


class Command(BaseCommand):
    help = "Check a running installation: settings, database, migrations, worker, keys, storage, time zone, Redis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            choices=[name for name, _check in CHECKS],
            help="Skip a check by name (repeatable), e.g. --skip worker before the worker is started.",
        )

    def handle(self, *args, **options) -> None:
        results = run_checks(skip=frozenset(options["skip"]))
        for name, ok, detail in results:
            status = self.style.SUCCESS("ok  ") if ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{status} {name}: {detail}")
        failed = [name for name, ok, _ in results if not ok]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(f"All {len(results)} checks passed."))
