"""`manage.py doctor`: one clear line per failed check, a non-zero exit, and never a secret."""

import io
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.core import services
from sinergi.documents.tests.factories import store_document
from sinergi.tenants.tests.factories import AgencyFactory

BASE_DIR = Path(__file__).resolve().parents[3]
TITLE = "Visum et repertum Siti Aminah"


@pytest.fixture
def healthy(settings, tmp_path, monkeypatch):
    """What the production settings and a running worker give, on the test database."""
    # The browser tests of the same process set it for Playwright; check --deploy rightly refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECRET_KEY = "doctor-test-" + "x7Qp2Lm9" * 8
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SILENCED_SYSTEM_CHECKS = ["security.W021"]
    settings.ALLOWED_HOSTS = ["sinergi.example.go.id"]
    settings.DATA_DIR = tmp_path / "data"
    services.worker_heartbeat_record()
    return settings


def run_doctor(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("doctor", *args, stdout=out, no_color=True)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def line(output: str, check: str) -> str:
    return next(row for row in output.splitlines() if row[5:].startswith(f"{check}:"))


@pytest.mark.django_db
def test_a_healthy_installation_passes_every_check(healthy, make_user, tenant):
    store_document(actor=make_user(Role.CASE_MANAGER), owner=AgencyFactory(tenant=tenant), title=TITLE)
    output, error = run_doctor()
    assert error is None, output
    assert "All 9 checks passed." in output
    assert "decrypted" in line(output, "keys")
    assert "1 document(s)" in line(output, "keys")
    assert line(output, "migrations").startswith("ok")


@pytest.mark.django_db
def test_debug_or_deploy_warnings_fail_the_settings_check(healthy):
    healthy.SECURE_HSTS_SECONDS = 0
    output, error = run_doctor()
    assert error is not None
    assert line(output, "settings").startswith("FAIL settings: `manage.py check --deploy` reports")
    assert "security.W004" in line(output, "settings")


@pytest.mark.django_db
def test_a_stale_worker_heartbeat_fails_with_its_age(healthy):
    cache.set(services.HEARTBEAT_KEY, (timezone.now() - timedelta(minutes=10)).isoformat())
    output, error = run_doctor()
    assert "worker" in str(error)
    # 600 s, or a few more on a busy machine: the check runs a moment after the heartbeat was set.
    assert re.match(r"FAIL worker: last heartbeat 6\d\d s ago \(limit 180 s\)", line(output, "worker"))


@pytest.mark.django_db
def test_no_worker_heartbeat_at_all_fails(healthy):
    cache.delete(services.HEARTBEAT_KEY)
    output, error = run_doctor()
    assert error is not None
    assert "no worker heartbeat recorded" in line(output, "worker")


@pytest.mark.django_db
def test_an_unapplied_migration_fails_and_is_named(healthy):
    MigrationRecorder.Migration.objects.filter(app="cases").order_by("-id").first().delete()
    output, error = run_doctor()
    assert error is not None
    assert line(output, "migrations").startswith("FAIL migrations: 1 migration(s) not applied: cases.")


@pytest.mark.django_db
def test_data_encrypted_under_a_key_that_is_no_longer_configured_fails(healthy, make_user, tenant):
    store_document(actor=make_user(Role.CASE_MANAGER), owner=AgencyFactory(tenant=tenant), title=TITLE)
    lost_key = healthy.SINERGI_FIELD_KEYS[0]
    healthy.SINERGI_FIELD_KEYS = [Fernet.generate_key().decode()]
    output, error = run_doctor()
    assert error is not None
    assert "cannot be decrypted with SINERGI_FIELD_KEYS" in line(output, "keys")
    assert lost_key not in output
    assert healthy.SINERGI_FIELD_KEYS[0] not in output
    assert "Siti" not in output


@pytest.mark.django_db
def test_missing_keys_fail_without_echoing_anything_secret(healthy):
    healthy.SINERGI_FIELD_KEYS = []
    healthy.SINERGI_BLIND_INDEX_KEY = ""
    output, error = run_doctor()
    assert error is not None
    assert "SINERGI_FIELD_KEYS is empty" in line(output, "keys")


@pytest.mark.django_db
def test_a_short_blind_index_key_fails(healthy):
    healthy.SINERGI_BLIND_INDEX_KEY = "short"
    output, _error = run_doctor()
    assert line(output, "keys").startswith("FAIL keys: SINERGI_BLIND_INDEX_KEY is missing or shorter than 32")


@pytest.mark.django_db
def test_a_missing_document_file_fails(healthy, make_user, tenant):
    document = store_document(actor=make_user(Role.CASE_MANAGER), owner=AgencyFactory(tenant=tenant))
    document.blob_path.unlink()
    output, _error = run_doctor()
    assert f"the file of document {document.pk} is missing" in line(output, "keys")


@pytest.mark.django_db
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_read_only_private_storage_fails(healthy, tmp_path):
    storage = tmp_path / "read-only"
    storage.mkdir()
    storage.chmod(0o500)
    healthy.SINERGI_PRIVATE_STORAGE = storage
    try:
        output, _error = run_doctor()
    finally:
        storage.chmod(0o700)
    assert line(output, "storage").startswith(f"FAIL storage: SINERGI_PRIVATE_STORAGE {storage} is not writable")


@pytest.mark.django_db
def test_private_storage_that_is_a_file_fails(healthy, tmp_path):
    # Works as root too: no permission bit makes a regular file usable as a directory.
    not_a_directory = tmp_path / "private-is-a-file"
    not_a_directory.write_text("x")
    healthy.SINERGI_PRIVATE_STORAGE = not_a_directory
    output, _error = run_doctor()
    assert line(output, "storage").startswith("FAIL storage: SINERGI_PRIVATE_STORAGE")


@pytest.mark.django_db
def test_missing_collected_static_files_fail_with_production_storage(healthy, tmp_path):
    healthy.STATIC_ROOT = tmp_path / "static-never-collected"
    healthy.STORAGES = {
        **healthy.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    output, _error = run_doctor()
    assert "staticfiles.json is missing: run `manage.py collectstatic`" in line(output, "storage")


@pytest.mark.django_db
def test_an_unknown_time_zone_fails(healthy, monkeypatch):
    from sinergi.core.management.commands import doctor

    monkeypatch.setattr(doctor.settings, "TIME_ZONE", "Asia/Atlantis", raising=False)
    output, _error = run_doctor("--skip", "settings")
    assert line(output, "timezone").startswith("FAIL timezone: no time zone data for 'Asia/Atlantis'")


@pytest.mark.django_db
def test_unreachable_redis_fails_without_its_password(healthy):
    healthy.REDIS_URL = "redis://:hunter2-secret@127.0.0.1:1/3"
    output, error = run_doctor()
    assert error is not None
    assert line(output, "redis").startswith("FAIL redis: Redis at 127.0.0.1:1/3 is unreachable")
    assert "hunter2" not in output


@pytest.mark.django_db
def test_a_skipped_check_is_not_run(healthy):
    cache.delete(services.HEARTBEAT_KEY)
    output, error = run_doctor("--skip", "worker")
    assert error is None, output
    assert "worker:" not in output


def test_the_command_exits_non_zero_from_the_shell(tmp_path):
    """An operator's shell (or the install script) sees the failure in the exit status."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 25 + "-production-secret-for-this-test-only",
        "DJANGO_ALLOWED_HOSTS": "sinergi.example.go.id",
        "SINERGI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "REDIS_URL": "",
        "SINERGI_FIELD_KEYS": Fernet.generate_key().decode(),
        "SINERGI_BLIND_INDEX_KEY": "b" * 48,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "doctor", "--no-color"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "FAIL migrations:" in result.stdout
    assert "FAIL worker:" in result.stdout
    assert "check(s) failed" in result.stderr
