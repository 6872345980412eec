"""The release ledger: every table the public pages have published, as the equations it revealed."""

import uuid

from django.db import models


class PublishedRelease(models.Model):
    """One published table: the atoms (quarters) it sums, its row/column keys and published positions.

    The counts themselves are not stored: an audit re-evaluates these equations on the current counts
    (sinergi.maps.disclosure), so a new release is checked against everything published before.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    atoms = models.JSONField()
    rows = models.JSONField()
    cols = models.JSONField()
    published = models.JSONField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "digest"], name="published_release_unique")]
        indexes = [models.Index(fields=["tenant", "table", "year"], name="published_release_year")]

    def __str__(self) -> str:
        return f"{self.table} {'+'.join(self.atoms)}"
