"""Mail to addresses that are not users: an agency's contact e-mail, a meeting's invitees.

    message = mail_send(tenant=..., actor=user_or_None, recipients=[("Nama", "a@example.org")],
                        subject="...", template="taskforces/email/invitation", context={...},
                        attachments=[MailAttachment(filename="undangan.pdf", content=b"...",
                                                    mimetype="application/pdf")],
                        owner=meeting, kind="taskforces.invitation")
    message.deliveries.all()   # one row per addressee: address, status, attempts, sent_at, error

`mail_send` validates everything, renders `<template>.txt` (and `<template>.html` when it exists) once,
in the tenant's zone and the site's language, and stores the message, one delivery per addressee and the
attachments (encrypted) in one transaction with the audit event. The worker sends after the commit:
each delivery is claimed by a conditional UPDATE, sent on its own (each addressee sees only their own
address) and marked; a claim left by a killed worker is free again after SINERGI_EMAIL_RETRY_AFTER and
the periodic `mail_retry_pending` picks it up; a delivery marked sent is never claimed again. The
attachments are emptied once every delivery is final.
"""

import base64
import contextlib
import logging
import re
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import clock

from .models import MailDelivery, MailMessage, MailStoredAttachment

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 200
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # all attachments of one message together
MAX_ATTACHMENTS = 10

ERR_NO_RECIPIENTS = _("Give at least one recipient.")
ERR_TOO_MANY_RECIPIENTS = _("At most %(max)d recipients per message.")
ERR_BAD_ADDRESS = _("“%(address)s” is not a valid e-mail address.")
ERR_BAD_NAME = _("A recipient's name must be one line of at most 150 characters.")
ERR_SUBJECT = _("The subject must be one line of 1 to 200 characters.")
ERR_TEMPLATE = _("The mail template “%(template)s” does not exist.")
ERR_ATTACHMENT_NAME = _("Each attachment needs a file name without folders (at most 200 characters).")
ERR_ATTACHMENT_TYPE = _("“%(mimetype)s” is not a valid content type.")
ERR_ATTACHMENT_SIZE = _("The attachments are too large (at most 10 MB together, at most 10 files).")
ERR_ATTACHMENT_CONTENT = _("An attachment's content must be bytes.")
ERR_KIND = _("The kind is a short label of at most 60 characters.")

EVENT_QUEUED = "mail.queued"
EVENT_FAILED = "mail.delivery_failed"

_MIMETYPE_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")
_LINE_BREAK_RE = re.compile(r"[\r\n\x00]")


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


# ---- validation ------------------------------------------------------------------------------


