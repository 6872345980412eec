"""Referrals to agencies and the services they record."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import AGENCY_READER_ROLES
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.tenants.models import Agency

from .. import dates, providers
from .. import taxonomy as t
from ..models import (
    Case,
    Person,
    Referral,
    ServiceRecord,
    TimelineEntry,
)
from .common import (
    CANCELLED_LABEL,
    ERR_AGENCY_TENANT,
    ERR_DUE,
    ERR_DUE_TOO_FAR,
    ERR_MEDIATION_SEXUAL,
    ERR_REASON_REQUIRED,
    ERR_STAGE,
    _is_sexual,
    _timeline,
)
from .consent import ConsentInput, consent_basis
from .intake import rights_recompute

ERR_NOT_PROVIDER = _("This agency does not provide the chosen service.")


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    agency: Agency,
    service_type: str,
    victim: Person | None = None,
    due_on: dt.date | None = None,
    note: str = "",
    consent: ConsentInput | None = None,
    emergency_reason: str = "",
) -> Referral:
    """Refer the case to an agency that provides the service, on recorded consent (or, in an emergency, on
    the office head's reason). Mediation is refused for sexual violence."""
    policy.require(actor, "cases.refer_case", case)
    if service_type not in t.ServiceType.values:
        raise ValidationError({"service_type": _("Unknown service.")})
    if service_type == t.ServiceType.MEDIATION and _is_sexual(case):
        raise ValidationError({"service_type": ERR_MEDIATION_SEXUAL})
    if agency.tenant_id != case.tenant_id or not agency.is_active:
        raise ValidationError({"agency": ERR_AGENCY_TENANT})
    if not providers.agency_provides(agency, service_type):
        raise ValidationError({"agency": ERR_NOT_PROVIDER})
    if victim is not None and (victim.case_id != case.pk or victim.role != Person.Role.VICTIM):
        raise ValidationError({"victim": _("Choose a victim of this case.")})
    today = dates.today(case.tenant)
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": ERR_DUE})
    if due_on is not None and due_on > today + dt.timedelta(days=dates.MAX_DUE_DAYS):
        raise ValidationError({"due_on": ERR_DUE_TOO_FAR})
    basis, reason = consent_basis(
        actor=actor, case=case, agency=agency, victim=victim, consent=consent, emergency_reason=emergency_reason
    )
    now = timezone.now()
    referral = Referral.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        victim=victim,
        agency=agency,
        service_type=service_type,
        note=note.strip(),
        due_on=due_on or today + dt.timedelta(days=case.tenant.referral_due_days),
        requested_by=actor,
        requested_at=now,
        consent=basis,
        emergency_reason=reason,
        emergency_by=actor if reason else None,
    )
    rights_recompute(case=case)
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()} → {agency.short_name}",
        referral=referral,
    )
    audit(
        actor=actor,
        action="referral.created",
        obj=referral,
        tenant=case.tenant,
        extra={"case": str(case.pk), "service": service_type, "agency": str(agency.pk)},
    )
    if reason:
        audit(
            actor=actor,
            action="referral.emergency_without_consent",
            obj=referral,
            tenant=case.tenant,
            fields=["emergency_reason"],
            extra={"case": str(case.pk), "agency": str(agency.pk)},
        )
    from sinergi.notifications.services import notify

    notify(
        recipients=list(agency.users.filter(is_active=True, role__in=AGENCY_READER_ROLES)),
        kind="referral_received",
        title=str(
            _("New referral: %(service)s (%(number)s)")
            % {"service": referral.get_service_type_display(), "number": case.number}
        ),
        url=reverse("cases:referral_detail", args=[referral.pk]),
    )
    return referral


@transaction.atomic
def referral_respond(*, actor: Any, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving agency accepts, or declines with a reason."""
    policy.require(actor, "cases.respond_referral", referral)
    if not accept and not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    referral.status = t.ReferralStatus.ACCEPTED if accept else t.ReferralStatus.DECLINED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.decline_reason = "" if accept else reason.strip()
    referral.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    case = referral.case
    rights_recompute(case=case)
    verb = _("accepted") if accept else _("declined")
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()}: {referral.agency.short_name} {verb}",
        text=referral.decline_reason,
        referral=referral,
    )
    audit(actor=actor, action="referral.accepted" if accept else "referral.declined", obj=referral, tenant=case.tenant)
    if case.assigned_to_id:
        from sinergi.notifications.services import notify

        notify(
            recipients=[case.assigned_to],
            kind="referral_response",
            title=str(
                _("%(agency)s %(verb)s the referral for %(number)s")
                % {"agency": referral.agency.short_name, "verb": verb, "number": case.number}
            ),
            url=reverse("cases:detail", args=[case.pk]),
        )
    return referral


@transaction.atomic
def referral_cancel(*, actor: Any, referral: Referral, reason: str) -> Referral:
    policy.require(actor, "cases.cancel_referral", referral)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if referral.status not in t.OPEN_REFERRAL_STATUSES:
        raise ValidationError(ERR_STAGE)
    referral.status = t.ReferralStatus.CANCELLED
    referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "decline_reason"])
    rights_recompute(case=referral.case)
    _timeline(
        case=referral.case,
        kind=TimelineEntry.Kind.REFERRAL,
        actor=actor,
        summary=f"{referral.get_service_type_display()}: {CANCELLED_LABEL}",
        text=reason,
        referral=referral,
    )
    audit(actor=actor, action="referral.cancelled", obj=referral, tenant=referral.case.tenant)
    return referral


@transaction.atomic
def service_record(
    *,
    actor: Any,
    referral: Referral,
    delivered_on: dt.date,
    sessions: int,
    outcome: str,
    notes: str = "",
) -> ServiceRecord:
    """The receiving agency records a service delivered; a completed outcome completes the referral."""
    policy.require(actor, "cases.record_service", referral)
    dates.check_past_date(delivered_on, field="delivered_on", tenant=referral.case.tenant)
    if sessions < 1 or sessions > 500:
        raise ValidationError({"sessions": _("Enter the number of sessions (1-500).")})
    if outcome not in t.ServiceOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    service = ServiceRecord.objects.create(
        tenant_id=referral.tenant_id,
        referral=referral,
        delivered_on=delivered_on,
        sessions=sessions,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if outcome == t.ServiceOutcome.COMPLETED:
        referral.status = t.ReferralStatus.COMPLETED
        referral.completed_at = timezone.now()
        referral.save(update_fields=["status", "completed_at"])
    case = referral.case
    rights_recompute(case=case)
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.SERVICE,
        actor=actor,
        summary=f"{referral.get_service_type_display()} ({referral.agency.short_name}): {service.get_outcome_display()}",
        referral=referral,
    )
    audit(
        actor=actor,
        action="service.recorded",
        obj=service,
        tenant=case.tenant,
        fields=["notes"] if notes else [],
        extra={"referral": str(referral.pk), "outcome": outcome, "sessions": sessions},
    )
    return service
