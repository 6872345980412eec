"""Case handling plugs in: pages, the public report form, navigation, audit events and names.

See sinergi.core.plugins for the contract; dashboard cards are in dashboard.py.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from . import (
    plan_selectors,  # noqa: F401  (registers the ICS feed source)
    services,
)
from .models import Case, Referral
from .policy import visible_cases_q

plugins.url_include("cases/", "sinergi.cases.urls")
plugins.url_include("lapor/", "sinergi.cases.urls_public", public=True)
plugins.url_include("cases/", "sinergi.cases.api_urls", api=True)
plugins.url_include("public/", "sinergi.cases.api_public_urls", api=True, public=True)

plugins.key_rotation("person_names", services.name_index_rotate, label="Name index (blind-index key)")
plugins.nav_entry("cases", _("Cases"), "cases:case_list", order=20, permission="cases.view_case_list")
plugins.nav_entry("referrals", _("Referrals"), "cases:referral_inbox", order=21, permission="cases.view_referral_inbox")
plugins.nav_entry("statistics", _("Statistics"), "cases:statistics", order=22, permission="cases.view_statistics")

plugins.audit_events(
    {
        "case.created": _("Case registered"),
        "case.possible_duplicate_flagged": _("Possible duplicate flagged"),
        "case.duplicates_checked": _("Duplicates checked"),
        "case.identity_searched": _("Identity searched"),
        "case.number_searched": _("Case number searched"),
        "case.referral_letter_printed": _("Referral letter printed"),
        "case.viewed": _("Case opened"),
        "case.identity_revealed": _("Identity revealed"),
        "case.updated": _("Case updated"),
        "case.triaged": _("Case triaged"),
        "case.first_response": _("First response recorded"),
        "case.stage_changed": _("Stage changed"),
        "case.assigned": _("Case assigned"),
        "case.note_added": _("Note added"),
        "case.person_added": _("Person added"),
        "case.right_set": _("Right of the child updated"),
        "case.closed": _("Case closed"),
        "case.reopened": _("Case reopened"),
        "case.diversion_recorded": _("Diversion recorded"),
        "case.drafts_discarded": _("Intake draft discarded"),
        "case.drafts_purged": _("Old intake drafts purged"),
        "case.escalated_first_response": _("Overdue first response escalated"),
        "case.summary_exported": _("Case summary downloaded (PDF)"),
        "cases.exported": _("Cases exported (SIMFONI-PPA)"),
        "referral.created": _("Referral sent"),
        "referral.emergency_without_consent": _("Referral sent without consent (emergency)"),
        "case.consent_recorded": _("Consent to share recorded"),
        "referral.viewed": _("Referral opened"),
        "referral.accepted": _("Referral accepted"),
        "referral.declined": _("Referral declined"),
        "referral.cancelled": _("Referral cancelled"),
        "referral.escalated": _("Overdue referral escalated"),
        "service.recorded": _("Service recorded"),
        "case.plan_goal_added": _("Case plan goal added"),
        "case.plan_task_added": _("Case plan task added"),
        "case.plan_task_status": _("Case plan task status changed"),
        "case.follow_up_scheduled": _("Follow-up scheduled"),
        "case.follow_up_rescheduled": _("Follow-up rescheduled"),
        "case.follow_up_cancelled": _("Follow-up cancelled"),
    }
)


def _visible_cases(viewer: Any):
    visible = visible_cases_q(viewer)
    return Case.objects.none() if visible is None else Case.objects.filter(visible)


def name_cases(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    """The case number, for cases the viewer may open; never a person's name."""
    rows = _visible_cases(viewer).filter(pk__in=plugins.parse_uuids(object_ids)).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def name_referrals(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    """'<case number> → <agency>', for referrals of cases the viewer may open."""
    rows = Referral.objects.filter(pk__in=plugins.parse_uuids(object_ids), case__in=_visible_cases(viewer)).values_list(
        "pk", "case__number", "agency__short_name"
    )
    return {str(pk): f"{number} → {agency}" for pk, number, agency in rows}


plugins.audit_object_namer("cases.case", name_cases)
plugins.audit_object_namer("cases.referral", name_referrals)
