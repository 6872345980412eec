"""Blob storage: encrypted bytes under random names in the documents storage."""

import logging
import secrets

from django.core.files.base import ContentFile

from ..storage import document_storage

logger = logging.getLogger(__name__)


def _new_blob_name() -> str:
    return secrets.token_hex(24)


def _storage_name(blob_name: str) -> str:
    return f"{blob_name[:2]}/{blob_name}"


def _write_blob(blob_name: str, data: bytes) -> None:
    storage = document_storage()
    name = _storage_name(blob_name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # The backend picked another name (it will not overwrite): never leave a stray copy.
        _remove_blob(saved)
        raise RuntimeError("The document storage did not keep the blob name.")


def _read_blob(blob_name: str) -> bytes:
    with document_storage().open(_storage_name(blob_name), "rb") as fh:
        return fh.read()


def _remove_blob(name: str) -> None:
    """Delete one storage name (`ab/ab…`); a failure is logged, the purge retries next night."""
    try:
        document_storage().delete(name)
    except Exception:
        logger.exception("Could not remove document blob %s", name.rsplit("/", 1)[-1])
