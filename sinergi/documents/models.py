"""Encrypted documents attached to any number of owner objects (case, meeting, KLA indicator...).

A `StoredFile` is the encrypted blob (`<blob_name[:2]>/<blob_name>` in the documents storage) with
its sniffed type, size and SHA-256. A `Document` is one owner's link to a stored file: its own kind,
encrypted title and file name, uploader and soft-deletion, and its own permission through the
owner app's `view_/manage_<model>_documents` rules. Linking a file to a second owner adds a
`Document` row, never a second blob; the purge removes a blob only when no link is left.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from sinergi.core.crypto import EncryptedTextField

# The images document_store re-encodes without metadata; the only types served inline.
PREVIEW_MIMES = frozenset({"image/jpeg", "image/png"})


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # SHA-256 of the stored plaintext: lets us spot duplicates; leaks equality only.
    sha256 = models.CharField(max_length=64)
    blob_name = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the purge when the blob was removed; the row stays for the links' audit trail.
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.mime} {self.pk}"

    @property
    def storage_name(self) -> str:
        return f"{self.blob_name[:2]}/{self.blob_name}"


class DocumentQuerySet(models.QuerySet):
    def live(self) -> "DocumentQuerySet":
        return self.filter(deleted_at__isnull=True)


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="documents")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="links")
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    # Free-text slug chosen by the owning app ("police_report", "visum", "minutes"...).
    kind = models.CharField(max_length=50)
    # Titles and file names often name the victim: encrypted like any identity field.
    title = EncryptedTextField()
    original_name = EncryptedTextField()
    is_sensitive = models.BooleanField(default=True)
    # The link this one was made from (None for an upload): provenance for the audit trail.
    linked_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="document_owner_idx")]
        constraints = [
            # One live link per (file, owner): linking twice to the same owner is refused.
            models.UniqueConstraint(
                fields=["file", "owner_type", "owner_id"],
                condition=models.Q(deleted_at__isnull=True),
                name="document_one_live_link_per_owner",
            )
        ]

    def __str__(self) -> str:
        # Never the title: it is encrypted because it may name a person.
        return f"{self.kind} {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    # The stored file's facts, read through the link (select_related("file") in selectors).
    @property
    def mime(self) -> str:
        return self.file.mime

    @property
    def size(self) -> int:
        return self.file.size

    @property
    def sha256(self) -> str:
        return self.file.sha256

    @property
    def blob_name(self) -> str:
        return self.file.blob_name

    @property
    def is_previewable(self) -> bool:
        """Only re-encoded raster images are ever shown inline (never PDF, office files or text)."""
        return self.file.mime in PREVIEW_MIMES

    @property
    def blob_path(self) -> Path:
        """Where the blob lives with the default local storage (tests, backups)."""
        return Path(settings.SINERGI_PRIVATE_STORAGE) / self.file.blob_name[:2] / self.file.blob_name
