"""Tenants (one kabupaten/kota each) and the agencies that work inside them."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.clock import TIMEZONE_CHOICES

ERR_NIP = _("A NIP has 18 digits.")


def validate_nip(value: str) -> None:
    """Nomor Induk Pegawai: 18 digits (birth date, appointment, sex, sequence)."""
    if value and not (len(value) == 18 and value.isdigit()):
        raise ValidationError(ERR_NIP, code="nip")


class Tenant(models.Model):
    """A kabupaten/kota running Sinergi, identified by its Kemendagri code (e.g. 64.02)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=5, unique=True)
    regency = models.OneToOneField("regions.Regency", on_delete=models.PROTECT, related_name="tenant")
    name = models.CharField(max_length=120)
    # The office's name varies per region (DP3A, DPPPA, DP2KBP3A, DP3AP2KB...): never hard-coded.
    office_name = models.CharField(max_length=200)
    office_short_name = models.CharField(max_length=40)
    service_unit_name = models.CharField(max_length=200, default="UPTD PPA")
    timezone = models.CharField(max_length=40, default="Asia/Jakarta", choices=TIMEZONE_CHOICES)
    # First-response window per risk level (cases.overdue.first_response_due_at is the one rule using them).
    first_response_hours_critical = models.PositiveIntegerField(default=2)
    first_response_hours = models.PositiveIntegerField(default=24)  # high risk, and any child victim
    first_response_hours_low_risk = models.PositiveIntegerField(default=72)
    referral_due_days = models.PositiveIntegerField(default=7)
    # After a referral is completed, the agency keeps its need-to-know fields this many days, then only a
    # summary of its own services (no identity can be revealed any more).
    referral_access_grace_days = models.PositiveIntegerField(default=30)
    # ---- settings the tenant edits in the app (tenants.services.tenant_settings_update) ----
    # Kop surat: "PEMERINTAH KABUPATEN …" over the office's full name, its address lines and contacts.
    letterhead_parent = models.CharField(max_length=200, blank=True)
    office_address = models.TextField(blank=True, help_text=_("One line per address line."))
    office_phone = models.CharField(max_length=60, blank=True)
    office_email = models.EmailField(blank=True)
    office_website = models.CharField(max_length=120, blank=True)
    # A small PNG/JPEG, stored inline (base64) so that every app server and the PDF renderer have it.
    letterhead_logo = models.TextField(blank=True)
    letter_city = models.CharField(max_length=80, blank=True, help_text=_("Where letters are signed."))
    letter_number_pattern = models.CharField(max_length=120, default="{seq}/{office}/{roman_month}/{year}")
    # Disclosure control for published figures (DOMAIN.md §6): counts 1..threshold are not shown.
    small_count_threshold = models.PositiveSmallIntegerField(default=4)
    small_count_threshold_sexual = models.PositiveSmallIntegerField(default=9)
    # Secondary suppression: no hidden count may be narrowed to an interval narrower than this (0 = the
    # general threshold), Tau-Argus' protection interval.
    small_count_protection = models.PositiveSmallIntegerField(default=0)
    public_contacts = models.TextField(blank=True, help_text=_("One contact per line, e.g. 'SAPA 129: 129'."))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def protection_width(self) -> int:
        """The protection interval of published hidden counts (sinergi.maps.disclosure)."""
        return self.small_count_protection or self.small_count_threshold

    @property
    def code_compact(self) -> str:
        return self.code.replace(".", "")


class Agency(models.Model):
    """An OPD or partner (police PPA unit, NGO, Satgas PPA unit...) inside one tenant."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Women's and children's protection office (DP3A)")
        UPTD_PPA = "uptd_ppa", _("UPTD PPA / P2TP2A")
        DINSOS = "dinsos", _("Social affairs (Dinsos)")
        DISDIK = "disdik", _("Education (Disdik)")
        DINKES = "dinkes", _("Health (Dinkes)")
        HEALTH_FACILITY = "health_facility", _("Health facility (Puskesmas/RSUD)")
        DISDUKCAPIL = "disdukcapil", _("Civil registry (Disdukcapil)")
        SATPOL_PP = "satpol_pp", _("Satpol PP")
        DISKOMINFO = "diskominfo", _("Communications (Diskominfo)")
        BAPPEDA = "bappeda", _("Planning (Bappeda)")
        KEMENAG = "kemenag", _("Religious affairs (Kemenag)")
        POLICE_PPA = "police_ppa", _("Police PPA unit (Polres)")
        PROSECUTOR = "prosecutor", _("Prosecutor (Kejaksaan)")
        COURT = "court", _("Court (Pengadilan)")
        BAPAS = "bapas", _("Probation (Bapas)")
        LPSK = "lpsk", _("Witness and victim protection (LPSK)")
        LEGAL_AID = "legal_aid", _("Legal aid organisation")
        NGO = "ngo", _("NGO")
        SATGAS_PPA = "satgas_ppa", _("Satgas PPA unit")
        FORUM_ANAK = "forum_anak", _("Forum Anak")
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")
        MEDIA = "media", _("Media")
        BUSINESS = "business", _("Business (APSAI)")
        RELIGIOUS_ORG = "religious_org", _("Religious or community organisation")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="agencies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    district = models.ForeignKey("regions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    opening_hours = models.CharField(max_length=200, blank=True, help_text=_("E.g. 'Senin–Jumat 08.00–16.00'."))
    # The contact person: who the office calls or e-mails (invitations go to contact_email, else email).
    contact_name = models.CharField(max_length=150, blank=True)
    contact_position = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    # Listed on the public ILA page (address, hours and public phone only; never the contact person).
    is_public = models.BooleanField(default=False)
    # A deactivated agency receives no new referral; its users and history stay.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenant", "name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["tenant", "short_name"], name="agency_unique_short_name")]

    def __str__(self) -> str:
        return self.short_name


class Signatory(models.Model):
    """Who signs the tenant's letters: name, position and NIP as printed under the signature."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=160)
    position = models.CharField(max_length=200)
    rank = models.CharField(max_length=120, blank=True, help_text=_("Pangkat/golongan, e.g. 'Pembina (IV/a)'."))
    nip = models.CharField(max_length=18, blank=True, validators=[validate_nip])
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_default=True), name="signatory_one_default_per_tenant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class LetterCounter(models.Model):
    """Per tenant and year sequence of letter numbers (nomor surat), taken under a row lock."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="letter_counter_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.year}: {self.last}"