def _clean_recipients(recipients: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, address) pairs, validated; the same address twice is one addressee."""
    cleaned: dict[str, tuple[str, str]] = {}
    for name, address in recipients:
        name = (name or "").strip()
        address = (address or "").strip()
        if len(name) > 150 or _LINE_BREAK_RE.search(name):
            raise ValidationError({"recipients": ValidationError(ERR_BAD_NAME, code="bad_name")})
        try:
            if len(address) > 254 or _LINE_BREAK_RE.search(address):
                raise ValidationError("bad")
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"recipients": ValidationError(ERR_BAD_ADDRESS, code="bad_address", params={"address": address[:80]})}
            ) from None
        cleaned.setdefault(address.lower(), (name, address))
    if not cleaned:
        raise ValidationError({"recipients": ValidationError(ERR_NO_RECIPIENTS, code="required")})
    if len(cleaned) > MAX_RECIPIENTS:
        raise ValidationError(
            {"recipients": ValidationError(ERR_TOO_MANY_RECIPIENTS, code="too_many", params={"max": MAX_RECIPIENTS})}
        )
    return list(cleaned.values())


def _clean_attachments(attachments: Sequence[MailAttachment]) -> list[MailAttachment]:
    total = 0
    for attachment in attachments:
        name = attachment.filename or ""
        if not name.strip() or len(name) > 200 or "/" in name or "\\" in name or _LINE_BREAK_RE.search(name):
            raise ValidationError({"attachments": ValidationError(ERR_ATTACHMENT_NAME, code="bad_name")})
        if not _MIMETYPE_RE.match(attachment.mimetype or ""):
            raise ValidationError(
                {
                    "attachments": ValidationError(
                        ERR_ATTACHMENT_TYPE, code="bad_type", params={"mimetype": str(attachment.mimetype)[:60]}
                    )
                }
            )
        if not isinstance(attachment.content, bytes | bytearray):
            raise ValidationError({"attachments": ValidationError(ERR_ATTACHMENT_CONTENT, code="bad_content")})
        total += len(attachment.content)
    if total > MAX_ATTACHMENT_BYTES or len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": ValidationError(ERR_ATTACHMENT_SIZE, code="too_large")})
    return list(attachments)


def _render(*, tenant: Any, template: str, context: dict) -> tuple[str, str]:
    """The text and HTML bodies, rendered in the tenant's zone and the site's language."""
    full_context = {
        "tenant": tenant,
        "site_name": settings.SINERGI_SITE_NAME,
        "base_url": settings.SINERGI_BASE_URL,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE), clock.override_tenant(tenant):
        try:
            text = render_to_string(f"{template}.txt", full_context)
        except TemplateDoesNotExist:
            raise ValidationError(
                {"template": ValidationError(ERR_TEMPLATE, code="no_template", params={"template": template})}
            ) from None
        try:
            html = render_to_string(f"{template}.html", full_context)
        except TemplateDoesNotExist:
            html = ""
    return text, html


# ---- the service -----------------------------------------------------------------------------


def mail_send(
    *,
    tenant: Any,
    actor: Any | None,
    recipients: Iterable[tuple[str, str]],
    subject: str,
    template: str,
    context: dict | None = None,
    attachments: Sequence[MailAttachment] = (),
    owner: Any = None,
    kind: str = "",
) -> MailMessage:
    """Queue one e-mail to each recipient (name, address); the worker sends it after the commit.

    Raises ValidationError (and writes nothing) for a bad address, subject, template or attachment.
    """
    clean_recipients = _clean_recipients(recipients)
    subject = (subject or "").strip()
    if not subject or len(subject) > 200 or _LINE_BREAK_RE.search(subject):
        raise ValidationError({"subject": ValidationError(ERR_SUBJECT, code="bad_subject")})
    if len(kind) > 60:
        raise ValidationError({"kind": ValidationError(ERR_KIND, code="bad_kind")})
    clean_attachments = _clean_attachments(attachments)
    text, html = _render(tenant=tenant, template=template, context=context or {})
    with transaction.atomic():
        message = MailMessage.objects.create(
            tenant=tenant,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            kind=kind,
            subject=subject,
            text_body=text,
            html_body=html,
            owner_type=ContentType.objects.get_for_model(owner) if owner is not None else None,
            owner_id=str(owner.pk) if owner is not None else "",
        )
        MailDelivery.objects.bulk_create(
            [MailDelivery(message=message, name=name, address=address) for name, address in clean_recipients]
        )
        MailStoredAttachment.objects.bulk_create(
            [
                MailStoredAttachment(
                    message=message,
                    filename=a.filename,
                    mimetype=a.mimetype,
                    size=len(a.content),
                    content_b64=base64.b64encode(bytes(a.content)).decode("ascii"),
                )
                for a in clean_attachments
            ]
        )
        audit(
            actor=actor,
            action=EVENT_QUEUED,
            obj=message,
            tenant=tenant,
            # Counts and the owner only: the addresses stay in the delivery rows.
            extra={
                "kind": kind,
                "recipients": len(clean_recipients),
                "attachments": len(clean_attachments),
                "owner_type": owner._meta.label_lower if owner is not None else "",
                "owner_id": str(owner.pk) if owner is not None else "",
            },
        )
        from . import tasks

        message_id = str(message.pk)
        transaction.on_commit(lambda: tasks.send_mail_message(message_id))
    return message


# ---- the worker ------------------------------------------------------------------------------


def _retry_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.SINERGI_EMAIL_RETRY_AFTER)


def _claim(*, delivery_id: Any, now: datetime) -> bool:
    """Take one queued delivery; only one sender wins it (a conditional UPDATE, atomic on every database).

    Free: never claimed, or claimed longer ago than the safe delay (that sender failed or died).
    """
    return (
        MailDelivery.objects.filter(pk=delivery_id, status=MailDelivery.Status.QUEUED)
        .filter(attempts__lt=settings.SINERGI_EMAIL_MAX_ATTEMPTS)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=_retry_cutoff(now)))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    ) == 1


def _failed(*, delivery: MailDelivery, reason: str) -> None:
    """Record why this attempt failed; once the attempts are used up the delivery is final (failed)."""
    queued = MailDelivery.objects.filter(pk=delivery.pk, status=MailDelivery.Status.QUEUED)
    queued.update(error=reason[:100])
    with transaction.atomic():
        given_up = queued.filter(attempts__gte=settings.SINERGI_EMAIL_MAX_ATTEMPTS).update(
            status=MailDelivery.Status.FAILED
        )
        if given_up:
            audit(
                actor=None,
                action=EVENT_FAILED,
                obj=delivery.message,
                tenant=delivery.message.tenant_id,
                extra={"delivery": str(delivery.pk), "reason": reason[:100]},
            )
    if given_up:
        logger.error("mail delivery given up: %s (%s)", delivery.pk, reason)
    else:
        logger.warning("mail delivery failed, will retry: %s (%s)", delivery.pk, reason)


def _email(*, message: MailMessage, delivery: MailDelivery, attachments: list[MailStoredAttachment], connection):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((delivery.name, delivery.address)) if delivery.name else delivery.address],
        connection=connection,
        # One stable id per delivery: a mail server or client that sees a re-send after a crash
        # between "handed over" and "marked sent" can recognise the duplicate.
        headers={"Message-ID": f"<{delivery.pk}@{_message_id_domain()}>"},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in attachments:
        email.attach(attachment.filename, base64.b64decode(attachment.content_b64), attachment.mimetype)
    return email


def _message_id_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    return address.rsplit("@", 1)[-1].strip(">") if "@" in address else "sinergi.invalid"


def mail_deliver(*, message_id: Any) -> int:
    """Send every queued delivery of one message that this worker can claim; returns how many went out.

    One SMTP connection; each delivery is claimed, sent and marked on its own, so a worker killed
    mid-way leaves at most the one delivery in flight unmarked (its claim expires and the retry sends
    it) and every other one exactly right.
    """
    message = MailMessage.objects.filter(pk=message_id).select_related("tenant").first()
    if message is None:
        return 0
    pending = list(message.deliveries.filter(status=MailDelivery.Status.QUEUED).order_by("address"))
    attachments: list[MailStoredAttachment] | None = None
    sent = 0
    connection = None
    try:
        for delivery in pending:
            if connection is None:
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except Exception as exc:  # the mail server is down: nothing claimed, the retry tries later
                    logger.warning("mail server unavailable: %s", exc.__class__.__name__)
                    connection = None
                    break
            if not _claim(delivery_id=delivery.pk, now=timezone.now()):
                continue  # another sender has it, or it is final already
            if attachments is None:
                attachments = list(message.attachments.filter(purged_at__isnull=True))
            email = _email(message=message, delivery=delivery, attachments=attachments, connection=connection)
            try:
                delivered = connection.send_messages([email])
            except smtplib.SMTPRecipientsRefused as exc:
                _failed(delivery=delivery, reason=exc.__class__.__name__)
                continue  # this address only: the connection is still good
            except Exception as exc:
                _failed(delivery=delivery, reason=exc.__class__.__name__)
                break  # the connection is likely gone: the rest waits for the retry
            if not delivered:
                _failed(delivery=delivery, reason="not_sent")
                break
            MailDelivery.objects.filter(pk=delivery.pk, status=MailDelivery.Status.QUEUED).update(
                status=MailDelivery.Status.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    mail_attachments_purge(message_id=message.pk)
    return sent


def mail_attachments_purge(*, message_id: Any) -> int:
    """Empty the attachments of a message once every delivery is final; returns how many were emptied."""
    if MailDelivery.objects.filter(message_id=message_id, status=MailDelivery.Status.QUEUED).exists():
        return 0
    return MailStoredAttachment.objects.filter(message_id=message_id, purged_at__isnull=True).update(
        content_b64="", purged_at=timezone.now()
    )


def mail_retry_pending(*, limit: int = 200) -> int:
    """Periodic: send the deliveries still queued after the safe delay (worker killed, server down).

    Deliveries whose attempts are used up become failed. Returns how many were sent.
    """
    now = timezone.now()
    cutoff = _retry_cutoff(now)
    due = MailDelivery.objects.filter(status=MailDelivery.Status.QUEUED, message__created_at__lt=cutoff).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    )
    for delivery in due.filter(attempts__gte=settings.SINERGI_EMAIL_MAX_ATTEMPTS).select_related("message"):
        _failed(delivery=delivery, reason=delivery.error or "too_many_attempts")
    message_ids = list(
        due.filter(attempts__lt=settings.SINERGI_EMAIL_MAX_ATTEMPTS)
        .order_by("message_id")
        .values_list("message_id", flat=True)
        .distinct()[:limit]
    )
    sent = sum(mail_deliver(message_id=message_id) for message_id in message_ids)
    # Messages whose last deliveries just became final (given up) drop their attachments too.
    for message_id in (
        MailStoredAttachment.objects.filter(purged_at__isnull=True)
        .exclude(message__deliveries__status=MailDelivery.Status.QUEUED)
        .values_list("message_id", flat=True)
        .distinct()[:limit]
    ):
        mail_attachments_purge(message_id=message_id)
    return sent
