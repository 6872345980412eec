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

from .common import FORMAT, KEY_NAMES, KEYS_FILE, KEYS_FORMAT, KEYS_MANIFEST, MANIFEST, BackupError
from .dump import backup
from .helpers import _tables, sha256_file
from .keys import Keys, check_keys_apart, fingerprint, install_keys, parse_env, read_keys, sign, write_keys
from .load import restore, verify_set

__all__ = [
    "FORMAT",
    "KEYS_FILE",
    "KEYS_FORMAT",
    "KEYS_MANIFEST",
    "KEY_NAMES",
    "MANIFEST",
    "BackupError",
    "Keys",
    "_tables",
    "backup",
    "check_keys_apart",
    "fingerprint",
    "install_keys",
    "parse_env",
    "read_keys",
    "restore",
    "sha256_file",
    "sign",
    "verify_set",
    "write_keys",
]
