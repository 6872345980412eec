"""Maintenance: purge deleted and orphaned blobs, re-encrypt blobs under the newest key."""

from collections.abc import Iterator
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sinergi.core import crypto

from ..models import Document, StoredFile
from ..storage import document_storage, overwrites_in_place
from .blobs import _new_blob_name, _read_blob, _remove_blob, _storage_name, _write_blob


def _blob_names() -> Iterator[str]:
    """Storage names of every blob (`ab/ab…`): two-character folders, one level deep."""
    storage = document_storage()
    try:
        prefixes, _files = storage.listdir("")
    except FileNotFoundError:
        return
    for prefix in sorted(prefixes):
        if len(prefix) == 2:
            yield from (f"{prefix}/{name}" for name in sorted(storage.listdir(prefix)[1]))


def _purgeable_files(*, now, deleted_before: timedelta, orphan_grace: timedelta):
    """Stored files no link holds any more: every link deleted before the cutoff (or none at all)."""
    holding = Document.objects.filter(file=OuterRef("pk")).filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gte=now - deleted_before)
    )
    # A file without any link is the leftover of a failed transaction: give it the orphan grace.
    any_link = Document.objects.filter(file=OuterRef("pk"))
    return (
        StoredFile.objects.filter(purged_at__isnull=True)
        .exclude(Exists(holding))
        .filter(Q(Exists(any_link)) | Q(created_at__lt=now - orphan_grace))
    )


def document_blobs_purge(
    *, deleted_before: timedelta = timedelta(days=30), orphan_grace: timedelta = timedelta(hours=24)
) -> dict[str, int]:
    """Remove blobs no link has held for `deleted_before`, and files no row refers to."""
    now = timezone.now()
    storage = document_storage()
    removed_deleted = 0
    for pk in _purgeable_files(now=now, deleted_before=deleted_before, orphan_grace=orphan_grace).values_list(
        "pk", flat=True
    ):
        # One transaction per file, re-checked under a row lock: a link made meanwhile keeps the blob.
        with transaction.atomic():
            stored = (
                _purgeable_files(now=now, deleted_before=deleted_before, orphan_grace=orphan_grace)
                .select_for_update()
                .filter(pk=pk)
                .first()
            )
            if stored is None:
                continue
            name = _storage_name(stored.blob_name)
            if storage.exists(name):
                _remove_blob(name)
                removed_deleted += 1
            stored.purged_at = now
            stored.save(update_fields=["purged_at"])

    # Leftover temp files of interrupted writes and blobs of rolled-back uploads. The grace period
    # keeps blobs of uploads whose transaction is still open.
    cutoff = now - orphan_grace
    candidates = [name for name in _blob_names() if storage.get_modified_time(name) < cutoff]
    removed_orphans = 0
    for start in range(0, len(candidates), 500):
        batch = {name.rsplit("/", 1)[-1]: name for name in candidates[start : start + 500]}
        known = set(StoredFile.objects.filter(blob_name__in=list(batch)).values_list("blob_name", flat=True))
        for blob_name, name in batch.items():
            if blob_name not in known:
                _remove_blob(name)
                removed_orphans += 1
    return {"deleted": removed_deleted, "orphans": removed_orphans}


def document_blobs_rotate() -> dict[str, int]:
    """Re-encrypt every stored blob under the newest key in SINERGI_FIELD_KEYS (idempotent).

    A backend that overwrites (the local folder, S3) gets the blob rewritten under its own name;
    any other gets a new name, switched in the database row before the old blob is removed.
    """
    storage = document_storage()
    in_place = overwrites_in_place(storage)
    counts = {"rotated": 0, "current": 0, "missing": 0}
    files = StoredFile.objects.filter(purged_at__isnull=True).order_by("pk")
    for pk, blob_name in files.values_list("pk", "blob_name").iterator():
        if not storage.exists(_storage_name(blob_name)):
            counts["missing"] += 1
            continue
        token = _read_blob(blob_name)
        if crypto.is_current_bytes(token):
            counts["current"] += 1
            continue
        if in_place:
            _write_blob(blob_name, crypto.rotate_bytes(token))
        else:
            new_name = _new_blob_name()
            _write_blob(new_name, crypto.rotate_bytes(token))
            StoredFile.objects.filter(pk=pk).update(blob_name=new_name)
            _remove_blob(_storage_name(blob_name))
        counts["rotated"] += 1
    return counts
