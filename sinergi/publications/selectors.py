"""Reads of the publications app, and the PPRA check itself (a pure read: it writes nothing)."""

from django.db import DatabaseError

from sinergi.tenants.models import Tenant

from .ppra.engine import Result, check


def ppra_check_text(*, text: str, tenant: Tenant | None = None, tenant_code: str | None = None) -> Result:
    """The PPRA findings for `text`, with the tenant's villages and its added words.

    `tenant_code` alone (the command line) works without a database too: the code is then the
    kabupaten/kota whose villages the gazetteer uses."""
    extra = None
    if tenant is None and tenant_code:
        try:
            tenant = Tenant.objects.filter(code=tenant_code).first()
        except DatabaseError:
            tenant = None
    if tenant is not None:
        extra = ppra_extra_rules(tenant=tenant)
    regency_code = tenant.regency_id if tenant is not None else tenant_code
    return check(text, regency_code=regency_code, extra_rules=extra)


def ppra_extra_rules(*, tenant: Tenant) -> dict[str, list[str]] | None:
    from .models import PpraRuleSet

    rule_set = PpraRuleSet.objects.filter(tenant=tenant).only("extra").first()
    return rule_set.extra if rule_set is not None else None
