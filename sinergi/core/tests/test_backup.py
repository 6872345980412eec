"""`manage.py backup` / `restore` as an operator runs them: real processes against a real SQLite installation.

The full round trip with concurrent writes, on SQLite and PostgreSQL, is scripts/ci_backup_roundtrip.sh
(run by CI). These tests cover what restore must refuse, and that a refusal writes nothing.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from sinergi.core import backup

ROOT = Path(__file__).resolve().parents[3]


def _env(data_dir: Path, keys: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DJANGO_", "DATABASE", "REDIS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SINERGI_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'sinergi.sqlite3'}",
        REDIS_URL="",
        **keys,
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def _keys() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": "test-backup-" + Fernet.generate_key().decode(),
        "SINERGI_FIELD_KEYS": Fernet.generate_key().decode(),
        "SINERGI_BLIND_INDEX_KEY": "test-backup-bidx-" + Fernet.generate_key().decode(),
    }


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A migrated SQLite installation with cases and documents, and one backup set with its keys apart."""
    base = tmp_path_factory.mktemp("backup")
    keys = _keys()
    env = _env(base / "source", keys)
    assert _manage(env, "migrate", "--noinput", "-v", "0").returncode == 0
    # As every installation does (install-production.sh, make demo, ci_backup_roundtrip.sh): the shared
    # DB cache (ratelimit, heartbeat, the map's invalidation on every case write) needs its table.
    assert _manage(env, "createcachetable").returncode == 0
    seeded = subprocess.run(
        [sys.executable, "scripts/backup_roundtrip.py", "seed", "--cases", "3", "--docs", "2",
         "--expected", str(base / "expected.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    done = _manage(env, "backup", str(base / "set"), "--keys-to", str(base / "vault" / "keys"))
    assert done.returncode == 0, done.stderr
    return {"base": base, "keys": keys, "set": base / "set", "keys_dir": base / "vault" / "keys"}


def _copy_set(installation, tmp_path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(installation["set"], copy)
    return copy


def _restore_in_process(src: Path, installation, tmp_path) -> None:
    """restore() with the keys backup, into this test's (empty) private storage."""
    backup.restore(src, keys_from=installation["keys_dir"])


def _assert_untouched(target: Path) -> None:
    # Loading the settings creates DATA_DIR/static and an empty huey file; a restore must add nothing else.
    assert not (target / "sinergi.sqlite3").exists()
    assert not (target / "private").exists()


def test_backup_set_lists_every_part_with_checksums_and_no_key(installation):
    manifest = json.loads((installation["set"] / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.sqlite3", "files.tar", "queue.sqlite3"}
    assert manifest["counts"]["cases.Case"] == 3
    assert manifest["counts"]["documents.Document"] == 2
    assert manifest["storage"]["count"] == 2
    assert manifest["queue"]["pending"] == 2
    everything = b"".join(p.read_bytes() for p in installation["set"].iterdir())
    for value in installation["keys"].values():
        assert value.encode() not in everything


def test_keys_backup_is_private_and_holds_the_keys(installation):
    keys_dir = installation["keys_dir"]
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700
    for path in keys_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restored = backup.read_keys(keys_dir)
    assert restored.field_keys == (installation["keys"]["SINERGI_FIELD_KEYS"],)
    assert restored.blind_index_key == installation["keys"]["SINERGI_BLIND_INDEX_KEY"]


@pytest.mark.parametrize("keys_to", ["set/keys", "set-keys", "."])
def test_backup_refuses_keys_beside_the_data(tmp_path, keys_to):
    with pytest.raises(backup.BackupError, match="must not be inside, around or next to the data backup"):
        backup.backup(tmp_path / "set", keys_dest=tmp_path / keys_to)
    assert not (tmp_path / "set").exists()


def test_restore_into_empty_target_then_refuses_to_overwrite_unless_forced(installation, tmp_path):
    env = _env(tmp_path / "target", installation["keys"])
    first = _manage(env, "restore", str(installation["set"]))
    assert first.returncode == 0, first.stderr
    assert len(list((tmp_path / "target" / "private").rglob("*"))) >= 2

    again = _manage(env, "restore", str(installation["set"]))
    assert again.returncode != 0
    assert "Refusing to restore over existing data" in again.stderr

    forced = _manage(env, "restore", str(installation["set"]), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "previous file storage was moved to" in forced.stdout
    assert list(tmp_path.joinpath("target").glob("private.before-restore-*"))


def test_restore_refuses_a_damaged_file_and_touches_nothing(installation, tmp_path):
    copy = _copy_set(installation, tmp_path)
    with (copy / "database.sqlite3").open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\x00tampered\x00")
    with pytest.raises(backup.BackupError, match=r"database\.sqlite3 does not match its checksum"):
        _restore_in_process(copy, installation, tmp_path)
    assert not (tmp_path / "private").exists()


def test_restore_refuses_a_partial_set(installation, tmp_path):
    copy = _copy_set(installation, tmp_path)
    (copy / "files.tar").unlink()
    with pytest.raises(backup.BackupError, match=r"Incomplete backup set: files\.tar is missing"):
        _restore_in_process(copy, installation, tmp_path)
    assert not (tmp_path / "private").exists()


def test_restore_refuses_a_manifest_rewritten_to_match_altered_files(installation, tmp_path):
    copy = _copy_set(installation, tmp_path)
    (copy / "files.tar").write_bytes(b"\x00" * 10240)  # an empty tar: every document gone
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["files.tar"] = {"sha256": backup.sha256_file(copy / "files.tar"), "size": 10240}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="manifest signature does not match"):
        _restore_in_process(copy, installation, tmp_path)
    assert not (tmp_path / "private").exists()


def test_restore_refuses_without_the_field_keys_of_the_backup(installation, tmp_path):
    keys = {**installation["keys"], "SINERGI_FIELD_KEYS": Fernet.generate_key().decode()}
    result = _manage(_env(tmp_path / "target", keys), "restore", str(installation["set"]))
    assert result.returncode != 0
    assert "lack 1 key(s) this backup was encrypted with" in result.stderr
    _assert_untouched(tmp_path / "target")


def test_restore_with_keys_from_the_keys_backup_installs_them(installation, tmp_path):
    stranger = _keys()  # a new server whose environment does not yet hold this installation's keys
    target = tmp_path / "target"
    result = _manage(
        _env(target, stranger), "restore", str(installation["set"]),
        "--keys-from", str(installation["keys_dir"]), "--env-file", str(target / "local.env"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((target / "local.env").stat().st_mode) == 0o600
    installed = backup.parse_env((target / "local.env").read_text())
    assert installed["SINERGI_FIELD_KEYS"] == installation["keys"]["SINERGI_FIELD_KEYS"]
    # Started without keys in its environment, the restored installation reads them from local.env.
    env = {k: v for k, v in _env(target, {}).items()}
    check = subprocess.run(
        [sys.executable, "scripts/backup_roundtrip.py", "check", "--no-counts",
         "--manifest", str(installation["set"] / "manifest.json"),
         "--expected", str(installation["base"] / "expected.json")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "6 identities decrypt, 2 documents download" in check.stdout
