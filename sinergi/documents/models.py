"""Encrypted documents attached to any owner object (case, meeting, KLA indicator...).

The file itself lives encrypted under SINERGI_PRIVATE_STORAGE/<blob_name[:2]>/<blob_name>; the row
holds encrypted title and original name, the sniffed type and a SHA-256 of the plaintext.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from sinergi.core.crypto import EncryptedTextField


class DocumentQuerySet(models.QuerySet):
    def live(self) -> "DocumentQuerySet":
        return self.filter(deleted_at__isnull=True)


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="documents")
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    # Free-text slug chosen by the owning app ("police_report", "visum", "minutes"...).
    kind = models.CharField(max_length=50)
    # Titles and file names often name the victim: encrypted like any identity field.
    title = EncryptedTextField()
    original_name = EncryptedTextField()
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # SHA-256 of the stored plaintext: lets us spot duplicates; leaks equality only.
    sha256 = models.CharField(max_length=64)
    blob_name = models.CharField(max_length=64, unique=True)
    is_sensitive = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="document_owner_idx")]

    def __str__(self) -> str:
        # Never the title: it is encrypted because it may name a person.
        return f"{self.kind} {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def blob_path(self) -> Path:
        return Path(settings.SINERGI_PRIVATE_STORAGE) / self.blob_name[:2] / self.blob_name
