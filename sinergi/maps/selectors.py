"""Reads of the maps app: who the public can turn to, per tenant."""

from dataclasses import dataclass

from sinergi.tenants.models import Agency, Tenant

# Official service points are public by their nature; a Satgas PPA (often volunteers' own phones)
# only when the tenant flags the agency public.
OFFICIAL_KINDS = (Agency.Kind.UPTD_PPA, Agency.Kind.POLICE_PPA)


@dataclass(frozen=True)
class PublicContact:
    kind: str
    name: str
    place: str
    phone: str
    email: str
    address: str
    hours: str


def public_agencies(*, tenant: Tenant) -> list[PublicContact]:
    """UPTD PPA, the police PPA unit and every agency the tenant flagged public, with public contacts."""
    qs = Agency.objects.filter(tenant=tenant, is_active=True).select_related("district", "village")
    qs = qs.filter(is_public=True) | qs.filter(kind__in=OFFICIAL_KINDS)
    order = {kind: i for i, kind in enumerate([*OFFICIAL_KINDS, Agency.Kind.SATGAS_PPA])}
    agencies = sorted(qs.distinct(), key=lambda a: (order.get(a.kind, 9), a.name))
    return [
        PublicContact(
            kind=a.kind,
            name=a.name,
            place=(a.village.name if a.village_id else a.district.name if a.district_id else ""),
            phone=a.phone,
            email=a.email,
            address=a.address,
            hours=a.opening_hours,
        )
        for a in agencies
    ]


def public_contact_lines(*, tenant: Tenant) -> list[str]:
    """The tenant's own public contact lines (tenant settings), one per line."""
    return [line.strip() for line in tenant.public_contacts.splitlines() if line.strip()]
