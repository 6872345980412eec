"""One letter layout for every module (invitations, referral letters, reports): kop surat, nomor surat,
place and date written in Indonesian, and the signature block — as in Permendagri 1/2023 on official
correspondence. A module's template extends `core/letter_base.html` and fills `letter_body`.

The tenant and signatory are read by attribute only, so that core imports nothing from the apps above it.
"""

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from . import clock
from .pdf import render_pdf


def letterhead(tenant: Any) -> dict:
    lines = [line.strip() for line in (getattr(tenant, "office_address", "") or "").splitlines() if line.strip()]
    contacts = [
        value
        for value in (
            getattr(tenant, "office_phone", ""),
            getattr(tenant, "office_email", ""),
            getattr(tenant, "office_website", ""),
        )
        if value
    ]
    return {
        "parent": getattr(tenant, "letterhead_parent", "") or "",
        "office": tenant.office_name,
        "unit": getattr(tenant, "service_unit_name", ""),
        "address_lines": lines,
        "contacts": contacts,
        "logo": getattr(tenant, "letterhead_logo", "") or "",
    }


def signature(signatory: Any = None) -> dict | None:
    if signatory is None:
        return None
    return {
        "position": signatory.position,
        "name": signatory.name,
        "rank": getattr(signatory, "rank", ""),
        "nip": getattr(signatory, "nip", ""),
    }


def letter_context(*, tenant: Any, signatory: Any = None, day: dt.date | None = None, number: str = "") -> dict:
    """What `core/letter_base.html` needs; `day` defaults to today in the tenant's zone."""
    day = day or clock.tenant_today(tenant)
    with translation.override("id"):
        from django.utils import formats

        written = formats.date_format(day, "j F Y")
    return {
        "letterhead": letterhead(tenant),
        "signature": signature(signatory),
        "letter_place_date": f"{getattr(tenant, 'letter_city', '') or tenant.name}, {written}",
        "letter_number": number,
    }


def render_letter_pdf(
    *, template: str, tenant: Any, context: dict, signatory: Any = None, day=None, number=""
) -> bytes:
    """Render a letter template (extending core/letter_base.html) in Indonesian, in the tenant's zone."""
    full = {**letter_context(tenant=tenant, signatory=signatory, day=day, number=number), **context}
    with translation.override("id"), clock.override_tenant(tenant):
        return render_pdf(render_to_string(template, full))
