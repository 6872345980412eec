"""The case API end to end, and what an attacker gets from it.

Everything goes through HTTP (Django test client, real database): intake, workflow, referrals,
services, rights and closure; then need-to-know, tenant isolation, id guessing, audit of sensitive
reads, rate limits and API-token authentication.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import api as cases_api
from sinergi.cases.models import Case, Person, Referral, RightItem
from sinergi.cases.selectors import mask
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

from .test_api_support import *  # noqa: F403  (fixtures)
from .test_api_support import (
    API,
    PERPETRATOR_NAME,
    REPORTER_NAME,
    SCHOOLING_FORBIDDEN_KEYS,
    SCHOOLING_FORBIDDEN_VALUES,
    VICTIM_NAME,
    VICTIM_NIK,
    VICTIM_SCHOOL,
    assert_error,
    create_case,
    intake_payload,
    keys_of,
    png_bytes,
    post,
    text_of,
    token_client,
    victim_id,
)

pytestmark = pytest.mark.django_db


# ---- the full flow, through the API only ------------------------------------------------------


def test_full_flow_intake_refer_serve_fulfil_close(
    client_for, tenant, mc, dinsos, disdik, dinsos_officer, disdik_officer
):
    case = create_case(mc, tenant)
    assert case["number"].startswith("PPA/6402/")
    assert case["stage"] == "received"
    assert case["victims"][0]["full_name"] == mask(VICTIM_NAME)  # masked by default
    assert case["risk_level"] == "medium"
    detail = f"{API}{case['id']}/"

    for stage in ("outreach", "assessment", "planning", "services"):
        response = post(mc, f"{detail}stage/", {"to_stage": stage, "note": "Sesuai SOP"})
        assert response.status_code == 200, response.content
        assert response.json()["stage"] == stage

    vid = victim_id(case)
    referrals = {}
    for agency, service in ((dinsos, "social_rehab"), (disdik, "schooling")):
        response = post(
            mc,
            f"{detail}referrals/",
            {
                "agency": str(agency.pk),
                "service_type": service,
                "victim": vid,
                "consent_given_by": "guardian",
                "consent_method": "written",
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "pending"
        referrals[service] = response.json()["id"]

    rights = {r["right"]: r for r in mc.get(f"{detail}rights/").json()}
    assert rights["social_rehab"]["status"] == "planned"
    assert rights["education"]["status"] == "planned"
    assert rights["fast_response"]["status"] == "fulfilled"  # outreach was the first response

    # Dinsos works through an API token, Disdik through a verified browser session.
    for officer_client, service in (
        (token_client(dinsos_officer), "social_rehab"),
        (client_for(disdik_officer), "schooling"),
    ):
        inbox = officer_client.get(f"{API}referrals/")
        assert inbox.status_code == 200
        assert [r["id"] for r in inbox.json()["results"]] == [referrals[service]]
        referral_url = f"{API}referrals/{referrals[service]}/"
        assert post(officer_client, f"{referral_url}respond/", {"accept": True}).json()["status"] == "accepted"
        response = post(
            officer_client,
            f"{referral_url}services/",
            {
                "delivered_on": timezone.localdate().isoformat(),
                "sessions": 3,
                "outcome": "completed",
                "notes": "Selesai",
            },
        )
        assert response.status_code == 201, response.content
        assert officer_client.get(referral_url).json()["referral"]["status"] == "completed"

    rights = mc.get(f"{detail}rights/").json()
    by_right = {r["right"]: r for r in rights}
    assert by_right["social_rehab"]["status"] == "fulfilled"
    assert by_right["education"]["status"] == "fulfilled"
    assert not any(r["is_unresolved"] for r in rights)

    response = post(mc, f"{detail}close/", {"reason": "resolved", "note": "Layanan tuntas"})
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "closed"
    assert response.json()["closure_reason"] == "resolved"
    assert Case.objects.get(pk=case["id"]).closed_at is not None

    kinds = [e["kind"] for e in mc.get(f"{detail}timeline/").json()["results"]]
    assert kinds[0] == "closed"
    assert kinds.count("service") == 2
    assert "created" in kinds
    actions = set(AuditEvent.objects.filter(tenant=tenant).values_list("action", flat=True))
    assert {
        "case.created",
        "case.stage_changed",
        "referral.created",
        "referral.accepted",
        "service.recorded",
    } <= actions
    assert "case.closed" in actions


# ---- need-to-know ------------------------------------------------------------------------------


def test_schooling_agency_json_has_no_chronology_perpetrator_or_nik(client_for, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    documents = []
    for path in (f"{API}{case['id']}/", f"{API}referrals/{referred['schooling']['id']}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        documents.append(response.json())
    documents.append(client.get(f"{API}{case['id']}/referrals/").json())
    documents.append(client.get(f"{API}referrals/").json())

    for body in documents:
        leaked_keys = keys_of(body) & SCHOOLING_FORBIDDEN_KEYS
        assert not leaked_keys, leaked_keys
        text = text_of(body)
        for secret in SCHOOLING_FORBIDDEN_VALUES:
            assert secret not in text, secret

    projection = documents[0]
    assert projection["perpetrators"] == []
    assert projection["reporters"] == []
    assert set(projection["victims"][0]) >= {"full_name", "birth_date", "school_name", "education"}
    # Its own referral only: Dinsos' referral is not its business.
    assert [r["service_type"] for r in documents[2]] == ["schooling"]


def test_schooling_agency_reveals_only_its_fields_and_never_a_perpetrator(client_for, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    perpetrator = Person.objects.get(case_id=case["id"], role=Person.Role.PERPETRATOR)
    assert client.get(f"{API}{case['id']}/", {"reveal": str(perpetrator.pk)}).status_code == 404
    # A request mixing an allowed and a forbidden person reveals (and audits) nothing.
    mixed = client.get(f"{API}{case['id']}/", {"reveal": [victim_id(case), str(perpetrator.pk)]})
    assert mixed.status_code == 404
    assert VICTIM_NAME not in mixed.content.decode()
    assert not AuditEvent.objects.filter(action="case.identity_revealed").exists()

    response = client.get(f"{API}{case['id']}/", {"reveal": victim_id(case)})
    assert response.status_code == 200
    victim = response.json()["victims"][0]
    assert victim["full_name"] == VICTIM_NAME
    assert victim["school_name"] == VICTIM_SCHOOL
    assert "nik" not in victim
    assert VICTIM_NIK not in response.content.decode()
    event = AuditEvent.objects.get(action="case.identity_revealed", actor=disdik_officer)
    assert "victim.nik" not in event.fields
    assert "victim.full_name" in event.fields


def test_referred_agency_may_not_read_team_sections(client_for, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    for section in ("timeline", "rights", "documents", "diversions"):
        assert_error(client.get(f"{API}{case['id']}/{section}/"), 403)
    item = RightItem.objects.filter(case_id=case["id"]).first()
    assert_error(post(client, f"{API}rights/{item.pk}/", {"status": "fulfilled", "reason": "x"}), 404)
    assert_error(post(client, f"{API}{case['id']}/stage/", {"to_stage": "outreach"}), 403)


# ---- attackers ---------------------------------------------------------------------------------


def _case_paths(case_id: str) -> list[tuple[str, str]]:
    base = f"{API}{case_id}/"
    gets = ["", "timeline/", "rights/", "referrals/", "documents/", "diversions/", "summary.pdf"]
    posts = [
        "triage/",
        "stage/",
        "first-response/",
        "assign/",
        "notes/",
        "incident/",
        "people/",
        "close/",
        "reopen/",
        "diversions/",
        "referrals/",
    ]
    return [("get", base + p) for p in gets] + [("post", base + p) for p in posts]


def _referral_paths(referral_id: str) -> list[tuple[str, str]]:
    base = f"{API}referrals/{referral_id}/"
    return [("get", base), ("get", base + "documents/")] + [
        ("post", base + p) for p in ("respond/", "services/", "cancel/")
    ]


def _call(client: Client, method: str, path: str):
    if method == "get":
        return client.get(path)
    return post(client, path, {})


def test_officer_of_an_unreferred_agency_gets_404_everywhere(client_for, case, referred, unreferred_officer):
    client = client_for(unreferred_officer)
    for method, path in _case_paths(case["id"]) + _referral_paths(referred["schooling"]["id"]):
        assert_error(_call(client, method, path), 404, "not_found")
    response = client.get(f"{API}{case['id']}/", {"reveal": victim_id(case)})
    assert_error(response, 404)
    assert not AuditEvent.objects.filter(actor=unreferred_officer, action="case.identity_revealed").exists()
    item = RightItem.objects.filter(case_id=case["id"]).first()
    assert_error(post(client, f"{API}rights/{item.pk}/", {"status": "fulfilled", "reason": "x"}), 404)
    listing = client.get(API).json()
    assert listing["count"] == 0
    assert client.get(f"{API}referrals/").json()["count"] == 0


def test_other_tenant_gets_404_everywhere_and_sees_nothing_in_lists(client_for, case, referred, outsider_head):
    client = client_for(outsider_head)
    for method, path in _case_paths(case["id"]) + _referral_paths(referred["social_rehab"]["id"]):
        assert_error(_call(client, method, path), 404)
    item = RightItem.objects.filter(case_id=case["id"]).first()
    assert_error(post(client, f"{API}rights/{item.pk}/", {"status": "fulfilled", "reason": "x"}), 404)
    assert client.get(API).json()["count"] == 0
    assert client.get(API, {"number": case["number"]}).json()["count"] == 0
    assert post(client, f"{API}search/", {"nik": VICTIM_NIK}).json()["count"] == 0
    duplicates = post(client, f"{API}duplicates/", {"nik": VICTIM_NIK}).json()
    assert duplicates == {"count": 0, "visible_case_numbers": []}


def test_guessed_ids_are_404(mc, head, client_for):
    for client in (mc, client_for(head)):
        for method, path in _case_paths(str(uuid.uuid4())) + _referral_paths(str(uuid.uuid4())):
            assert_error(_call(client, method, path), 404)
        assert_error(post(client, f"{API}rights/{uuid.uuid4()}/", {"status": "auto", "reason": "x"}), 404)
        assert_error(client.get(f"/api/v1/documents/{uuid.uuid4()}/download/"), 404)


def test_unknown_person_in_reveal_is_404_and_not_audited(mc, case):
    assert_error(mc.get(f"{API}{case['id']}/", {"reveal": str(uuid.uuid4())}), 404)
    assert_error(mc.get(f"{API}{case['id']}/", {"reveal": "not-a-uuid"}), 400)
    assert not AuditEvent.objects.filter(action="case.identity_revealed").exists()


def test_colleague_case_manager_and_analyst_do_not_see_an_assigned_case(make_user, client_for, case):
    for role in (Role.CASE_MANAGER, Role.ANALYST, Role.COMMUNICATIONS_OFFICER):
        client = client_for(make_user(role))
        assert_error(client.get(f"{API}{case['id']}/"), 404)


def test_anonymous_and_bad_tokens_are_refused(case):
    assert_error(Client().get(f"{API}{case['id']}/"), 401)
    assert_error(Client(headers={"Authorization": "Token snrg_nonsense"}).get(API), 401)


# ---- audit of sensitive reads --------------------------------------------------------------------


def test_detail_is_audited_and_reveal_writes_identity_revealed(mc, manager, case):
    response = mc.get(f"{API}{case['id']}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="case.viewed", actor=manager, object_id=case["id"]).count() == 1
    assert VICTIM_NAME not in response.content.decode()

    perpetrator = Person.objects.get(case_id=case["id"], role=Person.Role.PERPETRATOR)
    response = mc.get(f"{API}{case['id']}/?reveal={victim_id(case)}&reveal={perpetrator.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["victims"][0]["full_name"] == VICTIM_NAME
    assert body["victims"][0]["nik"] == VICTIM_NIK
    assert body["perpetrators"][0]["full_name"] == PERPETRATOR_NAME
    assert body["reporters"][0]["full_name"] == mask(REPORTER_NAME)  # not asked for
    events = AuditEvent.objects.filter(action="case.identity_revealed", actor=manager)
    assert events.count() == 2
    assert {e.extra["person"] for e in events} == {victim_id(case), str(perpetrator.pk)}
    for event in events:
        assert VICTIM_NAME not in str(event.extra)
        assert VICTIM_NIK not in str(event.extra)
    assert "victim.nik" in {f for e in events for f in e.fields}


def test_reveal_is_rate_limited_but_plain_reads_are_not(mc, case, monkeypatch):
    monkeypatch.setattr(cases_api.RevealThrottle, "THROTTLE_RATES", {"reveal": "2/hour"})
    url = f"{API}{case['id']}/"
    for _ in range(2):
        assert mc.get(url, {"reveal": victim_id(case)}).status_code == 200
    assert_error(mc.get(url, {"reveal": victim_id(case)}), 429, "throttled")
    assert mc.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="case.identity_revealed").count() == 2


def test_duplicate_check_is_rate_limited(mc, case, monkeypatch):
    from sinergi.cases import limits

    monkeypatch.setattr(limits, "IDENTITY_LOOKUP_RATES", (("3/m", 60),))
    for _ in range(2):
        assert post(mc, f"{API}duplicates/", {"nik": VICTIM_NIK}).status_code == 200
    # One budget per account across HTML and API: the page's duplicate check spends the third look-up.
    assert mc.post(reverse("cases:duplicates"), {"nik": VICTIM_NIK}).status_code == 200
    assert_error(post(mc, f"{API}duplicates/", {"nik": VICTIM_NIK}), 429)
    # The identity search shares the budget: both are blind-index probes.
    assert_error(post(mc, f"{API}search/", {"nik": VICTIM_NIK}), 429)
    assert mc.post(reverse("cases:duplicates"), {"nik": VICTIM_NIK}).status_code == 429


def test_document_upload_list_and_audited_download(mc, manager, client_for, case, referred, disdik_officer):
    upload = mc.post(
        f"{API}{case['id']}/documents/",
        {"kind": "photo", "title": "Foto luka", "file": SimpleUploadedFile("luka.png", png_bytes(), "image/png")},
    )
    assert upload.status_code == 201, upload.content
    document = upload.json()
    assert document["mime"] == "image/png"
    listed = mc.get(f"{API}{case['id']}/documents/").json()
    assert [d["id"] for d in listed] == [document["id"]]

    download = mc.get(document["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="document.downloaded", actor=manager, object_id=document["id"]).exists()

    # The schooling agency sees the case but not its evidence, and cannot fetch it by id.
    agency = client_for(disdik_officer)
    assert_error(agency.get(f"{API}{case['id']}/documents/"), 403)
    assert agency.get(document["download_url"]).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded", actor=disdik_officer).exists()


def test_document_upload_refuses_a_disguised_file(mc, case):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    error = assert_error(mc.post(f"{API}{case['id']}/documents/", {"kind": "police_report", "file": fake}), 400)
    assert "file" in error["details"] or "non_field_errors" in error["details"]


def test_referral_documents_are_shared_by_the_agency_and_the_team(client_for, mc, case, referred, disdik_officer):
    url = f"{API}referrals/{referred['schooling']['id']}/documents/"
    agency = client_for(disdik_officer)
    upload = agency.post(
        url, {"kind": "service_report", "file": SimpleUploadedFile("laporan.png", png_bytes(), "image/png")}
    )
    assert upload.status_code == 201, upload.content
    assert [d["id"] for d in mc.get(url).json()] == [upload.json()["id"]]
    assert [d["id"] for d in agency.get(url).json()] == [upload.json()["id"]]
    other_url = f"{API}referrals/{referred['social_rehab']['id']}/documents/"
    assert_error(agency.get(other_url), 404)


# ---- refusals with the shared error body ----------------------------------------------------------


def test_closing_with_unresolved_rights_is_400_with_error_body(mc, case, referred):
    error = assert_error(post(mc, f"{API}{case['id']}/close/", {"reason": "resolved"}), 400, "invalid")
    assert "override_reason" in error["details"]
    assert Case.objects.get(pk=case["id"]).stage == "received"


def test_office_head_closes_with_unresolved_rights_only_with_a_reason(client_for, head, case, referred):
    client = client_for(head)
    assert_error(post(client, f"{API}{case['id']}/close/", {"reason": "victim_withdrew"}), 400)
    response = post(
        client, f"{API}{case['id']}/close/", {"reason": "victim_withdrew", "override_reason": "Keluarga pindah"}
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case["id"]).closure_override_by == head


def test_mediation_for_sexual_violence_is_400(mc, tenant, dinsos):
    case = create_case(mc, tenant, category="sexual", forms=["sexual"])
    response = post(mc, f"{API}{case['id']}/referrals/", {"agency": str(dinsos.pk), "service_type": "mediation"})
    error = assert_error(response, 400)
    assert "service_type" in error["details"]
    assert not Referral.objects.filter(case_id=case["id"]).exists()


def test_invalid_intake_is_400_with_field_details(mc, tenant):
    error = assert_error(post(mc, API, intake_payload(tenant, victims=[])), 400)
    assert "victims" in error["details"]
    bad_nik = intake_payload(tenant)
    bad_nik["victims"][0]["nik"] = "123"
    error = assert_error(post(mc, API, bad_nik), 400)
    assert "nik" in error["details"]
    # The error body never echoes identity values.
    assert VICTIM_NAME not in str(error)
    assert not Case.objects.exists()


def test_referral_to_another_tenants_agency_is_refused(mc, case, other_tenant):
    foreign = AgencyFactory(tenant=other_tenant, kind=Agency.Kind.DINSOS)
    response = post(mc, f"{API}{case['id']}/referrals/", {"agency": str(foreign.pk), "service_type": "social_rehab"})
    assert "agency" in assert_error(response, 400)["details"]


# ---- API tokens ------------------------------------------------------------------------------------


def test_api_token_authenticates_and_revoked_token_does_not(dinsos_officer, case, referred):
    client = token_client(dinsos_officer)
    response = client.get(f"{API}referrals/{referred['social_rehab']['id']}/")
    assert response.status_code == 200
    assert response.json()["case"]["number"] == case["number"]
    assert AuditEvent.objects.filter(action="referral.viewed", actor=dinsos_officer).exists()
    ApiToken.objects.filter(user=dinsos_officer).update(revoked_at=timezone.now())
    assert_error(client.get(f"{API}referrals/"), 401)


def test_session_without_second_factor_is_refused(manager, case):
    client = Client()
    client.force_login(manager)  # logged in, but no verified TOTP device for this session
    assert_error(client.get(f"{API}{case['id']}/"), 403)
