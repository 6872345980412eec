"""Reads: a user's own notifications only (lists and single objects use the same scope)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.urls import reverse

from sinergi.core import policy

from . import kinds
from .models import MailDelivery, Notification


def _visible_to(user: Any) -> QuerySet[Notification]:
    if not policy.can(user, "notifications.view_notification_list"):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, tenant_id=user.tenant_id)


def notification_list_for_user(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    qs = _visible_to(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_list_of_kind(*, user: Any, kind: str, unread_only: bool = False) -> QuerySet[Notification]:
    return notification_list_for_user(user=user, unread_only=unread_only).filter(kind=kind)


@dataclass(frozen=True)
class NotificationGroup:
    """Unread notifications of one kind: one line ("12 referrals overdue") instead of 12 items."""

    kind: str
    count: int
    latest_at: Any
    label: str
    url: str
    single: Notification | None = None  # the notification itself when the group has only one


def unread_groups_for_user(*, user: Any, limit: int = 5) -> list[NotificationGroup]:
    """The user's unread notifications grouped by kind, the most recent group first (two queries)."""
    return unread_summary_for_user(user=user, limit=limit)[0]


def unread_summary_for_user(*, user: Any, limit: int = 5) -> tuple[list[NotificationGroup], int]:
    """(the `limit` most recent groups, the number of unread notifications) from one GROUP BY over kinds
    (a few dozen at most, from the kinds registry) instead of the groups and a separate COUNT."""
    unread = _visible_to(user).filter(read_at__isnull=True)
    every = list(unread.values("kind").annotate(count=Count("pk"), latest_at=Max("created_at")).order_by("-latest_at"))
    rows = every[:limit]
    singles_wanted = [r["kind"] for r in rows if r["count"] == 1]
    singles = {n.kind: n for n in unread.filter(kind__in=singles_wanted)} if singles_wanted else {}
    groups = []
    for row in rows:
        kind = kinds.get(row["kind"])
        single = singles.get(row["kind"]) if row["count"] == 1 else None
        if single is not None:
            label, url = single.title, single.url
        else:
            label = kind.group_label(row["count"])
            url = kind.list_url() if kind.list_url else f"{reverse('notifications:list')}?unread=1&kind={kind.slug}"
        groups.append(NotificationGroup(row["kind"], row["count"], row["latest_at"], label, url, single))
    total = sum(r["count"] for r in every)
    # The navigation badge of the same page shows this total: kept on this request's user object, so the
    # badge does not COUNT again (unread_count_for_nav). The object lives as long as the request.
    setattr(user, _NAV_COUNT, total)
    return groups, total


def unread_count_for_user(*, user: Any) -> int:
    """Number of unread notifications (counted now)."""
    return _visible_to(user).filter(read_at__isnull=True).count()


_NAV_COUNT = "_sinergi_unread_notifications"


def unread_count_for_nav(*, user: Any) -> int:
    """The navigation badge: the total this request's dashboard summary already counted, else a count."""
    known = getattr(user, _NAV_COUNT, None)
    return known if known is not None else unread_count_for_user(user=user)


def notification_get_for_user(*, user: Any, pk: UUID) -> Notification:
    """One of the user's notifications; 404 when it does not exist or belongs to someone else."""
    notification = _visible_to(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    policy.require_visible(user, "notifications.view_notification", notification)
    return notification


def mail_delivery_list_for_owner(*, user: Any, owner: Any) -> QuerySet[MailDelivery]:
    """Every delivery of the mail sent about `owner`, newest message first; 404 unless the owner app
    lets the user see it (`<app_label>.view_<model_name>_mail`, see policy.py)."""
    policy.require_visible(user, "notifications.view_owner_mail", owner)
    return (
        MailDelivery.objects.filter(
            message__tenant_id=user.tenant_id,
            message__owner_type=ContentType.objects.get_for_model(owner),
            message__owner_id=str(owner.pk),
        )
        .select_related("message")
        .order_by("-message__created_at", "address")
    )
