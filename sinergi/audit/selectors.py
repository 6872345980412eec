"""Reading audit events, always scoped to the reader's tenant."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.core import plugins, policy

from .models import AuditEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_event_list_for_user(
    *,
    user: User,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: Any = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events of the user's tenant, newest first; empty unless the user may read the audit trail.

    `action` matches exactly or as a prefix ("case" finds "case.create"); dates are whole local days.
    """
    tenant = user.tenant if getattr(user, "tenant_id", None) else None
    if not policy.can(user, "audit.view_auditevent", tenant):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(tenant_id=user.tenant_id).select_related("actor")  # type: ignore[misc]
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=str(object_id))
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(Q(action=action) | Q(action__startswith=action.rstrip(".") + "."))
    if date_from:
        events = events.filter(created_at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return events.order_by("-id")


def audit_actor_list_for_user(*, user: User) -> QuerySet:
    """Users of the reader's tenant (active or not), for the "per user" filter."""
    if not getattr(user, "tenant_id", None):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(tenant_id=user.tenant_id)  # type: ignore[misc]  # checked above
        .only("id", "username", "full_name")
        .order_by("full_name", "username")
    )


def audit_object_type_list() -> list[str]:
    """Model labels events can point at (suggestions for the object filter; no database query)."""
    return sorted(m._meta.label_lower for m in apps.get_models() if m._meta.app_config.name.startswith("sinergi."))


def _object_type_name(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def audit_events_describe(*, user: Any, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Set `action_label` and `object_label` on each event, for the audit trail's readers.

    The label is the one the owning app declared (sinergi.core.plugins.audit_events). The object is
    named by its app's namer, which names only what `user` may see and never a protected identity
    (a case number, not a child's name); otherwise it reads "<type> <short id>".
    """
    events = list(events)
    names = plugins.audit_object_names(user, [(e.object_type, e.object_id) for e in events if e.object_type])
    for event in events:
        event.action_label = str(plugins.audit_event_label(event.action) or event.action)  # type: ignore[attr-defined]
        if not event.object_type:
            event.object_label = ""  # type: ignore[attr-defined]
            continue
        name = names.get((event.object_type, event.object_id))
        label = name or f"{_object_type_name(event.object_type)} {event.object_id[:8]}…".strip()
        event.object_label = label  # type: ignore[attr-defined]
    return events
