"""The personal calendar feed: a tokenised, revocable URL (never an API token); only its hash is stored."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy

from ..events import Event
from ..models import CalendarFeed


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """Revoke the actor's current feed (if any) and return the token of a new one (shown once)."""
    policy.require(actor, "taskforces.view_taskforces")
    CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=feed_token_hash(token))
    audit(actor=actor, action=Event.CALENDAR_FEED_CREATED, obj=feed, tenant=actor.tenant_id)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    count = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        audit(actor=actor, action=Event.CALENDAR_FEED_REVOKED, tenant=actor.tenant_id, extra={"feeds": count})
    return count
