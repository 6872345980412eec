"""Reads: a user's own notifications only (lists and single objects use the same scope)."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from sinergi.core import policy

from .models import Notification


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


def unread_count_for_user(*, user: Any) -> int:
    """Number of unread notifications, for the navigation badge."""
    return _visible_to(user).filter(read_at__isnull=True).count()


def notification_get_for_user(*, user: Any, pk: UUID) -> Notification:
    """One of the user's notifications; 404 when it does not exist or belongs to someone else."""
    notification = _visible_to(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    policy.require_visible(user, "notifications.view_notification", notification)
    return notification
