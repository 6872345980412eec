from typing import Any

from sinergi.core import policy
from sinergi.core.dashboard import register

from . import selectors


@register(60, key="plugin_visits")
def visits_card(user: Any) -> dict | None:
    if not user.tenant_id or not policy.can(user, "plugin_app.view_visit_list", user.tenant):
        return None
    return {"template": "plugin_app/_card.html", "count": selectors.visit_list_for_user(user=user).count()}
