"""Labels, constants and small helpers the case pages share."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import fieldsets
from ..models import Person

PAGE_SIZE = 25
DISTRICT_CODE_LENGTH = 8  # "64.02.01"; desa/kelurahan codes are longer
TIMELINE_PAGE = 50

MSG_CREATED = _("Case %(number)s registered.")
MSG_SAVED = _("Saved.")

IDENTITY_LABELS = {name: Person._meta.get_field(name).verbose_name for name in fieldsets.IDENTITY_FIELDS}
ROLE_LABELS = dict(Person.Role.choices)


def _label(choices: Any, value: Any) -> Any:
    return dict(choices.choices).get(value, value) if value else ""


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request)


def _referral_url(referral_id: Any) -> str:
    return reverse("cases:referral_detail", args=[referral_id])


def _summary_url(case_id: Any) -> str:
    return reverse("cases:summary_pdf", args=[case_id])
