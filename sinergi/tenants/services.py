"""Writes of the tenant's own settings (letterhead, letter numbering, signatories, zone, thresholds) and agencies."""

import base64
import binascii
import datetime as dt
import io
import re
import string
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import clock, policy

from .models import Agency, LetterCounter, Signatory, Tenant

MAX_LOGO_BYTES = 200_000
PATTERN_FIELDS = {"seq", "code", "office", "classification", "month", "roman_month", "year"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# Fields a tenant may edit, and nothing else (the code, the regency and the name are the deployment's).
EDITABLE = (
    "office_name",
    "office_short_name",
    "service_unit_name",
    "letterhead_parent",
    "office_address",
    "office_phone",
    "office_email",
    "office_website",
    "letter_city",
    "letter_number_pattern",
    "timezone",
    "first_response_hours_critical",
    "first_response_hours",
    "first_response_hours_low_risk",
    "referral_due_days",
    "referral_access_grace_days",
    "small_count_threshold",
    "small_count_threshold_sexual",
    "small_count_protection",
    "public_contacts",
)
RANGES = {
    "first_response_hours_critical": (1, 72),
    "first_response_hours": (1, 168),
    "first_response_hours_low_risk": (1, 720),
    "referral_due_days": (1, 90),
    "referral_access_grace_days": (0, 365),
    "small_count_threshold": (1, 50),
    "small_count_threshold_sexual": (1, 50),
    "small_count_protection": (0, 50),
}

ERR_PATTERN = _("The letter number pattern needs {seq} and may use only {fields}.")
ERR_RANGE = _("Enter a number from %(low)s to %(high)s.")
ERR_LOGO = _("The logo must be a PNG or JPEG image of at most 200 KB.")
ERR_THRESHOLD_ORDER = _("The threshold for sexual violence cannot be lower than the general one.")
ERR_RESPONSE_ORDER = _("A higher risk cannot have a longer first-response window than a lower one.")
ERR_UNKNOWN_FIELD = _("These settings cannot be changed here: %(fields)s.")


def _check_pattern(pattern: str) -> None:
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ValidationError({"letter_number_pattern": _fmt_pattern_error()}) from exc
    if "seq" not in names or not names <= PATTERN_FIELDS:
        raise ValidationError({"letter_number_pattern": _fmt_pattern_error()})


def _fmt_pattern_error() -> str:
    return str(ERR_PATTERN).replace("{fields}", ", ".join("{" + f + "}" for f in sorted(PATTERN_FIELDS)))


def logo_data_url(raw: bytes) -> str:
    """Check an uploaded logo (PNG/JPEG by content, size) and return it as a data URL for the kop surat."""
    from PIL import Image, UnidentifiedImageError

    if len(raw) > MAX_LOGO_BYTES:
        raise ValidationError({"letterhead_logo": ERR_LOGO})
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError({"letterhead_logo": ERR_LOGO}) from exc
    if kind not in ("PNG", "JPEG"):
        raise ValidationError({"letterhead_logo": ERR_LOGO})
    mime = "image/png" if kind == "PNG" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


@transaction.atomic
def tenant_settings_update(*, actor: Any, tenant: Tenant, changes: dict[str, Any], logo: bytes | None = None) -> Tenant:
    """Change the tenant's own settings; every change is audited with the names of the fields changed."""
    policy.require(actor, "tenants.change_tenant_settings", tenant)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(ERR_UNKNOWN_FIELD, params={"fields": ", ".join(unknown)})
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    changed = []
    for name, value in changes.items():
        if name in RANGES:
            low, high = RANGES[name]
            if value is None or not low <= int(value) <= high:
                raise ValidationError({name: ValidationError(ERR_RANGE, params={"low": low, "high": high})})
            value = int(value)
        elif isinstance(value, str):
            value = value.strip()
        if name == "letter_number_pattern":
            _check_pattern(value)
        if name == "timezone" and value not in clock.ZONE_ABBREVIATIONS:
            raise ValidationError({"timezone": _("Choose WIB, WITA or WIT.")})
        if getattr(tenant, name) != value:
            setattr(tenant, name, value)
            changed.append(name)
    if logo is not None:
        data_url = logo_data_url(logo) if logo else ""
        if tenant.letterhead_logo != data_url:
            tenant.letterhead_logo = data_url
            changed.append("letterhead_logo")
    if tenant.small_count_threshold_sexual < tenant.small_count_threshold:
        raise ValidationError({"small_count_threshold_sexual": ERR_THRESHOLD_ORDER})
    if not tenant.first_response_hours_critical <= tenant.first_response_hours <= tenant.first_response_hours_low_risk:
        raise ValidationError({"first_response_hours_critical": ERR_RESPONSE_ORDER})
    if changed:
        tenant.full_clean(exclude=["regency"])
        tenant.save(update_fields=changed)
        audit(actor=actor, action="tenant.settings_changed", obj=tenant, tenant=tenant, fields=sorted(changed))
    return tenant


@transaction.atomic
def signatory_save(
    *,
    actor: Any,
    tenant: Tenant,
    name: str,
    position: str,
    nip: str = "",
    rank: str = "",
    is_default: bool = False,
    signatory: Signatory | None = None,
) -> Signatory:
    policy.require(actor, "tenants.change_tenant_settings", tenant)
    if signatory is not None and signatory.tenant_id != tenant.pk:
        raise ValidationError(_("Unknown signatory."))
    signatory = signatory or Signatory(tenant=tenant)
    signatory.name, signatory.position = name.strip(), position.strip()
    signatory.nip, signatory.rank = re.sub(r"\s", "", nip), rank.strip()
    if is_default:
        Signatory.objects.filter(tenant=tenant, is_default=True).exclude(pk=signatory.pk).update(is_default=False)
    signatory.is_default = is_default
    signatory.full_clean()
    signatory.save()
    audit(
        actor=actor, action="tenant.signatory_saved", obj=signatory, tenant=tenant, fields=["name", "position", "nip"]
    )
    return signatory


@transaction.atomic
def signatory_deactivate(*, actor: Any, signatory: Signatory) -> Signatory:
    policy.require(actor, "tenants.change_tenant_settings", signatory.tenant)
    signatory.is_active, signatory.is_default = False, False
    signatory.save(update_fields=["is_active", "is_default"])
    audit(actor=actor, action="tenant.signatory_deactivated", obj=signatory, tenant=signatory.tenant)
    return signatory


def letter_number_next(*, tenant: Tenant, classification: str = "", on: dt.date | None = None) -> str:
    """The next nomor surat of the tenant's pattern (e.g. '007/DPPPA/IV/2026'); one per call, never reused."""
    day = on or clock.tenant_today(tenant)
    with transaction.atomic():
        counter, _created = LetterCounter.objects.select_for_update().get_or_create(tenant=tenant, year=day.year)
        LetterCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        counter.refresh_from_db(fields=["last"])
    return letter_number_format(tenant=tenant, seq=counter.last, day=day, classification=classification)


def letter_number_format(*, tenant: Tenant, seq: int, day: dt.date, classification: str = "") -> str:
    """A nomor surat of the tenant's pattern for a given sequence number and day (no number is taken)."""
    values = {
        "seq": f"{seq:03d}",
        "code": tenant.code,
        "office": tenant.office_short_name,
        "classification": classification,
        "month": f"{day.month:02d}",
        "roman_month": ROMAN[day.month - 1],
        "year": str(day.year),
    }
    return tenant.letter_number_pattern.format(**values)


def decode_logo(data_url: str) -> bytes:
    try:
        return base64.b64decode(data_url.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return b""


# ---- Agencies ----------------------------------------------------------------------------------

# What a tenant's admin edits on an agency (the tenant is fixed; is_active through deactivate/reactivate).
AGENCY_FIELDS = (
    "kind",
    "name",
    "short_name",
    "district",
    "village",
    "email",
    "phone",
    "address",
    "opening_hours",
    "contact_name",
    "contact_position",
    "contact_phone",
    "contact_email",
    "is_public",
)
ERR_AGENCY_SHORT_NAME_TAKEN = _("Another agency of this tenant already uses that short name.")
ERR_AGENCY_DISTRICT = _("Choose a kecamatan of this regency.")
ERR_AGENCY_VILLAGE = _("Choose a desa/kelurahan of the chosen kecamatan.")
ERR_AGENCY_KIND = _("Unknown kind of agency.")
ERR_AGENCY_NAME = _("An agency needs a name and a short name.")


def _agency_apply(*, agency: Agency, tenant: Tenant, changes: dict[str, Any]) -> list[str]:
    unknown = sorted(set(changes) - set(AGENCY_FIELDS))
    if unknown:
        raise ValidationError(ERR_UNKNOWN_FIELD, params={"fields": ", ".join(unknown)})
    changed = []
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(agency, name) != value:
            setattr(agency, name, value)
            changed.append(name)
    if agency.kind not in Agency.Kind.values:
        raise ValidationError({"kind": ERR_AGENCY_KIND})
    if not agency.name or not agency.short_name:
        raise ValidationError({"name": ERR_AGENCY_NAME})
    if agency.district_id and agency.district.regency_id != tenant.regency_id:
        raise ValidationError({"district": ERR_AGENCY_DISTRICT})
    if agency.village_id and (not agency.district_id or agency.village.district_id != agency.district_id):
        raise ValidationError({"village": ERR_AGENCY_VILLAGE})
    taken = Agency.objects.filter(tenant=tenant, short_name__iexact=agency.short_name).exclude(pk=agency.pk)
    if taken.exists():
        raise ValidationError({"short_name": ERR_AGENCY_SHORT_NAME_TAKEN})
    agency.full_clean(exclude=["tenant", "district", "village"])
    return changed


@transaction.atomic
def agency_create(*, actor: Any, tenant: Tenant, **fields: Any) -> Agency:
    """Add an agency (OPD, police unit, NGO, media, business, university...) to the tenant."""
    policy.require(actor, "tenants.add_agency", tenant)
    agency = Agency(tenant=tenant, kind=Agency.Kind.OTHER)
    _agency_apply(agency=agency, tenant=tenant, changes=fields)
    agency.save()
    audit(
        actor=actor,
        action="tenant.agency_created",
        obj=agency,
        tenant=tenant,
        fields=sorted(fields),
        extra={"kind": agency.kind, "short_name": agency.short_name},
    )
    return agency


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, changes: dict[str, Any]) -> Agency:
    """Change an agency's name, kind, contact person, address, hours or public flag (audited by field name)."""
    policy.require(actor, "tenants.manage_agency", agency)
    agency = Agency.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=agency.pk)
    changed = _agency_apply(agency=agency, tenant=agency.tenant, changes=changes)
    if changed:
        agency.save(update_fields=changed)
        audit(actor=actor, action="tenant.agency_updated", obj=agency, tenant=agency.tenant, fields=sorted(changed))
    return agency


@transaction.atomic
def agency_set_active(*, actor: Any, agency: Agency, is_active: bool) -> Agency:
    """Deactivate (no new referral, hidden from choices; users and history stay) or reactivate an agency."""
    policy.require(actor, "tenants.manage_agency", agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_active != is_active:
        agency.is_active = is_active
        agency.save(update_fields=["is_active"])
        if is_active:
            audit(
                actor=actor,
                action="tenant.agency_reactivated",
                obj=agency,
                tenant=agency.tenant_id,
                fields=["is_active"],
            )
        else:
            audit(
                actor=actor,
                action="tenant.agency_deactivated",
                obj=agency,
                tenant=agency.tenant_id,
                fields=["is_active"],
            )
    return agency
