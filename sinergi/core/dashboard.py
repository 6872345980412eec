"""A tiny registry of home-dashboard widgets.

Each app registers a provider, a function `(user) -> dict | None`, with `@register(order)`. The dict
has a "template" key plus any context; the template is included with the dict available as
`widget` (and the usual `request`/`user`). Return None when the user should not see the widget
(decide through the policy: `policy.can(user, ...)`). Providers are looked up in
`sinergi/<app>/widgets.py` (or `dashboard.py`), imported on first use; this is the dashboard part of
the plug-in contract in `sinergi.core.plugins`.

`@register(order, key="kla")`: a card with the key of a placeholder (PLACEHOLDER_MODULES below) replaces
that placeholder, so a module of a later release shows up in its place without editing core.

Order bands: 0–19 welcome and notifications, 20–79 module widgets (cases: counts, overdue items,
referral inbox), 80–99 role help, 900+ placeholders for modules of later releases.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.core.policy import has_role, is_system_admin
from sinergi.core.roles import Role

Provider = Callable[[Any], dict | None]

_providers: list[tuple[int, str, Provider]] = []
# Card key -> provider name, for real cards and for placeholders (which step aside for a real card).
_card_keys: dict[str, str] = {}
_placeholder_keys: dict[str, str] = {}
_discovered = False


def register(order: int = 100, *, key: str | None = None, placeholder: bool = False):
    def decorator(func: Provider) -> Provider:
        name = f"{func.__module__}.{func.__qualname__}"
        # Re-importing a module (autoreload, tests) must not show a widget twice.
        _providers[:] = [p for p in _providers if p[1] != name]
        _providers.append((order, name, func))
        _providers.sort(key=lambda p: (p[0], p[1]))
        if key is not None:
            (_placeholder_keys if placeholder else _card_keys)[key] = name
        return func

    return decorator


def _replaced_placeholders() -> set[str]:
    return {name for key, name in _placeholder_keys.items() if key in _card_keys}


def autodiscover() -> None:
    """Import every Sinergi app's widget module once so its providers register themselves."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if not config.name.startswith("sinergi."):
            continue
        for name in ("widgets", "dashboard"):
            module = f"{config.name}.{name}"
            if module != __name__ and importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
    _discovered = True


def widgets_for(user: Any) -> list[dict]:
    autodiscover()
    replaced = _replaced_placeholders()
    widgets = []
    for _order, name, provider in _providers:
        if name in replaced:
            continue
        widget = provider(user)
        if widget:
            widgets.append(widget)
    return widgets


# ---- Base widgets ----------------------------------------------------------------------------


@register(0)
def welcome_widget(user: Any) -> dict:
    return {
        "template": "core/widgets/_welcome.html",
        "name": user.display_name,
        "role": user.get_role_display(),
        "agency": user.agency,
        "tenant": user.tenant,
    }


# What each role can do in Sinergi (shown on the dashboard; the policy modules enforce it).
ROLE_HELP: dict[str, list[Promise]] = {
    Role.SYSTEM_ADMIN: [
        _("Manage user accounts, agencies and roles for your kabupaten/kota."),
        _("Review the audit log and the health of the platform."),
        _("Reset second factors when an officer loses a phone."),
    ],
    Role.OFFICE_HEAD: [
        _("Follow every case handled by your office and its deadlines."),
        _("Review the audit log: who read or changed which record."),
        _("Follow task-force agreements and the KLA evaluation."),
    ],
    Role.CASE_MANAGER: [
        _("Register reports and manage cases from intake to closure."),
        _("Refer victims to partner agencies and follow up their replies."),
        _("Record services, assessments and evidence safely."),
    ],
    Role.SERVICE_PROVIDER: [
        _("Receive referrals sent to your agency and accept or decline them."),
        _("Record the services your agency gives to a referred person."),
    ],
    Role.SATGAS_VOLUNTEER: [
        _("Send field reports from your kecamatan or desa."),
        _("Follow the meetings and agreements of your Satgas PPA."),
    ],
    Role.TASKFORCE_SECRETARIAT: [
        _("Prepare task-force meetings and record their agreements."),
        _("Collect KLA evidence from every OPD."),
    ],
    Role.OPD_EVIDENCE_OFFICER: [
        _("Upload your OPD's evidence for the KLA indicators."),
        _("Follow up the agreements assigned to your OPD."),
    ],
    Role.COMMUNICATIONS_OFFICER: [
        _("Check news drafts against the child-friendly reporting guideline (PPRA)."),
        _("Publish child-friendly information (ILA) and aggregate maps."),
    ],
    Role.ANALYST: [
        _("Explore aggregate statistics and maps; identities are never shown."),
        _("Prepare data for the KLA evaluation."),
    ],
}


@register(80)
def role_help_widget(user: Any) -> dict | None:
    items = ROLE_HELP.get(user.role)
    if not items:
        return None
    return {"template": "core/widgets/_role_help.html", "role": user.get_role_display(), "items": items}


@dataclass(frozen=True)
class PlaceholderModule:
    key: str
    title: Promise
    description: Promise
    roles: tuple[Role, ...]


PLACEHOLDER_MODULES = (
    PlaceholderModule(
        key="kla",
        title=_("KLA evaluation workspace"),
        description=_("Indicators per cluster, evidence from each OPD and a self-assessment score."),
        roles=(Role.OPD_EVIDENCE_OFFICER, Role.TASKFORCE_SECRETARIAT, Role.ANALYST, Role.OFFICE_HEAD),
    ),
    PlaceholderModule(
        key="maps",
        title=_("Data map and child-friendly information (ILA)"),
        description=_("Aggregate maps per kecamatan with small numbers suppressed, ready to publish."),
        roles=(Role.ANALYST, Role.COMMUNICATIONS_OFFICER, Role.OFFICE_HEAD),
    ),
)


def _placeholder_provider(module: PlaceholderModule) -> Provider:
    uses_module = has_role(*module.roles) | is_system_admin

    def provider(user: Any) -> dict | None:
        if not uses_module.test(user):
            return None
        return {
            "template": "core/widgets/_placeholder.html",
            "key": module.key,
            "title": module.title,
            "description": module.description,
            "roles": [role.label for role in module.roles],
        }

    provider.__qualname__ = f"placeholder_{module.key}"
    return provider


for _index, _module in enumerate(PLACEHOLDER_MODULES):
    register(900 + _index, key=_module.key, placeholder=True)(_placeholder_provider(_module))
