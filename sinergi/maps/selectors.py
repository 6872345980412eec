"""Reads of the maps app: who the public can turn to, per tenant."""

from dataclasses import dataclass

from sinergi.tenants.models import Agency, Tenant

# Official service points are public by their nature; a Satgas PPA (often volunteers' own phones)
# only when the tenant flags the agency public.
OFFICIAL_KINDS = (Agency.Kind.UPTD_PPA, Agency.Kind.POLICE_PPA)
PUBLIC_FLAG = "is_public"


@dataclass(frozen=True)
class PublicContact:
    kind: str
    name: str
    place: str
    phone: str
    email: str
    address: str
    hours: str


def _has_public_flag() -> bool:
    return any(f.name == PUBLIC_FLAG for f in Agency._meta.get_fields())


def public_agencies(*, tenant: Tenant) -> list[PublicContact]:
    """UPTD PPA, the police PPA unit and every agency the tenant flagged public, with public contacts.

    The `is_public` flag and the address/hours fields may not exist yet (they arrive with the agency
    directory); until then only the official kinds are listed, with phone and e-mail.
    """
    qs = Agency.objects.filter(tenant=tenant, is_active=True).select_related("district", "village")
    if _has_public_flag():
        qs = qs.filter(**{PUBLIC_FLAG: True}) | qs.filter(kind__in=OFFICIAL_KINDS)
    else:
        qs = qs.filter(kind__in=OFFICIAL_KINDS)
    order = {kind: i for i, kind in enumerate([*OFFICIAL_KINDS, Agency.Kind.SATGAS_PPA])}
    agencies = sorted(qs.distinct(), key=lambda a: (order.get(a.kind, 9), a.name))
    return [
        PublicContact(
            kind=a.kind,
            name=a.name,
            place=(a.village.name if a.village_id else a.district.name if a.district_id else ""),
            phone=getattr(a, "public_phone", "") or a.phone,
            email=a.email,
            address=getattr(a, "address", "") or "",
            hours=getattr(a, "opening_hours", "") or "",
        )
        for a in agencies
    ]


def public_contact_lines(*, tenant: Tenant) -> list[str]:
    """The tenant's own public contact lines (tenant settings), one per line."""
    return [line.strip() for line in tenant.public_contacts.splitlines() if line.strip()]
