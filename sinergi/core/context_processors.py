from django.conf import settings


def sinergi(request):
    user = getattr(request, "user", None)
    tenant = getattr(user, "tenant", None) if user is not None and user.is_authenticated else None
    # The header names the user's own agency (a Dinsos officer sees "Dinsos Kukar"), else the office.
    agency = getattr(user, "agency", None) if tenant is not None else None
    agency_name = agency.short_name if agency is not None else getattr(tenant, "office_short_name", "")
    return {"SITE_NAME": settings.SINERGI_SITE_NAME, "current_tenant": tenant, "current_agency_name": agency_name}
