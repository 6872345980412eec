"""Which tenant owns an object: the one rule, for the policy, documents and audit.

A Tenant belongs to itself; any other object belongs to the tenant in its `tenant_id` (None when it
has none). Imports nothing, so that every layer (audit included) can use it without a cycle.
"""

from typing import Any


def tenant_id_of(obj: Any) -> Any:
    """The primary key of the tenant that owns `obj`, or None."""
    if obj is None:
        return None
    meta = getattr(obj, "_meta", None)
    if meta is not None and meta.label_lower == "tenants.tenant":
        return obj.pk
    return getattr(obj, "tenant_id", None)
