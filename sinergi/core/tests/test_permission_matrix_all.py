"""Every registered permission × persona, against a hand-written table of who may do what.

Personas: every role × own/other tenant × related/unrelated agency, plus the assigned case manager, the
Satgas volunteer who reported the case and the deployment operator (staff + superuser system admin).
"Related agency" is Dinsos, the agency the case is referred to. An *other-tenant* persona with the related
agency is a user of another regency whose agency link still points at Dinsos (a stale or forged link):
the tenant check must stop it.

The expected outcome is written out below, not recomputed from the policy: a change to the policy must
change this table too, in the same review.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rules.permissions import permissions as registry

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import ROLE_AGENCY_KIND, UserFactory
from sinergi.cases import services as case_services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case
from sinergi.cases.policy import visible_cases_q
from sinergi.cases.tests.factories import complete_referral, first_district, make_agency, make_case, make_referral
from sinergi.core import policy
from sinergi.documents.tests.factories import store_document
from sinergi.jobs.models import Job
from sinergi.notifications.tests.factories import NotificationFactory
from sinergi.publications.models import Draft
from sinergi.taskforces import services as tf_services
from sinergi.taskforces.models import LetterTemplate
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

ROLE_CODES = {
    "SA": Role.SYSTEM_ADMIN,
    "OH": Role.OFFICE_HEAD,
    "CM": Role.CASE_MANAGER,
    "SP": Role.SERVICE_PROVIDER,
    "SV": Role.SATGAS_VOLUNTEER,
    "TS": Role.TASKFORCE_SECRETARIAT,
    "EO": Role.OPD_EVIDENCE_OFFICER,
    "CO": Role.COMMUNICATIONS_OFFICER,
    "AN": Role.ANALYST,
}
MATRIX_PERSONAS = [
    f"{code}.{tenant}.{agency}" for code in ROLE_CODES for tenant in ("own", "other") for agency in ("rel", "unrel")
]
# Own tenant, unrelated agency: CM.assignee is assigned every case but the unassigned one, SV.reporter
# reported case "open", SA.operator runs the deployment (is_staff, is_superuser).
SPECIAL_PERSONAS = ["CM.assignee", "SV.reporter", "SA.operator"]
PERSONAS = MATRIX_PERSONAS + SPECIAL_PERSONAS


def _all(*codes: str, tenant: str = "own") -> set[str]:
    """Both agency variants of these roles in one tenant ("own", "other" or "any")."""
    tenants = ("own", "other") if tenant == "any" else (tenant,)
    return {f"{c}.{tn}.{a}" for c in codes for tn in tenants for a in ("rel", "unrel")}


NOBODY: set[str] = set()
EVERYONE = set(PERSONAS)
OWN_TENANT = _all(*ROLE_CODES) | set(SPECIAL_PERSONAS)
OFFICE_HEADS = _all("OH")
SUPERVISORS = _all("OH", "SA") | {"SA.operator"}
SYSTEM_ADMINS = _all("SA") | {"SA.operator"}
CASE_MANAGERS = _all("CM") | {"CM.assignee"}
# The team of every case assigned to CM.assignee.
TEAM = OFFICE_HEADS | {"CM.assignee"}
# The team of the unassigned case: the office head and any case manager of the tenant (triage queue).
TRIAGE_TEAM = OFFICE_HEADS | CASE_MANAGERS
# Users of Dinsos whose role may act on referrals (not Dinsos' analysts, evidence officers...).
DINSOS_READERS = {"SP.own.rel", "CM.own.rel", "OH.own.rel"}
# Task forces: staff of Dinsos (the agency invited to the meeting and owning the agreement), and everyone
# who sees that meeting and agreement (the secretariat and office head of the tenant, and Dinsos' staff).
DINSOS_STAFF = {"SP.own.rel", "CM.own.rel", "EO.own.rel", "CO.own.rel"}
TASKFORCE_READERS = _all("TS", "OH") | DINSOS_STAFF
# KLA: the secretariat (task-force secretariat, office head) and the OPD evidence officers of the tenant;
# indicator "1" is assigned to Dinsos and kla_item is Dinsos' evidence. Indicators are national data.
KLA_SECRETARIAT = _all("TS", "OH")
KLA_MEMBERS = _all("TS", "OH", "EO")
KLA_DINSOS = KLA_SECRETARIAT | {"EO.own.rel"}

# permission -> {object: personas allowed}. Objects (all in the own tenant):
#   tenant, agency (Dinsos), district (of the own regency), none (no object), verified (no object, the
#   session passed TOTP); case "open" (reported by SV.reporter, assigned to CM.assignee, referred to
#   Dinsos: one referral pending, one accepted, one declined), "declined" (its only referral to Dinsos
#   was declined), "unassigned" (no referral), "closed"; referrals ref_pending / ref_accepted /
#   ref_declined of case "open"; doc_case (a document of case "open"), doc_referral (of ref_pending);
#   token (an API token of SP.own.rel); notification (addressed to SP.own.rel); letter_template (a Word
#   template version of the own tenant).
EXPECTED: dict[str, dict[str, set[str]]] = {
    "kla.view_workspace": {"tenant": KLA_MEMBERS},
    "kla.manage_workspace": {"tenant": KLA_SECRETARIAT},
    "kla.view_indicator": {"kla_indicator": _all("TS", "OH", tenant="any") | {"EO.own.rel"}},
    "kla.add_evidence": {"kla_indicator": _all("TS", "OH", tenant="any") | {"EO.own.rel"}},
    "kla.view_evidenceitem": {"kla_item": KLA_DINSOS},
    "kla.change_evidenceitem": {"kla_item": KLA_DINSOS},
    "kla.review_evidenceitem": {"kla_item": KLA_SECRETARIAT},
    "kla.view_evidenceitem_documents": {"kla_item": KLA_DINSOS},
    "kla.manage_evidenceitem_documents": {"kla_item": KLA_DINSOS},
    "kla.view_regulation": {"kla_regulation": KLA_MEMBERS},
    "kla.manage_regulation": {"tenant": KLA_SECRETARIAT},
    "kla.view_regulation_documents": {"kla_regulation": KLA_MEMBERS},
    "kla.manage_regulation_documents": {"kla_regulation": KLA_SECRETARIAT},
    "accounts.access_admin": {"none": NOBODY, "verified": {"SA.operator"}},
    "accounts.admin_eligible": {"none": {"SA.operator"}, "verified": {"SA.operator"}},
    "accounts.create_api_token": {"none": NOBODY, "verified": EVERYONE},
    "accounts.regenerate_backup_codes": {"none": NOBODY, "verified": EVERYONE},
    # The API docs link (account page of token holders): everyone but a Satgas PPA volunteer.
    "accounts.view_api_docs": {
        "none": {p for p in EVERYONE if not p.startswith("SV.")},
        "verified": {p for p in EVERYONE if not p.startswith("SV.")},
    },
    "accounts.view_api_token": {"token": {"SP.own.rel"}},
    "accounts.revoke_api_token": {"token": {"SP.own.rel"}},
    "audit.view_auditevent": {"tenant": SUPERVISORS},
    "audit.export_auditevent": {"tenant": SUPERVISORS},
    "cases.assign_case": {"open": OFFICE_HEADS, "unassigned": OFFICE_HEADS},
    "cases.cancel_referral": {"ref_pending": TEAM, "ref_accepted": TEAM, "ref_declined": TEAM},
    "cases.print_referral_letter": {"ref_pending": TEAM, "ref_accepted": TEAM, "ref_declined": NOBODY},
    "cases.change_case": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": NOBODY},
    "cases.check_duplicates": {"tenant": OFFICE_HEADS | CASE_MANAGERS},
    "cases.close_case": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": NOBODY},
    "cases.close_case_override": {"open": OFFICE_HEADS, "closed": NOBODY},
    "cases.create_case": {"tenant": OFFICE_HEADS | CASE_MANAGERS | _all("SV") | {"SV.reporter"}},
    "cases.create_satgas_report": {"tenant": _all("SV") | {"SV.reporter"}},
    "cases.download_case_summary": {
        "open": TEAM | DINSOS_READERS,
        "declined": TEAM,
        "unassigned": TRIAGE_TEAM,
        "closed": TEAM,
    },
    "cases.export_simfoni": {"tenant": OFFICE_HEADS},
    "cases.manage_case_documents": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": NOBODY},
    "cases.manage_referral_documents": {
        "ref_pending": TEAM | DINSOS_READERS,
        "ref_declined": TEAM,
        "ref_done_long_ago": TEAM,
        "ref_done_lately": TEAM | DINSOS_READERS,
        "ref_on_old_closed": TEAM,
        "ref_on_new_closed": TEAM | DINSOS_READERS,
    },
    "cases.record_service": {"ref_accepted": DINSOS_READERS, "ref_pending": NOBODY, "ref_declined": NOBODY},
    "cases.refer_case": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": NOBODY},
    "cases.refer_without_consent": {"open": OFFICE_HEADS, "closed": NOBODY},
    "cases.reopen_case": {"closed": TEAM, "open": NOBODY},
    "cases.respond_referral": {"ref_pending": DINSOS_READERS, "ref_accepted": NOBODY, "ref_declined": NOBODY},
    "cases.view_case": {
        "open": TEAM | DINSOS_READERS | {"SV.reporter"},
        "declined": TEAM,
        "unassigned": TRIAGE_TEAM,
        "closed": TEAM,
    },
    "cases.view_case_documents": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": TEAM},
    "cases.view_case_full": {"open": TEAM, "unassigned": TRIAGE_TEAM, "closed": TEAM},
    # Lists are scoped by the selectors; the permission only says who has a case list at all.
    "cases.view_case_list": {"none": _all("OH", "CM", "SV", "SP", tenant="any") | {"CM.assignee", "SV.reporter"}},
    # Visible (a summary of its own services) after the grace period too; only what it receives shrinks.
    "cases.view_referral": {
        "ref_pending": TEAM | DINSOS_READERS,
        "ref_declined": TEAM,
        "ref_done_long_ago": TEAM | DINSOS_READERS,
        "ref_on_old_closed": TEAM | DINSOS_READERS,
    },
    "cases.view_referral_documents": {
        "ref_pending": TEAM | DINSOS_READERS,
        "ref_declined": TEAM,
        "ref_done_long_ago": TEAM,
        "ref_done_lately": TEAM | DINSOS_READERS,
        "ref_on_old_closed": TEAM,
        "ref_on_new_closed": TEAM | DINSOS_READERS,
    },
    "cases.view_referral_note": {
        "ref_pending": TEAM | DINSOS_READERS,
        "ref_declined": TEAM,
        "ref_done_long_ago": TEAM,
        "ref_done_lately": TEAM | DINSOS_READERS,
        "ref_on_old_closed": TEAM,
        "ref_on_new_closed": TEAM | DINSOS_READERS,
    },
    # The tenant's user administration; user_cm / user_sa are a case manager and a system admin of the own
    # tenant who are not personas (so "not yourself" never applies here; see accounts/tests for that).
    "accounts.manage_users": {"tenant": SUPERVISORS},
    "accounts.view_user": {"user_cm": SUPERVISORS, "user_sa": SUPERVISORS},
    "accounts.change_user": {"user_cm": SUPERVISORS, "user_sa": SYSTEM_ADMINS},
    "accounts.change_user_role": {"user_cm": SUPERVISORS, "user_sa": SYSTEM_ADMINS},
    "accounts.deactivate_user": {"user_cm": SUPERVISORS, "user_sa": SYSTEM_ADMINS},
    "accounts.reset_user_password": {"user_cm": SUPERVISORS, "user_sa": SYSTEM_ADMINS},
    "accounts.reset_user_otp": {"user_cm": SUPERVISORS, "user_sa": SYSTEM_ADMINS},
    # A role value, no tenant: any tenant's administrator may grant up to their own rank (in their tenant).
    "accounts.grant_role": {
        "role_cm": _all("OH", "SA", tenant="any") | {"SA.operator"},
        "role_sa": _all("SA", tenant="any") | {"SA.operator"},
    },
    "cases.view_referral_inbox": {"none": _all("OH", "CM", "SP", tenant="any") | {"CM.assignee"}},
    "cases.view_statistics": {"tenant": OFFICE_HEADS | CASE_MANAGERS | _all("AN")},
    "documents.add_document": {"open": TEAM, "closed": NOBODY, "ref_pending": TEAM | DINSOS_READERS},
    "documents.delete_document": {"doc_case": TEAM, "doc_referral": TEAM | DINSOS_READERS},
    "documents.view_document": {"doc_case": TEAM, "doc_referral": TEAM | DINSOS_READERS},
    "jobs.view_job": {"job": {"SP.own.rel"}},
    # The office's data map: tenant-wide aggregates; analysts get small counts hidden below kecamatan.
    "maps.view_office_map": {"tenant": OFFICE_HEADS | CASE_MANAGERS | _all("AN")},
    "maps.view_exact_counts": {"tenant": OFFICE_HEADS | CASE_MANAGERS},
    "maps.view_service_performance": {"tenant": OFFICE_HEADS | CASE_MANAGERS | _all("AN")},
    "maps.import_child_population": {"tenant": SUPERVISORS},
    "notifications.change_notification": {"notification": {"SP.own.rel"}},
    "notifications.view_notification": {"notification": {"SP.own.rel"}},
    "notifications.view_notification_list": {"none": EVERYONE},
    # Mail sent about an agency (its contact address): the owner app's rule, tenants.view_agency_mail.
    "notifications.view_owner_mail": {"agency": SUPERVISORS},
    "publications.use_checker": {"tenant": _all("CO") | SUPERVISORS | CASE_MANAGERS},
    # draft: submitted by CO.own.unrel; draft_approved: the same author's approved draft.
    "publications.add_draft": {"tenant": _all("CO") | SUPERVISORS | CASE_MANAGERS},
    "publications.view_draft": {
        "draft": SUPERVISORS | CASE_MANAGERS | {"CO.own.unrel"},
        "draft_approved": SUPERVISORS | CASE_MANAGERS | {"CO.own.unrel"},
    },
    "publications.comment_draft": {"draft": SUPERVISORS | CASE_MANAGERS | {"CO.own.unrel"}, "draft_approved": NOBODY},
    "publications.revise_draft": {"draft": {"CO.own.unrel"}, "draft_approved": NOBODY},
    "publications.review_draft": {"draft": SUPERVISORS | CASE_MANAGERS, "draft_approved": NOBODY},
    "publications.flag_draft": {"draft": SUPERVISORS | CASE_MANAGERS, "draft_approved": NOBODY},
    "publications.change_rules": {"tenant": SUPERVISORS},
    # An existence oracle of the case register: reviewers whose session passed a second factor.
    "publications.register_cross_check": {"tenant": NOBODY, "tenant_verified": SUPERVISORS | CASE_MANAGERS},
    "publications.view_mediapartner": {"tenant": _all("CO") | SUPERVISORS | CASE_MANAGERS},
    "publications.manage_mediapartner": {"tenant": SUPERVISORS},
    "regions.view_region": {"district": OWN_TENANT, "none": EVERYONE},
    "taskforces.follow_agreement": {"agreement": TASKFORCE_READERS},
    "taskforces.manage_agreement": {"agreement": _all("TS")},
    "taskforces.manage_agreement_documents": {"agreement": _all("TS") | DINSOS_STAFF},
    "taskforces.manage_body": {"body": _all("TS")},
    "taskforces.manage_body_documents": {"body": _all("TS")},
    "taskforces.manage_meeting": {"meeting": _all("TS")},
    "taskforces.manage_meeting_documents": {"meeting": _all("TS")},
    "taskforces.manage_taskforces": {"tenant": _all("TS")},
    # The office's Word templates: uploaded for the tenant, each version's document (letter_template).
    "taskforces.manage_templates": {"tenant": _all("TS")},
    "taskforces.view_lettertemplate_documents": {"letter_template": _all("TS")},
    "taskforces.manage_lettertemplate_documents": {"letter_template": _all("TS")},
    "taskforces.request_extension": {"agreement": DINSOS_STAFF},
    "taskforces.update_agreement": {"agreement": _all("TS") | DINSOS_STAFF},
    "taskforces.view_agreement": {"agreement": TASKFORCE_READERS},
    "taskforces.view_agreement_documents": {"agreement": TASKFORCE_READERS},
    "taskforces.view_body": {"body": _all("TS", "OH")},
    "taskforces.view_body_documents": {"body": _all("TS", "OH")},
    "taskforces.view_meeting": {"meeting": TASKFORCE_READERS},
    "taskforces.view_meeting_documents": {"meeting": TASKFORCE_READERS},
    "taskforces.view_statistics": {"tenant": _all("TS", "OH", "AN")},
    "taskforces.view_taskforces": {
        "none": _all("TS", "OH", "SP", "CM", "EO", "CO", tenant="any") | {"CM.assignee"},
        "tenant": _all("TS", "OH", "SP", "CM", "EO", "CO", tenant="any") | {"CM.assignee"},
    },
    "tenants.change_tenant_settings": {"tenant": SUPERVISORS},
    "tenants.add_agency": {"tenant": SUPERVISORS},
    "tenants.manage_agency": {"agency": SUPERVISORS},
    "tenants.view_agency": {"agency": OWN_TENANT},
    "tenants.view_agency_mail": {"agency": SUPERVISORS},
    "tenants.view_tenant": {"tenant": OWN_TENANT},
}


@pytest.fixture
def world(tenant, other_tenant):
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    users = {}
    for code, role in ROLE_CODES.items():
        for tenant_key, user_tenant in (("own", tenant), ("other", other_tenant)):
            users[f"{code}.{tenant_key}.rel"] = UserFactory(role=role, tenant=user_tenant, agency=dinsos)
            users[f"{code}.{tenant_key}.unrel"] = UserFactory(
                role=role, tenant=user_tenant, agency=AgencyFactory(tenant=user_tenant, kind=ROLE_AGENCY_KIND[role])
            )
    users["CM.assignee"] = UserFactory(role=Role.CASE_MANAGER, tenant=tenant)
    users["SV.reporter"] = UserFactory(role=Role.SATGAS_VOLUNTEER, tenant=tenant)
    users["SA.operator"] = UserFactory(role=Role.SYSTEM_ADMIN, tenant=tenant, is_staff=True, is_superuser=True)
    head, assignee, provider = users["OH.own.unrel"], users["CM.assignee"], users["SP.own.rel"]

    open_case = make_case(users["SV.reporter"], tenant)
    case_services.case_assign(actor=head, case=open_case, assignee=assignee)
    ref_pending = make_referral(assignee, open_case, dinsos, t.ServiceType.SOCIAL_REHAB)
    ref_accepted = make_referral(assignee, open_case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    case_services.referral_respond(actor=provider, referral=ref_accepted, accept=True)
    ref_declined = make_referral(assignee, open_case, dinsos, t.ServiceType.SHELTER)
    case_services.referral_respond(actor=provider, referral=ref_declined, accept=False, reason="Penuh")
    declined_case = make_case(assignee, tenant)
    declined_only = make_referral(assignee, declined_case, dinsos, t.ServiceType.SOCIAL_REHAB)
    case_services.referral_respond(actor=provider, referral=declined_only, accept=False, reason="Penuh")
    unassigned = make_case(head, tenant)
    closed = make_case(assignee, tenant)
    Case.objects.filter(pk=closed.pk).update(stage=t.Stage.CLOSED)
    # The agency's access ends a grace period (30 days) after its referral completed or the case closed.
    now = timezone.now()
    ref_done_long_ago = complete_referral(
        provider, make_referral(assignee, open_case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    )
    type(ref_done_long_ago).objects.filter(pk=ref_done_long_ago.pk).update(completed_at=now - timedelta(days=31))
    ref_done_lately = complete_referral(provider, make_referral(assignee, open_case, dinsos, t.ServiceType.SHELTER))
    type(ref_done_lately).objects.filter(pk=ref_done_lately.pk).update(completed_at=now - timedelta(days=29))
    closed_long_ago = make_case(assignee, tenant)
    ref_on_old_closed = make_referral(assignee, closed_long_ago, dinsos, t.ServiceType.SOCIAL_REHAB)
    case_services.referral_respond(actor=provider, referral=ref_on_old_closed, accept=True)
    Case.objects.filter(pk=closed_long_ago.pk).update(stage=t.Stage.CLOSED, closed_at=now - timedelta(days=31))
    closed_lately = make_case(assignee, tenant)
    ref_on_new_closed = make_referral(assignee, closed_lately, dinsos, t.ServiceType.SOCIAL_REHAB)
    case_services.referral_respond(actor=provider, referral=ref_on_new_closed, accept=True)
    Case.objects.filter(pk=closed_lately.pk).update(stage=t.Stage.CLOSED, closed_at=now - timedelta(days=29))
    secretariat = users["TS.own.unrel"]
    body = tf_services.body_create(actor=secretariat, tenant=tenant, kind="gugus_tugas_kla", name="Gugus Tugas KLA")
    member = tf_services.member_add(actor=secretariat, body=body, agency=dinsos)
    meeting = tf_services.meeting_create(
        actor=secretariat, body=body, type="rakor", title="Rakor", starts_at=now, agenda=["Satu"], invited=[member]
    )
    agreement = tf_services.agreement_create(actor=secretariat, meeting=meeting, text="Kesepakatan", owner=dinsos)
    token = ApiToken.objects.create(user=provider, name="integrasi", prefix="snrg_t", token_hash="0" * 64)
    kla_indicator, kla_item, kla_regulation = _kla_objects(secretariat, users["EO.own.rel"], dinsos)
    objects = {
        "tenant": tenant,
        "agency": dinsos,
        "district": first_district(tenant),
        "none": None,
        "verified": None,
        "tenant_verified": tenant,
        "open": Case.objects.get(pk=open_case.pk),
        "declined": Case.objects.get(pk=declined_case.pk),
        "unassigned": Case.objects.get(pk=unassigned.pk),
        "closed": Case.objects.get(pk=closed.pk),
        "ref_pending": type(ref_pending).objects.get(pk=ref_pending.pk),
        "ref_accepted": type(ref_accepted).objects.get(pk=ref_accepted.pk),
        "ref_declined": type(ref_declined).objects.get(pk=ref_declined.pk),
        "ref_done_long_ago": type(ref_pending).objects.get(pk=ref_done_long_ago.pk),
        "ref_done_lately": type(ref_pending).objects.get(pk=ref_done_lately.pk),
        "ref_on_old_closed": type(ref_pending).objects.get(pk=ref_on_old_closed.pk),
        "ref_on_new_closed": type(ref_pending).objects.get(pk=ref_on_new_closed.pk),
        "doc_case": store_document(actor=head, owner=open_case),
        "doc_referral": store_document(actor=head, owner=ref_pending),
        "token": token,
        "user_cm": UserFactory(role=Role.CASE_MANAGER, tenant=tenant),
        "user_sa": UserFactory(role=Role.SYSTEM_ADMIN, tenant=tenant),
        "role_cm": Role.CASE_MANAGER,
        "role_sa": Role.SYSTEM_ADMIN,
        "kla_indicator": kla_indicator,
        "kla_item": kla_item,
        "kla_regulation": kla_regulation,
        "body": body,
        "meeting": meeting,
        "agreement": agreement,
        "letter_template": LetterTemplate.objects.create(tenant=tenant, kind="undangan", version=1),
        "notification": NotificationFactory(recipient=provider, tenant=tenant),
        "job": Job.objects.create(tenant=tenant, requested_by=provider, kind="simfoni_xlsx"),
        "draft": Draft.objects.create(tenant=tenant, title="Rilis", created_by=users["CO.own.unrel"]),
        "draft_approved": Draft.objects.create(
            tenant=tenant, title="Rilis lama", created_by=users["CO.own.unrel"], status=Draft.Status.APPROVED
        ),
    }
    return users, objects


def _kla_objects(secretariat, officer, dinsos):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinergi.documents.tests.factories import MINIMAL_PDF
    from sinergi.kla.services import workspace as kla
    from sinergi.kla.services.instrument import year_load

    indicator = year_load(year=2026).indicators.get(code="1")
    kla.assignments_set(actor=secretariat, indicators=[indicator], agencies=[dinsos])
    item = kla.evidence_add(
        actor=officer,
        indicator=indicator,
        evidence_type="regulation",
        title="Perda",
        uploaded_file=SimpleUploadedFile("perda.pdf", MINIMAL_PDF),
    )
    regulation = kla.regulation_save(
        actor=secretariat, kind="perda", title="Perda KLA", number="1", issued_on=dt.date(2020, 1, 1), issuer="Bupati"
    )
    return indicator, item, regulation


def _decide(user, action: str, obj_key: str, obj) -> bool:
    """Keys ending in "verified" decide for a session that passed a second factor."""
    if not obj_key.endswith("verified"):
        return policy.can(user, action, obj)
    user.is_verified = lambda: True  # what django-otp sets on a session that passed TOTP
    try:
        return policy.can(user, action, obj)
    finally:
        del user.is_verified


def test_the_table_covers_every_registered_permission():
    # Every shipped app's permission; the test-only plug-in app (tests/plugin_app) has its own tests.
    shipped = [name for name in registry if not name.startswith("plugin_app.")]
    assert sorted(EXPECTED) == sorted(shipped)
    assert set().union(*(set().union(*row.values()) for row in EXPECTED.values())) <= EVERYONE


def test_every_permission_is_decided_as_the_table_says(world):
    users, objects = world
    wrong = []
    for action, row in EXPECTED.items():
        for obj_key, allowed in row.items():
            for persona in PERSONAS:
                decided = _decide(users[persona], action, obj_key, objects[obj_key])
                if decided != (persona in allowed):
                    wrong.append(f"{action} on {obj_key}: {persona} {'allowed' if decided else 'refused'}")
    assert wrong == []


def test_case_lists_show_exactly_the_cases_the_table_lets_each_persona_view(world):
    users, objects = world
    cases = {key: objects[key] for key in ("open", "declined", "unassigned", "closed")}
    wrong = []
    for persona in PERSONAS:
        q = visible_cases_q(users[persona])
        named = Case.objects.filter(pk__in=[case.pk for case in cases.values()])
        listed = set() if q is None else set(named.filter(q).values_list("pk", flat=True))
        expected = {case.pk for key, case in cases.items() if persona in EXPECTED["cases.view_case"][key]}
        if listed != expected:
            wrong.append(persona)
    assert wrong == []


def test_nobody_may_act_for_an_inactive_user_or_tenant(world):
    users, objects = world
    head = users["OH.own.unrel"]
    head.tenant.is_active = False
    decided = [(a, k) for a, row in EXPECTED.items() for k in row if _decide(head, a, k, objects[k])]
    # Their own second factor is the user's, not the tenant's: backup codes stay renewable.
    assert decided == [("accounts.regenerate_backup_codes", "verified")]
    assert visible_cases_q(head) is None
    head.tenant.is_active = True
    head.is_active = False
    assert not policy.can(head, "cases.view_case", objects["open"])
    assert visible_cases_q(head) is None


def test_a_user_without_tenant_sees_no_case(world):
    _users, objects = world
    orphan = UserFactory(role=Role.OFFICE_HEAD, tenant=None, agency=None)
    assert visible_cases_q(orphan) is None
    decided = [(a, k) for a, row in EXPECTED.items() for k in row if _decide(orphan, a, k, objects[k])]
    assert decided == [("accounts.regenerate_backup_codes", "verified")]
