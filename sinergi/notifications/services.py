"""Writes: create notifications, mark them read, send their e-mails (from the worker)."""

import contextlib
import logging
import re
import smtplib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.core import policy

from . import kinds
from .models import DigestLog, Notification, NotificationPreference, validate_relative_url

logger = logging.getLogger(__name__)

TITLE_REQUIRED = _("A notification needs a title.")
TITLE_TOO_LONG = _("The notification title is too long (at most 200 characters).")
UNKNOWN_KIND = _("Unknown kind of notification: %(kinds)s.")
UNKNOWN_CHANNEL = _("Choose in the app, by e-mail or in the daily summary.")
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
    users = [u for u in recipients if u.is_active and u.tenant_id]
    channels = _channels(users=users, kind=kind)
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        channel = channels[user.pk]
        rows.append(
            Notification(
                tenant_id=user.tenant_id,
                recipient=user,
                kind=kind,
                title=title.strip(),
                body=body.strip(),
                url=url,
                created_at=now,
                is_email_wanted=email and bool(user.email) and channel == kinds.EMAIL,
                is_digest_wanted=email and bool(user.email) and channel == kinds.DIGEST,
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        if email:
            ids = [str(n.pk) for n in created if n.is_email_wanted]
            if ids:
                from . import tasks

                transaction.on_commit(lambda: tasks.send_notification_emails(ids))
    return created


def _channels(*, users: list[Any], kind: str) -> dict[Any, str]:
    """Each recipient's delivery channel for this kind: their preference, else the kind's default."""
    default = kinds.get(kind).default_channel
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=[u.pk for u in users], kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {u.pk: chosen.get(u.pk, default) for u in users}


@transaction.atomic
def notification_preferences_set(*, actor: Any, channels: dict[str, str]) -> dict[str, str]:
    """Save the actor's channel per kind (only registered kinds and known channels); returns them all."""
    policy.require(actor, "notifications.view_notification_list")
    known = {k.slug for k in kinds.registered()}
    unknown = sorted(set(channels) - known)
    if unknown:
        raise ValidationError(UNKNOWN_KIND, params={"kinds": ", ".join(unknown)}, code="unknown_kind")
    if any(channel not in kinds.CHANNELS for channel in channels.values()):
        raise ValidationError(UNKNOWN_CHANNEL, code="unknown_channel")
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"channel": channel})
    from sinergi.audit.services import record as audit

    audit(actor=actor, action="notifications.preferences_changed", extra={"kinds": sorted(channels)})
    return notification_preferences_for(user=actor)


def notification_preferences_for(*, user: Any) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {k.slug: chosen.get(k.slug, k.default_channel) for k in kinds.registered()}


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


def _pending_email() -> Q:
    return Q(is_email_wanted=True, emailed_at__isnull=True, email_given_up_at__isnull=True)


def _retry_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.SINERGI_EMAIL_RETRY_AFTER)


def _email_claim(*, notification_id: Any, now: datetime) -> bool:
    """Take one pending notification for sending; only one sender can win it.

    A conditional UPDATE (atomic on SQLite and PostgreSQL): a row is free when nobody attempted it yet,
    or when the last attempt is older than the safe delay (its sender failed or died).
    """
    claimed = (
        Notification.objects.filter(_pending_email(), pk=notification_id)
        .filter(email_attempts__lt=settings.SINERGI_EMAIL_MAX_ATTEMPTS)
        .filter(Q(email_attempted_at__isnull=True) | Q(email_attempted_at__lt=_retry_cutoff(now)))
        .update(email_attempted_at=now, email_attempts=F("email_attempts") + 1)
    )
    return claimed == 1


def _email_failed(*, notification: Notification, reason: str) -> None:
    """Record why this attempt failed; give up once the attempts are used up (the sweep retries before)."""
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(email_error=reason[:100])
    given_up = Notification.objects.filter(
        pk=notification.pk,
        emailed_at__isnull=True,
        email_given_up_at__isnull=True,
        email_attempts__gte=settings.SINERGI_EMAIL_MAX_ATTEMPTS,
    ).update(email_given_up_at=now)
    if given_up:
        logger.error(
            "notification email given up after %s attempts: %s (%s)",
            notification.email_attempts,
            notification.pk,
            reason,
        )
    else:
        logger.warning("notification email failed, will retry: %s (%s)", notification.pk, reason)


def _email_not_deliverable(*, notification: Notification) -> None:
    Notification.objects.filter(_pending_email(), pk=notification.pk).update(
        email_given_up_at=timezone.now(), email_error="recipient_inactive_or_without_email"
    )


