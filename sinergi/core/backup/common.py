"""The format names, file names and the error of a backup set."""

from __future__ import annotations

FORMAT = "sinergi-backup/1"
KEYS_FORMAT = "sinergi-keys/1"
MANIFEST = "manifest.json"
KEYS_FILE = "keys.env"
KEYS_MANIFEST = "keys-manifest.json"
KEY_NAMES = ("DJANGO_SECRET_KEY", "SINERGI_FIELD_KEYS", "SINERGI_BLIND_INDEX_KEY")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that must stop; the message is meant for the operator and never holds a secret."""
