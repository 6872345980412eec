"""Writes of the task-force app, one module per section (re-exported here)."""

from .agreements import (
    agreement_change,
    agreement_create,
    agreement_document_add,
    agreement_drop,
    agreement_follow,
    agreement_mark_reviewed,
    agreement_progress_add,
    agreements_remind,
    extension_decide,
    extension_request,
)
from .attendance import attendance_add, attendance_checkin, checkin_code, checkin_code_check
from .bodies import body_create, body_document_add, member_add
from .calendar import calendar_feed_create, calendar_feed_revoke
from .letters import (
    attendance_pdf,
    followup_report_pdf,
    invitation_docx,
    invitation_issue,
    invitation_pdf,
    invitation_send,
    minutes_docx,
    minutes_pdf,
)
from .meetings import (
    meeting_create,
    meeting_document_add,
    meeting_series_create,
    meeting_set_status,
    minutes_save,
)
from .templates import current_template, template_reset, template_upload, template_validate

__all__ = [
    "agreement_change",
    "agreement_create",
    "agreement_document_add",
    "agreement_drop",
    "agreement_follow",
    "agreement_mark_reviewed",
    "agreement_progress_add",
    "agreements_remind",
    "attendance_add",
    "attendance_checkin",
    "attendance_pdf",
    "body_create",
    "body_document_add",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "checkin_code",
    "checkin_code_check",
    "current_template",
    "extension_decide",
    "extension_request",
    "followup_report_pdf",
    "invitation_docx",
    "invitation_issue",
    "invitation_pdf",
    "invitation_send",
    "meeting_create",
    "meeting_document_add",
    "meeting_series_create",
    "meeting_set_status",
    "member_add",
    "minutes_docx",
    "minutes_pdf",
    "minutes_save",
    "template_reset",
    "template_upload",
    "template_validate",
]
