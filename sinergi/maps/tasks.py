from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from sinergi.tenants.models import Tenant


@db_task()
def ila_year_refresh(tenant_id, year: int, version: str, language: str) -> None:
    """Recompute a year's public figures (idempotent: the same counts give the same tables)."""
    from .public import _year_key, year_refresh

    tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first()
    if tenant is None:
        return
    with translation.override(language):
        try:
            year_refresh(tenant=tenant, year=year, version=version)
        finally:
            cache.delete(f"{_year_key(tenant, year)}:refreshing")


@db_periodic_task(crontab(minute="*/10"))
def ila_warm() -> None:
    """Keep every tenant's public figures computed, so that visitors are served from the cache."""
    from .public import public_figures_edition

    for tenant in Tenant.objects.filter(is_active=True):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                public_figures_edition(tenant=tenant, compute_missing=True)
