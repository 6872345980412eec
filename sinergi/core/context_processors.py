from django.conf import settings


def sinergi(request):
    user = getattr(request, "user", None)
    tenant = getattr(user, "tenant", None) if user is not None and user.is_authenticated else None
    return {"SITE_NAME": settings.SINERGI_SITE_NAME, "current_tenant": tenant}
