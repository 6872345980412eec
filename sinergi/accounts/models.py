"""Users belong to one tenant and one agency and hold one role."""

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import SUPERVISOR_ROLES, Role, requires_2fa


class User(AbstractUser):
    is_verified: Callable[[], bool]  # added per request by django_otp's OTPMiddleware (or token authentication)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    agency = models.ForeignKey("tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.ANALYST)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Bumped by "log out everywhere": it is part of the session auth hash, so every other session
    # (and every browser that kept one) is invalidated at its next request.
    session_generation = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def needs_2fa(self) -> bool:
        return requires_2fa(self.role) or self.is_staff or self.is_superuser

    @property
    def is_supervisor(self) -> bool:
        return self.role in SUPERVISOR_ROLES

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "sinergi.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


# The security policy's ceiling for an API token's lifetime: the setting may shorten it, never lengthen it.
API_TOKEN_CEILING_DAYS = 90


def api_token_max_days() -> int:
    """The longest lifetime a new API token may have, in days."""
    return min(settings.SINERGI_API_TOKEN_MAX_DAYS, API_TOKEN_CEILING_DAYS)


def api_token_default_expires_at():
    """The latest expiry a new token may have."""
    return timezone.now() + timedelta(days=api_token_max_days())


class ApiToken(models.Model):
    """Per-user API token for integrations: shown once, stored as a SHA-256 hash, revocable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Every token expires (at most SINERGI_API_TOKEN_MAX_DAYS after creation): a forgotten key in a
    # script or a spreadsheet stops working by itself.
    expires_at = models.DateTimeField(default=api_token_default_expires_at)
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
        return "snrg_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        """Not revoked, not expired, and never older than the ceiling (a token issued before the ceiling
        existed, e.g. for a year, stops at created_at + the ceiling too)."""
        now = timezone.now()
        ceiling = self.created_at + timedelta(days=api_token_max_days()) if self.created_at else now
        return self.revoked_at is None and self.expires_at > now and ceiling > now


class LoginThrottle(models.Model):
    """Failed password checks for one account name (or for one browser the owner signed in from before),
    and the lock they lead to.

    `key` is a keyed hash, never the typed name: people type their password into the username box, and
    a name that belongs to no account must be counted and locked exactly like a real one.
    """

    key = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["window_started_at"], name="accounts_throttle_window_idx")]

    def __str__(self) -> str:
        return f"{self.key[:8]}… ({self.failures})"

    def is_locked_at(self, moment) -> bool:
        return self.locked_until is not None and self.locked_until > moment
