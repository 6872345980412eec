"""Publications: the tenant's PPRA rule additions, stored checks, media partners and newsroom tokens."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    BLOCK = "block", _("Blocked")
    WARN = "warn", _("Warning")
    OK = "ok", _("No findings")


class PpraRuleSet(models.Model):
    """A tenant's words added to the vendored PPRA lists (no code): {list name: [words]}."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="ppra_rules")
    extra = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"PPRA rules of {self.tenant_id}"


class PpraCheck(models.Model):
    """A check someone chose to keep (the checker page and the APIs store nothing unless asked)."""

    class Source(models.TextChoices):
        PAGE = "page", _("Checker page")
        API = "api", _("API")
        NEWSROOM = "newsroom", _("Newsroom API")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="ppra_checks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner = models.ForeignKey("MediaPartner", null=True, blank=True, on_delete=models.SET_NULL, related_name="checks")
    source = models.CharField(max_length=10, choices=Source.choices)
    text = models.TextField()
    verdict = models.CharField(max_length=5, choices=Verdict.choices)
    findings = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.verdict} {self.created_at:%Y-%m-%d}"


class MediaPartner(models.Model):
    """An outlet that signed the MoU or declaration on child-friendly reporting (source 000, agreement 2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="media_partners")
    name = models.CharField(max_length=200)
    signatories = models.TextField(blank=True, help_text=_("One signatory per line."))
    signed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="publications_partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class NewsroomToken(models.Model):
    """A media partner's key for the newsroom check API: shown once, stored as a SHA-256 hash, revocable.
    It reaches the check endpoint only, never the register cross-check or any case data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(MediaPartner, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "news_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Draft(models.Model):
    """A text about children on its way out: submitted by a communications officer, reviewed by the
    protection office, approved or returned. Every version is kept."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ppra_drafts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The approval: who, when, and the checker's verdict on the approved version at that moment.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_version = models.ForeignKey(
        "DraftVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_verdict = models.CharField(max_length=5, choices=Verdict.choices, blank=True)
    # Earlier texts about the same story: checked together with this one (the jigsaw check).
    linked = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="linked_from")
    # What the reviewer knows about the story and the text cannot say (PPRA points 6, 7 and 9); they
    # count for this draft and every draft that links to it. Set by a reviewer, never read from a case.
    lpsk_protected = models.BooleanField(_("child under LPSK protection"), default=False)
    perpetrator_at_large = models.BooleanField(_("perpetrator not yet arrested"), default=False)
    missing_child = models.BooleanField(_("missing child"), default=False)
    found_on = models.DateField(_("missing child found on"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    verdict = models.CharField(max_length=5, choices=Verdict.choices)
    findings = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="publications_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


class DraftComment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"


class TakedownRequest(models.Model):
    """A request to a media partner to take down or correct a published item that breaches the PPRA,
    and the partner's answer."""

    class Kind(models.TextChoices):
        TAKEDOWN = "takedown", _("Take down")
        CORRECTION = "correction", _("Correct")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for an answer")
        DONE = "done", _("Done by the partner")
        REFUSED = "refused", _("Refused by the partner")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="takedown_requests")
    partner = models.ForeignKey(MediaPartner, on_delete=models.PROTECT, related_name="takedown_requests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.URLField(max_length=500)
    points = models.JSONField(default=list, blank=True)  # the PPRA points breached
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.url}"
