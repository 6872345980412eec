"""The audit event types of the task-force app (one place, so the audit trail reads consistently)."""

from enum import StrEnum


class Event(StrEnum):
    BODY_CREATED = "taskforce.body_created"
    MEMBER_SAVED = "taskforce.member_saved"
    MEETING_CREATED = "taskforce.meeting_created"
    MEETING_CHANGED = "taskforce.meeting_changed"
    MEETING_SERIES_CREATED = "taskforce.meeting_series_created"
    INVITATION_ISSUED = "taskforce.invitation_issued"
    INVITATION_SENT = "taskforce.invitation_sent"
    ATTENDANCE_RECORDED = "taskforce.attendance_recorded"
    MINUTES_SAVED = "taskforce.minutes_saved"
    DOCUMENT_ADDED = "taskforce.document_added"
    AGREEMENT_CREATED = "taskforce.agreement_created"
    AGREEMENT_CHANGED = "taskforce.agreement_changed"
    AGREEMENT_PROGRESS = "taskforce.agreement_progress"
    AGREEMENT_DROPPED = "taskforce.agreement_dropped"
    AGREEMENT_REVIEWED = "taskforce.agreement_reviewed"
    EXTENSION_REQUESTED = "taskforce.extension_requested"
    EXTENSION_DECIDED = "taskforce.extension_decided"
    AGREEMENT_FOLLOWED = "taskforce.agreement_followed"
    CALENDAR_FEED_CREATED = "taskforce.calendar_feed_created"
    CALENDAR_FEED_REVOKED = "taskforce.calendar_feed_revoked"
    DEMO_SEEDED = "taskforce.demo_seeded"
    REPORT_EXPORTED = "taskforce.report_exported"
