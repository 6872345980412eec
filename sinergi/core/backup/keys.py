"""The keys: read, write, sign and install them, always apart from the data."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .common import KEY_NAMES, KEYS_FILE, KEYS_FORMAT, KEYS_MANIFEST, BackupError


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
