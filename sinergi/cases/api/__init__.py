"""JSON API for integrated case handling (mounted at /api/v1/cases/).

Every capability of the case pages, under the same policy: views parse input with a nested
InputSerializer, call one selector or service, and answer. Visibility comes from the selectors (404
when not visible, exactly like a missing id), actions from the policy inside the services (403).
Case and person data leave only through `selectors.case_projection` / `person_projection`, so a
referred agency receives its service's field set and nothing else; identity values stay masked
unless the caller asks for an audited reveal (`?reveal=<person id>`).

Identity values never go into a URL: the exact identity search and the duplicate check are POSTs.
"""

from .case import (
    CaseAssignApi,
    CaseCloseApi,
    CaseDetailApi,
    CaseDiversionsApi,
    CaseDocumentsApi,
    CaseFirstResponseApi,
    CaseIncidentApi,
    CaseNoteApi,
    CasePersonAddApi,
    CaseReferralsApi,
    CaseReopenApi,
    CaseRightsApi,
    CaseStageApi,
    CaseSummaryPdfApi,
    CaseTimelineApi,
    CaseTriageApi,
    NoteInputSerializer,
    ReasonInputSerializer,
    RightSetApi,
)
from .cases import CaseDuplicatesApi, CaseIdentitySearchApi, CaseListCreateApi, IdentityInputSerializer
from .common import (
    AUTO,
    DEFAULT_THROTTLES,
    ERR_AGENCY,
    ERR_DATE_RANGE,
    ERR_VICTIM,
    INBOX_STATUS_CHOICES,
    MAX_REVEAL,
    RIGHT_STATUS_INPUT_CHOICES,
    ExportThrottle,
    RevealThrottle,
    SummaryThrottle,
)
from .drafts import DraftDetailApi, DraftInputSerializer, DraftListCreateApi, DraftOutputSerializer
from .inputs import PersonInputSerializer, TriageInputSerializer
from .referrals import (
    ReferralCancelApi,
    ReferralDetailApi,
    ReferralDocumentsApi,
    ReferralInboxApi,
    ReferralLetterApi,
    ReferralRespondApi,
    ReferralServiceApi,
)
from .shapes import (
    AgencyBriefSerializer,
    CaseListItemSerializer,
    CaseProjectionSerializer,
    DiversionOutputSerializer,
    PersonProjectionSerializer,
    ReferralOutputSerializer,
    RightItemOutputSerializer,
    ServiceRecordOutputSerializer,
    TimelineEntryOutputSerializer,
)
from .statistics import SimfoniExportApi, StatisticsApi

__all__ = [
    "AUTO",
    "DEFAULT_THROTTLES",
    "ERR_AGENCY",
    "ERR_DATE_RANGE",
    "ERR_IDENTITY_SEARCH",
    "ERR_VICTIM",
    "INBOX_STATUS_CHOICES",
    "MAX_REVEAL",
    "RIGHT_STATUS_INPUT_CHOICES",
    "AgencyBriefSerializer",
    "CaseAssignApi",
    "CaseCloseApi",
    "CaseDetailApi",
    "CaseDiversionsApi",
    "CaseDocumentsApi",
    "CaseDuplicatesApi",
    "CaseFirstResponseApi",
    "CaseIdentitySearchApi",
    "CaseIncidentApi",
    "CaseListCreateApi",
    "CaseListItemSerializer",
    "CaseNoteApi",
    "CasePersonAddApi",
    "CaseProjectionSerializer",
    "CaseReferralsApi",
    "CaseReopenApi",
    "CaseRightsApi",
    "CaseStageApi",
    "CaseSummaryPdfApi",
    "CaseTimelineApi",
    "CaseTriageApi",
    "DiversionOutputSerializer",
    "DraftDetailApi",
    "DraftInputSerializer",
    "DraftListCreateApi",
    "DraftOutputSerializer",
    "ExportThrottle",
    "IdentityInputSerializer",
    "NoteInputSerializer",
    "PersonInputSerializer",
    "PersonProjectionSerializer",
    "ReasonInputSerializer",
    "ReferralCancelApi",
    "ReferralDetailApi",
    "ReferralDocumentsApi",
    "ReferralInboxApi",
    "ReferralLetterApi",
    "ReferralOutputSerializer",
    "ReferralRespondApi",
    "ReferralServiceApi",
    "RevealThrottle",
    "RightItemOutputSerializer",
    "RightSetApi",
    "ServiceRecordOutputSerializer",
    "SimfoniExportApi",
    "StatisticsApi",
    "SummaryThrottle",
    "TimelineEntryOutputSerializer",
    "TriageInputSerializer",
]
