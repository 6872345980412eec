"""Home-dashboard card of the publications app (its navigation entry is one line in partials/_header.html)."""

from typing import Any

from django.urls import reverse

from sinergi.core import policy
from sinergi.core.dashboard import register


@register(40)
def ppra_checker_widget(user: Any) -> dict | None:
    if not user.tenant_id or not policy.can(user, "publications.use_checker", user.tenant):
        return None
    return {"template": "publications/partials/_widget.html", "url": reverse("publications:checker")}
