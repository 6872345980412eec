"""Constants, throttles and the lookups every case endpoint shares."""

from uuid import UUID

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from .. import selectors
from .. import taxonomy as t
from ..models import Case

ERR_DATE_RANGE = _("The start date is after the end date.")
ERR_AGENCY = _("Choose an agency of this regency/city.")
ERR_VICTIM = _("Choose a victim of this case.")

MAX_REVEAL = 10
AUTO = "auto"

RIGHT_STATUS_INPUT_CHOICES = [(AUTO, _("Automatic (derived from referrals and services)")), *t.RightStatus.choices]
INBOX_STATUS_CHOICES = [
    ("open", _("Open")),
    ("all", _("All")),
    *((value, label) for value, label in t.ReferralStatus.choices if value in selectors.INBOX_STATUSES),
]


# ---- Shared pieces ---------------------------------------------------------------------------


DEFAULT_THROTTLES = list(api_settings.DEFAULT_THROTTLE_CLASSES)


class RevealThrottle(ScopedRateThrottle):
    """Counts only requests that reveal identities (`?reveal=`); plain reads use the default rate."""

    def allow_request(self, request, view) -> bool:
        if not request.query_params.getlist("reveal"):
            return True
        return super().allow_request(request, view)


class SummaryThrottle(UserRateThrottle):
    scope = "case_summary"
    rate = "60/hour"


class ExportThrottle(UserRateThrottle):
    scope = "case_export"
    rate = "30/hour"


def _case_for(request: Request, pk: UUID) -> Case:
    return selectors.case_get_for_user(user=request.user, pk=pk)


def _projection(request: Request, case: Case, *, revealed: dict[str, frozenset[str]] | None = None) -> dict:
    return selectors.case_projection(user=request.user, case=case, revealed=revealed)
