"""Home-dashboard widget of the task forces (registered with sinergi.core.dashboard)."""

from typing import Any

from django.urls import reverse

from sinergi.core import policy
from sinergi.core.dashboard import register

from . import selectors


@register(40)
def commitments_widget(user: Any) -> dict | None:
    """Agency staff: their agency's open agreements; secretariat and office head: the overdue count."""
    if not policy.can(user, "taskforces.view_taskforces"):
        return None
    return {
        "template": "taskforces/partials/_widget.html",
        "open": selectors.commitments_for_user(user=user).count(),
        "overdue": selectors.overdue_list_for_user(user=user).count(),
        "commitments_url": reverse("taskforces:commitments"),
        "overdue_url": reverse("taskforces:overdue"),
        "home_url": reverse("taskforces:home"),
    }
