"""Intake drafts saved by the Satgas mobile form."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import policy

from ..models import (
    IntakeDraft,
)


def intake_draft_save(*, actor: Any, payload: str, draft: IntakeDraft | None = None) -> IntakeDraft:
    policy.require(actor, "cases.create_case", actor.tenant)
    if len(payload) > 20_000:
        raise ValidationError(_("The draft is too long."))
    if draft is None:
        draft = IntakeDraft(tenant_id=actor.tenant_id, owner=actor)
    elif draft.owner_id != actor.pk:
        raise PermissionDenied
    draft.payload = payload
    draft.save()
    return draft


def intake_draft_delete(*, actor: Any, draft: IntakeDraft) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDenied
    draft.delete()


DRAFT_RETENTION_DAYS = 14


def intake_drafts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete drafts nobody touched for DRAFT_RETENTION_DAYS: an abandoned draft still names a child
    (UU PDP: keep personal data no longer than needed)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=DRAFT_RETENTION_DAYS)
    deleted, _per_model = IntakeDraft.objects.filter(updated_at__lt=cutoff).delete()
    if deleted:
        audit(actor=None, action="case.drafts_purged", extra={"count": deleted})
    return deleted
