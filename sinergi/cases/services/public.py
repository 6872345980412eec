"""The public report form and its tracking code."""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.crypto import blind_index
from sinergi.tenants.models import Tenant

from .. import taxonomy as t
from ..models import Case
from .common import IntakeInput
from .intake import _create_case

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _tracking_index(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch in TRACKING_ALPHABET)
    return blind_index(normalized, purpose="tracking") if len(normalized) == 12 else ""


@transaction.atomic
def public_report_submit(*, tenant: Tenant, data: IntakeInput) -> tuple[Case, str]:
    """A report from the public form (no login). Returns the case and a random tracking code shown once."""
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    data.channel = t.Channel.PUBLIC_FORM
    case = _create_case(actor=None, tenant=tenant, data=data, tracking_code_bidx=_tracking_index(code))
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    notify(
        recipients=list(
            User.objects.filter(tenant=tenant, role__in=[Role.CASE_MANAGER, Role.OFFICE_HEAD], is_active=True)
        ),
        kind="public_report",
        title=str(_("New public report %(number)s") % {"number": case.number}),
        url=reverse("cases:detail", args=[case.pk]),
    )
    return case, f"{code[:4]}-{code[4:8]}-{code[8:]}"


def public_report_status(*, tenant: Tenant, code: str) -> str | None:
    """The stage of a publicly reported case, and nothing else; None for unknown codes."""
    index = _tracking_index(code)
    if not index:
        return None
    stage = Case.objects.filter(tenant=tenant, tracking_code_bidx=index).values_list("stage", flat=True).first()
    return stage
