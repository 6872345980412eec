"""The worker's escalation of overdue first responses and referrals."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import AGENCY_READER_ROLES, Role
from sinergi.audit.services import record as audit
from sinergi.core import clock

from .. import overdue
from ..models import (
    Case,
    Referral,
    TimelineEntry,
)
from ..signals import case_data_changed_send
from .common import _timeline


def escalate_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Notify supervisors of overdue first responses and overdue referrals (each escalated once)."""
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    now = now or timezone.now()
    # A referral is overdue once its due date has passed in its tenant's zone: filter with the
    # easternmost date first, then check each row's own tenant.
    latest_today = clock.latest_today(now)
    counts = {"first_response": 0, "referral": 0}
    overdue_cases = Case.objects.filter(
        overdue.first_response_overdue_q(now=now), first_response_escalated_at__isnull=True
    ).select_related("tenant", "assigned_to")
    for case in overdue_cases.iterator(chunk_size=200):
        with transaction.atomic():
            updated = Case.objects.filter(pk=case.pk, first_response_escalated_at__isnull=True).update(
                first_response_escalated_at=now
            )
            if not updated:
                continue
            case_data_changed_send(sender=Case, tenant_id=case.tenant_id)
            supervisors = list(User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True))
            recipients = supervisors + ([case.assigned_to] if case.assigned_to_id else [])
            notify(
                recipients=recipients,
                kind="first_response_overdue",
                title=str(_("First response overdue: %(number)s") % {"number": case.number}),
                url=reverse("cases:detail", args=[case.pk]),
            )
            _timeline(
                case=case,
                kind=TimelineEntry.Kind.ESCALATED,
                actor=None,
                summary=str(_("First response overdue")),
                at=now,
            )
            audit(actor=None, action="case.escalated_first_response", obj=case)
            counts["first_response"] += 1
    overdue_referrals = Referral.objects.filter(
        overdue.referral_overdue_q(today=latest_today), escalated_at__isnull=True
    ).select_related("case", "case__tenant", "agency", "case__assigned_to")
    for referral in overdue_referrals.iterator(chunk_size=200):
        if not overdue.referral_is_overdue(referral, today=clock.tenant_today(referral.case.tenant, now)):
            continue  # still today somewhere west of Jayapura
        with transaction.atomic():
            updated = Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(escalated_at=now)
            if not updated:
                continue
            case = referral.case
            case_data_changed_send(sender=Referral, tenant_id=case.tenant_id)
            recipients = list(
                User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True)
            ) + list(referral.agency.users.filter(is_active=True, role__in=AGENCY_READER_ROLES))
            if case.assigned_to_id:
                recipients.append(case.assigned_to)
            notify(
                recipients=recipients,
                kind="referral_overdue",
                title=str(
                    _("Referral overdue: %(service)s, %(agency)s (%(number)s)")
                    % {
                        "service": referral.get_service_type_display(),
                        "agency": referral.agency.short_name,
                        "number": case.number,
                    }
                ),
                url=reverse("cases:referral_detail", args=[referral.pk]),
            )
            _timeline(
                case=case,
                kind=TimelineEntry.Kind.ESCALATED,
                actor=None,
                summary=str(_("Referral overdue: %(agency)s") % {"agency": referral.agency.short_name}),
                referral=referral,
                at=now,
            )
            audit(actor=None, action="referral.escalated", obj=referral, tenant=case.tenant)
            counts["referral"] += 1
    return counts
