"""In-app notifications, optionally mirrored by e-mail.

`title` and `body` are shown in lists, badges and e-mails, outside the access checks of the object
they point to. They must NEVER contain identity data (names, NIK, addresses, birth dates of victims,
children or reporters): refer to a case by its number instead. `notify()` rejects text that looks
like a NIK as a safety net, but callers are responsible for the rule.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import EncryptedTextField

from .kinds import CHANNEL_CHOICES

URL_NOT_RELATIVE = _("The link must be a relative path on this site, starting with “/”.")


def validate_relative_url(value: str) -> None:
    """Only same-site paths ("/cases/…"): no scheme, no host, no protocol-relative "//" URLs."""
    if not value:
        return
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ch.isspace() or ord(ch) < 32 for ch in value)
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        raise ValidationError(URL_NOT_RELATIVE, code="url_not_relative")


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.SlugField(max_length=60)
    # Never identity data in title or body (see the module docstring).
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, validators=[validate_relative_url])
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # E-mail delivery, at least once (services.notification_send_emails / notification_resend_emails):
    # is_email_wanted is set when the e-mail is queued; emailed_at right after this one message was
    # handed to the mail backend. email_attempted_at is the claim of the sender working on it.
    is_email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_attempted_at = models.DateTimeField(null=True, blank=True)
    email_given_up_at = models.DateTimeField(null=True, blank=True)
    # An exception class name or a short reason, never the server's message (it may quote addresses).
    email_error = models.CharField(max_length=100, blank=True)
    # The recipient chose a daily summary for this kind: the worker sends one e-mail in their morning.
    is_digest_wanted = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_digest_pending",
                condition=models.Q(is_digest_wanted=True, digested_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="notification_email_pending",
                condition=models.Q(is_email_wanted=True, emailed_at__isnull=True, email_given_up_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        # No title here: str() shows in the admin, logs and error reports of every tenant.
        return f"{self.kind} {self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants one kind of notification delivered (absent: the kind's default)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.SlugField(max_length=60)
    channel = models.CharField(max_length=10, choices=CHANNEL_CHOICES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


class DigestLog(models.Model):
    """One daily summary per user and local day: the claim that makes the digest job safe to run twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "local_date"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"digest {self.local_date}"


# ---- Mail to addresses that are not users (sinergi.notifications.mailer) --------------------------


class MailMessage(models.Model):
    """One e-mail, rendered once (in the tenant's zone and language), sent separately to each addressee.

    The bodies are encrypted at rest: invitations and letters may name people. `owner` is the object the
    mail is about (a meeting, an agency...), through a generic relation.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=60, blank=True)
    subject = models.CharField(max_length=200)
    text_body = EncryptedTextField()
    html_body = EncryptedTextField(blank=True)
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="mail_message_owner")]

    def __str__(self) -> str:
        # No subject: str() shows in logs and error reports.
        return f"mail {self.pk}"


class MailStoredAttachment(models.Model):
    """An attachment kept (encrypted) until every delivery of its message is final, then emptied."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # The content in base64, encrypted like every other field (and so rotated by rotate_field_keys);
    # empty once purged.
    content_b64 = EncryptedTextField()
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filename"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class MailDelivery(models.Model):
    """One addressee of a MailMessage: claimed, sent and marked on its own (at least once)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="deliveries")
    name = models.CharField(max_length=150, blank=True)
    address = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The claim of the sender working on it; a claim older than SINERGI_EMAIL_RETRY_AFTER is free again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # An exception class name or a short reason, never the server's message (it may quote addresses).
    error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(fields=["message", "address"], name="mail_delivery_once_per_address"),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="mail_delivery_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["claimed_at"], name="mail_delivery_queued", condition=models.Q(status="queued")),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.QUEUED
