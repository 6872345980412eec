"""Which kinds of agency provide which service: the referral form offers only these, the service refuses others.

One owner for the rule (forms, API and `services.referral_create` all ask here)."""

from django.db.models import QuerySet

from sinergi.tenants.models import Agency

from . import taxonomy as t

K = Agency.Kind
S = t.ServiceType

PROVIDER_KINDS: dict[str, frozenset[str]] = {
    S.MEDICAL: frozenset({K.DINKES, K.HEALTH_FACILITY, K.UPTD_PPA}),
    S.PSYCHOLOGICAL: frozenset({K.UPTD_PPA, K.HEALTH_FACILITY, K.DINKES, K.DINSOS, K.NGO, K.UNIVERSITY}),
    S.LEGAL_AID: frozenset({K.LEGAL_AID, K.UPTD_PPA, K.OFFICE, K.NGO}),
    S.POLICE: frozenset({K.POLICE_PPA}),
    S.SOCIAL_REHAB: frozenset({K.DINSOS, K.UPTD_PPA, K.NGO}),
    S.SHELTER: frozenset({K.DINSOS, K.UPTD_PPA, K.OFFICE, K.NGO}),
    S.SCHOOLING: frozenset({K.DISDIK, K.SCHOOL, K.KEMENAG}),
    S.SOCIAL_ASSISTANCE: frozenset({K.DINSOS}),
    S.REINTEGRATION: frozenset({K.DINSOS, K.UPTD_PPA, K.NGO}),
    S.REPATRIATION: frozenset({K.DINSOS, K.UPTD_PPA, K.OFFICE}),
    S.RESTITUTION: frozenset({K.LPSK, K.LEGAL_AID, K.PROSECUTOR}),
    S.RELIGIOUS: frozenset({K.KEMENAG, K.RELIGIOUS_ORG}),
    S.MEDIATION: frozenset({K.UPTD_PPA, K.OFFICE}),
}
# An agency of kind "other" is whatever the tenant registered it for: it may be offered for any service.
PROVIDER_KINDS = {service: kinds | {K.OTHER} for service, kinds in PROVIDER_KINDS.items()}
assert set(PROVIDER_KINDS) == set(S.values), "every service needs its provider kinds"


def agency_provides(agency: Agency, service_type: str) -> bool:
    return agency.kind in PROVIDER_KINDS.get(service_type, ())


def agencies_providing(*, tenant_id, service_type: str | None) -> QuerySet[Agency]:
    """Active agencies of the tenant that provide `service_type` (every provider of any service if None)."""
    kinds = PROVIDER_KINDS.get(service_type) if service_type else frozenset().union(*PROVIDER_KINDS.values())
    return Agency.objects.filter(tenant_id=tenant_id, is_active=True, kind__in=kinds or ()).order_by("name")
