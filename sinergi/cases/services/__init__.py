"""Writes for integrated case handling. Every service checks the policy, runs in one transaction and
writes its audit event (names of fields only, never identity values) and a timeline entry."""

from .closure import (
    case_close,
    case_document_add,
    case_reopen,
    diversion_record,
    referral_document_add,
    unresolved_rights,
)
from .common import (
    CANCELLED_LABEL,
    ERR_AGENCY_TENANT,
    ERR_ASSIGNEE,
    ERR_DUE,
    ERR_DUE_TOO_FAR,
    ERR_MEDIATION_SEXUAL,
    ERR_NIK,
    ERR_NO_VICTIM,
    ERR_REASON_REQUIRED,
    ERR_REGION,
    ERR_STAGE,
    ERR_UNRESOLVED_RIGHTS,
    IDENTITY_ATTRS,
    IntakeInput,
    PersonInput,
)
from .consent import ERR_NO_CONSENT, ConsentInput, consent_on_record, consent_record
from .drafts import DRAFT_RETENTION_DAYS, intake_draft_delete, intake_draft_save, intake_drafts_purge
from .escalation import escalate_overdue
from .intake import case_intake, right_set, rights_recompute
from .letters import referral_letter_pdf
from .name_index import name_index_fill, name_index_rotate, person_name_index_sync
from .plan import (
    follow_up_reminders_send,
    follow_up_schedule,
    plan_goal_add,
    plan_task_add,
    plan_task_set_status,
)
from .public import TRACKING_ALPHABET, public_report_status, public_report_submit
from .referrals import referral_cancel, referral_create, referral_respond, service_record
from .workflow import (
    case_add_note,
    case_assign,
    case_change_stage,
    case_record_first_response,
    case_triage,
    case_update_incident,
    identity_reveal,
    person_add,
)

__all__ = [
    "CANCELLED_LABEL",
    "DRAFT_RETENTION_DAYS",
    "ERR_AGENCY_TENANT",
    "ERR_ASSIGNEE",
    "ERR_DUE",
    "ERR_DUE_TOO_FAR",
    "ERR_MEDIATION_SEXUAL",
    "ERR_NIK",
    "ERR_NO_CONSENT",
    "ERR_NO_VICTIM",
    "ERR_REASON_REQUIRED",
    "ERR_REGION",
    "ERR_STAGE",
    "ERR_UNRESOLVED_RIGHTS",
    "IDENTITY_ATTRS",
    "TRACKING_ALPHABET",
    "ConsentInput",
    "IntakeInput",
    "PersonInput",
    "case_add_note",
    "case_assign",
    "case_change_stage",
    "case_close",
    "case_document_add",
    "case_intake",
    "case_record_first_response",
    "case_reopen",
    "case_triage",
    "case_update_incident",
    "consent_on_record",
    "consent_record",
    "diversion_record",
    "escalate_overdue",
    "follow_up_reminders_send",
    "follow_up_schedule",
    "identity_reveal",
    "intake_draft_delete",
    "intake_draft_save",
    "intake_drafts_purge",
    "name_index_fill",
    "name_index_rotate",
    "person_add",
    "person_name_index_sync",
    "plan_goal_add",
    "plan_task_add",
    "plan_task_set_status",
    "public_report_status",
    "public_report_submit",
    "referral_cancel",
    "referral_create",
    "referral_document_add",
    "referral_letter_pdf",
    "referral_respond",
    "right_set",
    "rights_recompute",
    "service_record",
    "unresolved_rights",
]
