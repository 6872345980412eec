"""HTML pages of the case team: case list, intake, the case page and its actions.

Thin views: parse with a form, call one selector or service, render. Visibility comes from the
selectors (404 when not visible), actions from the policy inside the services (403). The case page is
rendered only from `selectors.case_projection`, so a referred agency's officer receives its
need-to-know fields and nothing else. Identity fields stay masked until an audited reveal.
"""

from .actions import (
    case_assign,
    case_close,
    case_diversion,
    case_document_upload,
    case_first_response,
    case_note,
    case_refer,
    case_referral_agencies,
    case_reopen,
    case_right,
    case_stage,
    case_triage,
)
from .common import DISTRICT_CODE_LENGTH, IDENTITY_LABELS, MSG_CREATED, MSG_SAVED, PAGE_SIZE, ROLE_LABELS, TIMELINE_PAGE
from .intake import case_create, case_duplicates
from .listing import case_list
from .page import _present, case_detail, case_reveal, case_timeline

__all__ = [
    "DISTRICT_CODE_LENGTH",
    "IDENTITY_LABELS",
    "MSG_CREATED",
    "MSG_SAVED",
    "PAGE_SIZE",
    "ROLE_LABELS",
    "TIMELINE_PAGE",
    "_present",
    "case_assign",
    "case_close",
    "case_create",
    "case_detail",
    "case_diversion",
    "case_document_upload",
    "case_duplicates",
    "case_first_response",
    "case_list",
    "case_note",
    "case_refer",
    "case_referral_agencies",
    "case_reopen",
    "case_reveal",
    "case_right",
    "case_stage",
    "case_timeline",
    "case_triage",
]
