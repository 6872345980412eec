"""Registries through which an app plugs into the platform, by adding files only.

Contract for an app under `sinergi/<app>/` (taskforces, kla, maps, publications...). Nothing in core, in
`config/` or in another app is edited; core imports nothing from the apps above it.

1. Add the app to INSTALLED_APPS. At start-up `CoreConfig.ready` imports, for every installed app,
   `<app>/policy.py` (its `rules` permissions) and then `<app>/plugin.py`, which registers here:

       from django.utils.translation import gettext_lazy as _
       from sinergi.core import plugins

       plugins.url_include("meetings/", "sinergi.taskforces.urls")                  # /meetings/...
       plugins.url_include("taskforces/", "sinergi.taskforces.api_urls", api=True)  # /api/v1/taskforces/...
       plugins.url_include("rapat/", "sinergi.taskforces.urls_public", public=True)  # no login, no 2FA
       plugins.nav_entry("taskforces", _("Task forces"), "taskforces:list", order=30,
                         permission="taskforces.view_meeting_list")
       plugins.audit_events({"meeting.created": _("Meeting created")})
       plugins.audit_object_namer("taskforces.meeting", name_meetings)
       plugins.demo_seeder("taskforces", seed_meetings, order=60)

2. Dashboard cards live in `<app>/dashboard.py` with `@sinergi.core.dashboard.register(order, key=...)`
   (see that module). A card whose key is a placeholder's ("taskforces", "kla", "maps", "ppra") replaces
   the placeholder of a later release.
3. Documents attach to any model through `sinergi.documents` (contract in `documents/policy.py`: two
   permissions per owner model; `documents.services.owner_document_upload`; `documents.api.OwnerDocumentsApi`).
4. Notification kinds go in `<app>/notification_kinds.py`, background job kinds in `<app>/jobs.py`.

What each registry promises:

- `url_include(prefix, module, *, api=False, public=False)`: `config/urls.py` mounts `module` at `prefix`
  (under `/api/v1/` with `api=True`). `public=True` marks pages for people without an account: the
  second-factor gate lets them through (they must not need a login either). A prefix is registered once.
- `nav_entry(key, label, url_name, *, order, permission=None, exact=False, badge_template="")`: one link in
  the main navigation, ordered by `order` (0 dashboard, 20–29 cases, 30–59 the next modules, 60–99
  agencies, notifications, audit, account, 100 API docs). It is shown to a signed-in user when
  `policy.can(user, permission, user.tenant)` (always when `permission` is None) and the URL resolves.
- `second_factor_exempt(prefix)`: a path prefix a signed-in user without a verified second factor may
  still reach (sign-in pages, static files, health). Public URL includes are exempt already.
- `audit_events({action: label})`: every action an app passes to `audit.services.record` is declared
  once, with a translated label for the audit trail. `record` refuses an undeclared action when
  `SINERGI_AUDIT_STRICT_EVENTS` is on (tests, development); a test finds every action string in the code.
- `audit_object_namer(model_label, func)`: `func(viewer, object_ids) -> {object_id: name}` names objects in
  the audit trail. Return a name only for objects `viewer` may see, and never a protected identity (a case
  number is fine, a child's name is not); objects without a name are shown by type and short id.
- `demo_seeder(key, func, *, order=100)`: `manage.py demo_seed` runs every seeder by `order` in one
  transaction, passing a `DemoRun`; a seeder is idempotent (a second run adds nothing), reads what earlier
  seeders left in `run.data` (the demo app leaves "tenants", "agencies" and "users") and returns lines
  for the summary. The demo app's seeders run at orders 10 (tenants, logins) and 50 (cases).
- `key_rotation(key, func, *, label)`: `manage.py rotate_field_keys` calls `func()` after the encrypted
  fields, for data encrypted outside model fields (e.g. stored files); it returns counts
  (`{"rotated": n, "current": n, "missing": n}`), printed after `label` and kept in the audit event
  under `key`.
- `public_section(key, template, func, *, order=100)`: a section of the public ILA page (/ila/<code>/),
  e.g. the KLA summary: `func(tenant)` returns the context of `template` (as `section`) or None, and
  nothing is rendered when it is empty. The page is cached whole for up to 5 minutes
  (sinergi.maps.page_cache): a section that must show a change at once bumps the tenant's page with
  `sinergi.maps.page_cache.public_page_bump(tenant_id)`.
- `audit_recorder(func)`: installed once by the audit app, so that core's own commands (backup, restore,
  key rotation) write their audit events without importing it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

logger = logging.getLogger(__name__)

Label = str | Promise


class PluginError(Exception):
    """A registration that contradicts an earlier one (two owners for the same key)."""


# ---- URL includes and the second-factor gate ---------------------------------------------------------


@dataclass(frozen=True)
class UrlInclude:
    prefix: str
    module: str
    api: bool = False
    public: bool = False


_url_includes: dict[tuple[bool, str], UrlInclude] = {}
_exempt_prefixes: list[str] = []


def url_include(prefix: str, module: str, *, api: bool = False, public: bool = False) -> UrlInclude:
    """Mount `module` at `prefix` (site root, or `/api/v1/` with `api=True`)."""
    if not prefix.endswith("/") or prefix.startswith("/"):
        raise PluginError(f"URL prefix {prefix!r} must be relative and end with '/'.")
    entry = UrlInclude(prefix=prefix, module=module, api=api, public=public)
    existing = _url_includes.get((api, prefix))
    if existing is not None and existing != entry:
        raise PluginError(f"URL prefix {prefix!r} is already mounted for {existing.module}.")
    _url_includes[(api, prefix)] = entry
    return entry


def url_includes(*, api: bool) -> list[UrlInclude]:
    """The registered includes in registration order (INSTALLED_APPS order)."""
    return [entry for (is_api, _prefix), entry in _url_includes.items() if is_api == api]


def second_factor_exempt(prefix: str) -> None:
    """A path prefix reachable before the second factor is verified."""
    if not prefix.startswith("/"):
        raise PluginError(f"Exempt path {prefix!r} must be absolute.")
    if prefix not in _exempt_prefixes:
        _exempt_prefixes.append(prefix)


def second_factor_exempt_prefixes() -> tuple[str, ...]:
    public = [f"/{entry.prefix}" for entry in _url_includes.values() if entry.public and not entry.api]
    return tuple(dict.fromkeys([*_exempt_prefixes, *public]))


# ---- Navigation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: Label
    url_name: str
    order: int
    permission: str | None = None
    exact: bool = False
    badge_template: str = ""
    mark_current: bool = True


_nav: dict[str, NavEntry] = {}


def nav_entry(
    key: str,
    label: Label,
    url_name: str,
    *,
    order: int,
    permission: str | None = None,
    exact: bool = False,
    badge_template: str = "",
    mark_current: bool = True,
) -> NavEntry:
    """One link of the main navigation (see the module docstring for `order` and visibility).

    `exact`: marked as the current page only on its own path, not below it; `mark_current=False`: never.
    `badge_template` is included after the label (e.g. the unread-notifications count).
    """
    entry = NavEntry(key, label, url_name, order, permission, exact, badge_template, mark_current)
    existing = _nav.get(key)
    if existing is not None and existing.url_name != url_name:
        raise PluginError(f"Navigation entry {key!r} is already registered for {existing.url_name}.")
    _nav[key] = entry
    return entry


def nav_entries() -> list[NavEntry]:
    return sorted(_nav.values(), key=lambda e: (e.order, e.key))


# ---- Audit event types and object names --------------------------------------------------------------


_audit_events: dict[str, Label] = {}
ObjectNamer = Callable[[Any, list[str]], Mapping[str, str]]
_object_namers: dict[str, ObjectNamer] = {}
_audit_recorder: list[Callable[..., Any]] = []


def audit_events(events: Mapping[str, Label]) -> None:
    """Declare audit actions with their human labels; an action has one owner."""
    for action, label in events.items():
        if action in _audit_events and _audit_events[action] != label:
            raise PluginError(f"Audit action {action!r} is declared twice with different labels.")
        _audit_events[action] = label


def audit_event_label(action: str) -> Label | None:
    return _audit_events.get(action)


def is_audit_event(action: str) -> bool:
    return action in _audit_events


def declared_audit_events() -> dict[str, Label]:
    return dict(_audit_events)


def audit_object_namer(model_label: str, func: ObjectNamer) -> None:
    """`func(viewer, object_ids) -> {object_id: name}` for objects of `model_label` ("cases.case")."""
    _object_namers[model_label] = func


def audit_object_names(viewer: Any, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names for (model_label, object_id) pairs, one call per model; unnamed pairs are left out."""
    by_type: dict[str, set[str]] = {}
    for model_label, object_id in refs:
        if model_label in _object_namers and object_id:
            by_type.setdefault(model_label, set()).add(object_id)
    names: dict[tuple[str, str], str] = {}
    for model_label, ids in by_type.items():
        for object_id, name in _object_namers[model_label](viewer, sorted(ids)).items():
            names[(model_label, object_id)] = name
    return names


