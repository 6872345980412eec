"""Forms of the tenant settings and agency pages (they only parse; tenants.services validates and saves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import District, Village

from .models import Agency, Signatory, Tenant
from .services import AGENCY_FIELDS, EDITABLE


class TenantSettingsForm(forms.ModelForm):
    logo = forms.FileField(label=_("Logo for the letterhead (PNG or JPEG, at most 200 KB)"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Tenant
        fields = list(EDITABLE)
        labels = {
            "office_name": _("Full name of the office"),
            "office_short_name": _("Short name of the office"),
            "service_unit_name": _("Name of the service unit"),
            "letterhead_parent": _("Line above the office name (e.g. PEMERINTAH KABUPATEN …)"),
            "office_address": _("Address lines"),
            "office_phone": _("Telephone"),
            "office_email": _("E-mail"),
            "office_website": _("Website"),
            "letter_city": _("Place of signing"),
            "letter_number_pattern": _("Letter number pattern"),
            "timezone": _("Time zone"),
            "first_response_hours_critical": _("First response within (hours) for critical risk"),
            "first_response_hours": _("First response within (hours) for high risk and child victims"),
            "first_response_hours_low_risk": _("First response within (hours) otherwise"),
            "referral_due_days": _("Referral answer due after (days)"),
            "referral_access_grace_days": _("Days an agency keeps access after its referral is completed"),
            "small_count_threshold": _("Published counts from 1 up to this number are hidden"),
            "small_count_threshold_sexual": _("The same for sexual violence"),
            "small_count_protection": _("Protection width of hidden counts (0 = the general threshold)"),
            "public_contacts": _("Public contacts (one per line)"),
        }
        widgets = {
            "office_address": forms.Textarea(attrs={"rows": 3}),
            "public_contacts": forms.Textarea(attrs={"rows": 4}),
        }

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE if name in self.cleaned_data}

    def logo_bytes(self) -> bytes | None:
        """New logo bytes, b"" to remove it, None to keep it."""
        if self.cleaned_data.get("remove_logo"):
            return b""
        upload = self.cleaned_data.get("logo")
        return upload.read(200_001) if upload else None


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["name", "position", "rank", "nip", "is_default"]
        labels = {
            "name": _("Name"),
            "position": _("Position"),
            "rank": _("Rank (pangkat/golongan)"),
            "nip": _("NIP"),
            "is_default": _("Signs by default"),
        }


class AgencyForm(forms.ModelForm):
    """An agency's details; the district and village lists are those of the tenant's regency."""

    class Meta:
        model = Agency
        fields = list(AGENCY_FIELDS)
        labels = {
            "kind": _("Kind"),
            "name": _("Full name"),
            "short_name": _("Short name"),
            "district": _("Kecamatan"),
            "village": _("Desa/kelurahan"),
            "email": _("Office e-mail"),
            "phone": _("Office telephone"),
            "address": _("Address"),
            "opening_hours": _("Opening hours"),
            "contact_name": _("Contact person"),
            "contact_position": _("Contact person's position"),
            "contact_phone": _("Contact person's telephone"),
            "contact_email": _("Contact person's e-mail"),
            "is_public": _("Show on the public page (address, hours and office telephone)"),
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(regency_id=tenant.regency_id).order_by("name")
        self.fields["village"].queryset = Village.objects.filter(district__regency_id=tenant.regency_id).order_by(
            "name"
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in AGENCY_FIELDS if name in self.cleaned_data}
