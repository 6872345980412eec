"""Audit event types of the publications app."""

from enum import StrEnum


class PublicationsEvent(StrEnum):
    CHECK_STORED = "ppra.check_stored"
    RULES_CHANGED = "ppra.rules_changed"
    PARTNER_CREATED = "media_partner.created"
    TOKEN_CREATED = "newsroom_token.created"  # noqa: S105 - an event name, not a secret
    TOKEN_REVOKED = "newsroom_token.revoked"  # noqa: S105 - an event name, not a secret
    DRAFT_SUBMITTED = "draft.submitted"
    DRAFT_REVISED = "draft.revised"
    DRAFT_COMMENTED = "draft.commented"
    DRAFT_APPROVED = "draft.approved"
    DRAFT_RETURNED = "draft.returned"
    DRAFT_FLAGGED = "draft.flagged"
    TAKEDOWN_SENT = "takedown.sent"
    TAKEDOWN_ANSWERED = "takedown.answered"
    REGISTER_CHECKED = "ppra.register_checked"