def parse_uuids(object_ids: Iterable[str]) -> list[uuid.UUID]:
    """The ids that are UUIDs (for a namer's `pk__in`; an odd id in an old event is skipped)."""
    parsed = []
    for object_id in object_ids:
        try:
            parsed.append(uuid.UUID(str(object_id)))
        except ValueError:
            continue
    return parsed


def audit_recorder(func: Callable[..., Any]) -> None:
    """Installed by the audit app: `func(**kwargs)` is `sinergi.audit.services.record`."""
    _audit_recorder[:] = [func]


def audit_record(**kwargs: Any) -> Any:
    """For core's own commands: write an audit event through the installed recorder (never silently none)."""
    if not _audit_recorder:
        raise PluginError("No audit recorder is installed (is sinergi.audit in INSTALLED_APPS?).")
    return _audit_recorder[0](**kwargs)


# ---- Demo data ---------------------------------------------------------------------------------------


@dataclass
class DemoRun:
    cases: int
    seed: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    seed: Callable[[DemoRun], Iterable[str] | None]
    order: int = 100


_demo_seeders: dict[str, DemoSeeder] = {}


def demo_seeder(key: str, func: Callable[[DemoRun], Iterable[str] | None], *, order: int = 100) -> None:
    _demo_seeders[key] = DemoSeeder(key=key, seed=func, order=order)


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_demo_seeders.values(), key=lambda s: (s.order, s.key))


