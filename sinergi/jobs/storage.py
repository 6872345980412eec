"""Encrypted result files under SINERGI_PRIVATE_STORAGE/jobs/, written and read in chunks.

A result can be tens of megabytes, so it is never held whole in memory: each 1 MiB chunk is one
Fernet token (the field keys of core.crypto, MultiFernet rotation included) on its own line. The
plaintext of every chunk starts with its index and a "last chunk" flag, so chunks that were dropped,
reordered or truncated in storage fail the read instead of yielding a different file.
"""

import logging
import os
import secrets
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sinergi.core import crypto

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, is-last flag


def root() -> Path:
    return Path(settings.SINERGI_PRIVATE_STORAGE) / "jobs"


def blob_path(blob_name: str) -> Path:
    if not blob_name or not blob_name.isalnum():
        raise ValueError("bad blob name")
    return root() / blob_name[:2] / blob_name


def store_encrypted(source: Path) -> tuple[str, int]:
    """Encrypt the file at `source` into a new blob; returns (blob name, plaintext size)."""
    blob_name = secrets.token_hex(24)
    path = blob_path(blob_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    size = 0
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
            index = 0
            chunk = src.read(CHUNK_SIZE)
            while True:
                following = src.read(CHUNK_SIZE) if chunk else b""
                is_last = not following
                out.write(crypto.encrypt_bytes(_HEADER.pack(index, is_last) + chunk) + b"\n")
                size += len(chunk)
                if is_last:
                    break
                chunk, index = following, index + 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return blob_name, size


def read_decrypted(blob_name: str) -> Iterator[bytes]:
    """The plaintext, chunk by chunk; raises if the blob is incomplete or its chunks were tampered with."""
    expected = 0
    finished = False
    with open(blob_path(blob_name), "rb") as fh:
        for line in fh:
            if finished:
                raise ImproperlyConfigured("A job result has data after its last chunk.")
            plain = crypto.decrypt_bytes(line.rstrip(b"\n"))
            index, is_last = _HEADER.unpack_from(plain)
            if index != expected:
                raise ImproperlyConfigured("A job result has its chunks out of order.")
            expected += 1
            finished = bool(is_last)
            yield plain[_HEADER.size :]
    if not finished:
        raise ImproperlyConfigured("A job result is truncated.")


def remove(blob_name: str) -> bool:
    try:
        path = blob_path(blob_name)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed
    except (OSError, ValueError):
        logger.exception("Could not remove job result %s", blob_name)
        return False


def blob_files() -> Iterator[Path]:
    base = root()
    if not base.is_dir():
        return
    for prefix in sorted(base.iterdir()):
        if prefix.is_dir() and len(prefix.name) == 2:
            yield from (p for p in sorted(prefix.iterdir()) if p.is_file())