def notification_send_emails(*, notification_ids: Iterable[Any]) -> int:
    """E-mail each pending notification of `notification_ids` to its active recipient; returns the count.

    At least once, marked per message: each row is claimed, sent and marked on its own, over one SMTP
    connection, so a worker that dies mid-batch leaves at most the one message in flight unmarked
    (the periodic re-send delivers it, perhaps twice) and every other row exactly right. SMTP errors
    are recorded on the row instead of raised: `notification_resend_emails` retries after a delay.
    """
    pending = list(
        Notification.objects.filter(_pending_email(), pk__in=list(notification_ids))
        .select_related("recipient")
        .order_by("created_at")
    )
    sent = 0
    connection = None
    try:
        for notification in pending:
            recipient = notification.recipient
            if not (recipient.is_active and recipient.email):
                _email_not_deliverable(notification=notification)
                continue
            if connection is None:
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except Exception as exc:  # SMTP down: nothing claimed yet, the re-send tries later
                    logger.warning("mail server unavailable: %s", exc.__class__.__name__)
                    connection = None
                    break
            if not _email_claim(notification_id=notification.pk, now=timezone.now()):
                continue  # another sender has it, or it was sent meanwhile
            notification.email_attempts += 1
            subject, text = _email_text(notification)
            message = EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient.email], connection=connection)
            try:
                delivered = connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                _email_failed(notification=notification, reason=exc.__class__.__name__)
                continue  # this address only: the connection is still good
            except Exception as exc:
                _email_failed(notification=notification, reason=exc.__class__.__name__)
                break  # the connection is likely gone: the rest waits for the re-send
            if not delivered:
                _email_failed(notification=notification, reason="not_sent")
                break
            Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now(), email_error=""
            )
            sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    if sent:
        logger.info("notification emails sent: %s", sent)
    return sent


def notification_resend_emails(*, limit: int = 500) -> int:
    """Periodic: send the e-mails still pending after the safe delay (worker killed, SMTP down).

    The delay (SINERGI_EMAIL_RETRY_AFTER) keeps the re-send away from rows the normal path is still
    working on, so the normal path never sends twice. Rows whose attempts are used up are given up.
    """
    now = timezone.now()
    cutoff = _retry_cutoff(now)
    due = Notification.objects.filter(_pending_email(), created_at__lt=cutoff).filter(
        Q(email_attempted_at__isnull=True) | Q(email_attempted_at__lt=cutoff)
    )
    exhausted = due.filter(email_attempts__gte=settings.SINERGI_EMAIL_MAX_ATTEMPTS).update(
        email_given_up_at=now, email_error="too_many_attempts"
    )
    if exhausted:
        logger.error(
            "notification emails given up after %s attempts: %s", settings.SINERGI_EMAIL_MAX_ATTEMPTS, exhausted
        )
    ids = list(
        due.filter(email_attempts__lt=settings.SINERGI_EMAIL_MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return notification_send_emails(notification_ids=ids) if ids else 0


# ---- daily summary ------------------------------------------------------------------------------

DIGEST_HOUR = 7  # local time of the recipient's tenant: the summary is waiting at the start of the day
DIGEST_MAX_ITEMS = 200


def _digest_text(*, rows: list[Notification]) -> tuple[str, str]:
    site = settings.SINERGI_SITE_NAME
    base_url = getattr(settings, "SINERGI_BASE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("[%(site)s] Your daily summary") % {"site": site}
        lines = [gettext("What happened in %(site)s since your last summary:") % {"site": site}, ""]
        for kind, count in Counter(row.kind for row in rows).most_common():
            lines.append(f"- {kinds.get(kind).group_label(count)}")
        lines.append("")
        for row in rows[:20]:  # titles only: never identity data (see the model)
            lines.append(f"* {row.title}")
        if len(rows) > 20:
            lines.append(gettext("… and %(count)d more.") % {"count": len(rows) - 20})
        lines.append("")
        if base_url:
            url = base_url + reverse("notifications:list")
            lines.append(gettext("Open them here (login required): %(url)s") % {"url": url})
        lines += ["", gettext("This message was sent automatically. Do not reply to it.")]
    return subject, "\n".join(lines)


def notification_send_digests(*, now: datetime | None = None) -> int:
    """Send each recipient with pending summary items one e-mail, once per local day, from their local
    morning on (DIGEST_HOUR in their tenant's zone). Safe to run twice: a DigestLog row claims the day;
    items are marked after the e-mail went out (at least once)."""
    from sinergi.accounts.models import User
    from sinergi.core import clock

    now = now or timezone.now()
    pending = Notification.objects.filter(is_digest_wanted=True, digested_at__isnull=True, created_at__lte=now)
    user_ids = list(pending.values_list("recipient_id", flat=True).distinct()[:5000])
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related("tenant"):
        local = clock.tenant_now(user.tenant, now)
        if local.hour < DIGEST_HOUR or not user.email:
            continue
        log, created = DigestLog.objects.get_or_create(user=user, local_date=local.date())
        if not created:
            continue  # today's summary is out (or being sent by another worker)
        rows = list(pending.filter(recipient=user).order_by("created_at")[:DIGEST_MAX_ITEMS])
        if not rows:
            log.delete()
            continue
        subject, text = _digest_text(rows=rows)
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        except Exception:
            logger.exception("digest e-mail failed for user %s", user.pk)
            log.delete()
            continue
        Notification.objects.filter(pk__in=[r.pk for r in rows], digested_at__isnull=True).update(digested_at=now)
        DigestLog.objects.filter(pk=log.pk).update(sent_at=now, count=len(rows))
        sent += 1
    return sent