# ---- Key rotation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRotation:
    key: str
    label: str
    rotate: Callable[[], Mapping[str, int]]


_key_rotations: dict[str, KeyRotation] = {}


def key_rotation(key: str, func: Callable[[], Mapping[str, int]], *, label: str) -> None:
    _key_rotations[key] = KeyRotation(key=key, label=label, rotate=func)


def key_rotations() -> list[KeyRotation]:
    return list(_key_rotations.values())


# ---- Sections of the public ILA page (e.g. the KLA summary) ------------------------------------------


@dataclass(frozen=True)
class PublicSection:
    key: str
    template: str
    func: Callable[[Any], Mapping[str, Any] | None]
    order: int = 100


_public_sections: dict[str, PublicSection] = {}


def public_section(
    key: str, template: str, func: Callable[[Any], Mapping[str, Any] | None], *, order: int = 100
) -> None:
    """A section of the public ILA page of a tenant (no login, so only figures meant for everyone).

    `func(tenant)` returns the template's context (`section` in `template`), or None/empty when there is
    nothing to show: then the section is not rendered at all. It runs on a public request: keep it
    cheap (read from a cache) and never return a name, a case number or a figure below kecamatan.
    """
    existing = _public_sections.get(key)
    if existing is not None and (existing.template, existing.func) != (template, func):
        raise PluginError(f"Public section {key!r} is already registered.")
    _public_sections[key] = PublicSection(key, template, func, order)


def public_sections(tenant: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """(template, context) of every public section with something to show, by order."""
    out = []
    for section in sorted(_public_sections.values(), key=lambda s: (s.order, s.key)):
        try:
            context = section.func(tenant)
        except Exception:  # one broken section must not take the public page down
            logger.exception("Public section %s failed", section.key)
            continue
        if context:
            out.append((section.template, context))
    return out
