"""Consent to share a case with an agency, and the emergency exception (office head, audited)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.tenants.models import Agency

from .. import dates
from .. import taxonomy as t
from ..models import Case, Person, SharingConsent

ERR_NO_CONSENT = _(
    "Record the victim's or guardian's consent to share with this agency. Without it only the office head "
    "can refer, with the reason for the emergency."
)
ERR_EMERGENCY_HEAD_ONLY = _("Only the office head can refer without consent, in an emergency.")
ERR_CONSENT_FUTURE = _("The consent date cannot be in the future.")
ERR_CONSENT_GIVER = _("A child's consent is given by the parent or guardian.")


@dataclass
class ConsentInput:
    given_by: str
    method: str
    given_on: dt.date | None = None
    giver_name: str = ""


def _check(*, case: Case, victim: Person | None, data: ConsentInput) -> None:
    if data.given_by not in t.ConsentGiver.values:
        raise ValidationError({"consent_given_by": _("Choose who gave consent.")})
    if data.method not in t.ConsentMethod.values:
        raise ValidationError({"consent_method": _("Choose how consent was given.")})
    if data.given_on is not None and data.given_on > dates.today(case.tenant):
        raise ValidationError({"consent_given_on": ERR_CONSENT_FUTURE})
    victims = [victim] if victim is not None else list(case.people.filter(role=Person.Role.VICTIM))
    # UU PDP art. 25: a child's data is shared on the consent of the parent or guardian.
    if data.given_by == t.ConsentGiver.VICTIM and any(v.is_child for v in victims):
        raise ValidationError({"consent_given_by": ERR_CONSENT_GIVER})


@transaction.atomic
def consent_record(
    *, actor: Any, case: Case, agency: Agency, data: ConsentInput, victim: Person | None = None
) -> SharingConsent:
    """Record who consented, when and how to sharing the case (or one victim) with `agency`."""
    policy.require(actor, "cases.refer_case", case)
    if agency.tenant_id != case.tenant_id:
        raise ValidationError({"agency": _("The agency does not belong to this regency/city.")})
    _check(case=case, victim=victim, data=data)
    consent = SharingConsent.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        agency=agency,
        victim=victim,
        given_by=data.given_by,
        giver_name=data.giver_name.strip(),
        method=data.method,
        given_on=data.given_on or dates.today(case.tenant),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit(
        actor=actor,
        action="case.consent_recorded",
        obj=case,
        tenant=case.tenant,
        extra={"agency": str(agency.pk), "given_by": data.given_by, "method": data.method},
    )
    return consent


def consent_on_record(*, case: Case, agency: Agency, victim: Person | None) -> SharingConsent | None:
    """A consent that covers sharing with `agency`: for the whole case, or for the one victim referred."""
    consents = SharingConsent.objects.filter(case=case, agency=agency)
    if victim is not None:
        return consents.filter(victim__in=[victim]).first() or consents.filter(victim__isnull=True).first()
    whole = consents.filter(victim__isnull=True).first()
    if whole is not None:
        return whole
    # A referral for all victims is covered when each victim consented.
    victim_ids = set(case.people.filter(role=Person.Role.VICTIM).values_list("pk", flat=True))
    per_victim = {c.victim_id: c for c in consents.filter(victim_id__in=victim_ids)}
    if victim_ids and set(per_victim) == victim_ids:
        return next(iter(per_victim.values()))
    return None


def consent_basis(
    *,
    actor: Any,
    case: Case,
    agency: Agency,
    victim: Person | None,
    consent: ConsentInput | None,
    emergency_reason: str,
) -> tuple[SharingConsent | None, str]:
    """The ground a referral rests on: (consent, "") or (None, emergency reason); refused otherwise."""
    if consent is not None:
        return consent_record(actor=actor, case=case, agency=agency, data=consent, victim=victim), ""
    existing = consent_on_record(case=case, agency=agency, victim=victim)
    if existing is not None:
        return existing, ""
    reason = emergency_reason.strip()
    if not reason:
        raise ValidationError({"consent_given_by": ERR_NO_CONSENT})
    if not policy.can(actor, "cases.refer_without_consent", case):
        raise ValidationError({"emergency_reason": ERR_EMERGENCY_HEAD_ONLY})
    return None, reason
