"""Notification permissions: a notification is visible to its recipient only.

Mail sent about an object (sinergi.notifications.mailer, `owner=`): who may see its deliveries is the
owner app's decision. Contract: register `"<app_label>.view_<model_name>_mail"` (obj = the owner) in your
own policy.py; `notifications.view_owner_mail` then holds for a user of the owner's tenant who passes it.
An owner without that permission shows its mail to nobody.
"""

import rules

from sinergi.core import policy
from sinergi.core.policy import in_same_tenant, is_tenant_user


@rules.predicate
def is_recipient(user, notification) -> bool:
    """The notification was addressed to the user."""
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.view_notification", is_tenant_user & in_same_tenant & is_recipient)
rules.add_perm("notifications.change_notification", is_tenant_user & in_same_tenant & is_recipient)
rules.add_perm("notifications.view_notification_list", is_tenant_user)


def owner_mail_permission(owner) -> str:
    """`"<app_label>.view_<model_name>_mail"` for an owner model or instance."""
    return f"{owner._meta.app_label}.view_{owner._meta.model_name}_mail"


@rules.predicate
def can_view_owner_mail(user, owner) -> bool:
    """The owner app lets the user see the mail sent about this object."""
    return owner is not None and policy.can(user, owner_mail_permission(owner), owner)


rules.add_perm("notifications.view_owner_mail", is_tenant_user & in_same_tenant & can_view_owner_mail)
