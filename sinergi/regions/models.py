"""Kemendagri administrative regions (Kepmendagri 300.2.2-2138/2025), keyed by dotted code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Indonesian administrative prefixes, kept verbatim in every UI language.
VILLAGE_PREFIXES = {"kelurahan": "Kel.", "desa": "Desa", "desa_adat": "Desa Adat"}


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """Kabupaten (01-69) or kota (71-99)."""

    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "regencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_kota(self) -> bool:
        return int(self.code.split(".")[1]) >= 71


class District(models.Model):
    """Kecamatan."""

    code = models.CharField(max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """Desa / kelurahan. First digit of the last segment: 1 kelurahan, 2 desa, 3 desa adat."""

    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    code = models.CharField(max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(max_length=100, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefixed_name(self) -> str:
        """The name with its administrative prefix: Kel. X, Desa X or Desa Adat X (never translated)."""
        return f"{VILLAGE_PREFIXES.get(self.kind, 'Desa')} {self.name}"
