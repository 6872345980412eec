"""Writes: create notifications, mark them read, send their e-mails (from the worker)."""

import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.core import policy

from .models import Notification, validate_relative_url

logger = logging.getLogger(__name__)

TITLE_REQUIRED = _("A notification needs a title.")
TITLE_TOO_LONG = _("The notification title is too long (at most 200 characters).")
LOOKS_LIKE_NIK = _("Notifications must not contain identity numbers (NIK).")

# 16 digits, possibly grouped with spaces, dots or dashes: the shape of a NIK.
_NIK_RE = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")


def _validate_text(*, kind: str, title: str, body: str, url: str) -> None:
    validate_slug(kind)
    if not title.strip():
        raise ValidationError(TITLE_REQUIRED, code="required")
    if len(title) > Notification._meta.get_field("title").max_length:
        raise ValidationError(TITLE_TOO_LONG, code="max_length")
    if _NIK_RE.search(title) or _NIK_RE.search(body):
        raise ValidationError(LOOKS_LIKE_NIK, code="identity_data")
    validate_relative_url(url)


def notify(
    *, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Create one notification per active recipient (in the recipient's tenant); e-mail after commit.

    `title` and `body` must never contain identity data: they travel by e-mail and appear in lists.
    """
    _validate_text(kind=kind, title=title, body=body, url=url)
    seen: set = set()
    rows: list[Notification] = []
    now = timezone.now()
    for user in recipients:
        if user.pk in seen or not user.is_active or not user.tenant_id:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                tenant_id=user.tenant_id,
                recipient=user,
                kind=kind,
                title=title.strip(),
                body=body.strip(),
                url=url,
                created_at=now,
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        if email:
            ids = [str(n.pk) for n in created if n.recipient.email]
            if ids:
                from . import tasks

                transaction.on_commit(lambda: tasks.send_notification_emails(ids))
    return created


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications as read (idempotent)."""
    policy.require_visible(actor, "notifications.change_notification", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor as read; returns how many changed."""
    policy.require(actor, "notifications.view_notification_list")
    return Notification.objects.filter(recipient=actor, tenant_id=actor.tenant_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _email_text(notification: Notification) -> tuple[str, str]:
    site = settings.SINERGI_SITE_NAME
    base_url = getattr(settings, "SINERGI_BASE_URL", "").rstrip("/")
    # Only the title and a link travel by e-mail: the body stays behind the login.
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[{site}] {notification.title}"
        lines = [
            gettext("You have a new notification in %(site)s:") % {"site": site},
            "",
            notification.title,
            "",
        ]
        if notification.url and base_url:
            lines.append(gettext("Open it here (login required): %(url)s") % {"url": base_url + notification.url})
        else:
            lines.append(gettext("Log in to %(site)s to read it.") % {"site": site})
        lines += ["", gettext("This message was sent automatically. Do not reply to it.")]
    return subject, "\n".join(lines)


def notification_send_emails(*, notification_ids: Iterable[str]) -> int:
    """Send the e-mail of each not-yet-e-mailed notification to its active recipient; returns the count."""
    pending = list(
        Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("created_at")
    )
    deliverable = [n for n in pending if n.recipient.is_active and n.recipient.email]
    if not deliverable:
        return 0
    messages = []
    for notification in deliverable:
        subject, text = _email_text(notification)
        messages.append((subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]))
    # Raise on SMTP errors so huey retries; emailed_at is only set once the batch went out.
    sent = send_mass_mail(messages, fail_silently=False)
    Notification.objects.filter(pk__in=[n.pk for n in deliverable], emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    logger.info("notification emails sent: %s", sent)
    return sent
