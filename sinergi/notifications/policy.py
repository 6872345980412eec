"""Notification permissions: a notification is visible to its recipient only."""

import rules

from sinergi.core.policy import in_same_tenant, is_tenant_user


@rules.predicate
def is_recipient(user, notification) -> bool:
    """The notification was addressed to the user."""
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notification", is_tenant_user & in_same_tenant & is_recipient)
rules.add_perm("notifications.change_notification", is_tenant_user & in_same_tenant & is_recipient)
rules.add_perm("notifications.view_notification_list", is_tenant_user)
