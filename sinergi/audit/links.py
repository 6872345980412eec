"""Links into the audit trail, for other apps ("audit trail of this object")."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse


def audit_url_for(obj: Any) -> str:
    """URL of the audit list filtered to one object (any model instance)."""
    query = urlencode({"object_type": obj._meta.label_lower, "object_id": str(obj.pk)})
    return f"{reverse('audit:list')}?{query}"
