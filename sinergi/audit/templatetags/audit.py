"""`{% load audit %}`: `{% audit_link_for obj %}` renders an "Audit trail" link for supervisors only;
`{% audit_url_for obj %}` gives the bare URL."""

import json
from typing import Any

from django import template

from sinergi.audit.links import audit_url_for as _audit_url_for
from sinergi.core import policy

register = template.Library()


@register.simple_tag
def audit_url_for(obj: Any) -> str:
    return _audit_url_for(obj)


@register.inclusion_tag("audit/partials/_audit_link.html", takes_context=True)
def audit_link_for(context: template.Context, obj: Any) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    tenant = user.tenant if user is not None and getattr(user, "tenant_id", None) else None
    visible = obj is not None and policy.can(user, "audit.view_auditevent", tenant)
    return {"audit_url": _audit_url_for(obj) if visible else ""}


@register.filter
def audit_json(value: Any) -> str:
    """Compact JSON for an event's `extra` (escaped by the template like any other text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
