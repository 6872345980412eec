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


class ChildPopulation(models.Model):
    """Children (0–17) living in one kecamatan or one kelurahan/desa in a year: the base of the rates.

    Exactly one of `district` and `village` is set; imported from CSV (sinergi.maps.population).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    region_code = models.CharField(max_length=13)
    district = models.ForeignKey("regions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    children = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year", "region_code"], name="child_population_unique"),
            models.CheckConstraint(
                condition=models.Q(district__isnull=False, village__isnull=True)
                | models.Q(district__isnull=True, village__isnull=False),
                name="child_population_one_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}: {self.children}"
