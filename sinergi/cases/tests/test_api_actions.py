"""Each case API endpoint with its personas: the case team acts, a read-only colleague is refused (403
when the case is visible to them, 404 otherwise), and the list, search, drafts, statistics and export
endpoints answer with the same policy as the pages."""

import datetime as dt
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Case, Diversion, IntakeDraft, Person, Referral, RightItem, TimelineEntry

from .test_api_support import *  # noqa: F403  (fixtures)
from .test_api_support import (
    API,
    CHRONOLOGY,
    PERPETRATOR_NAME,
    VICTIM_NAME,
    VICTIM_NIK,
    assert_error,
    create_case,
    intake_payload,
    keys_of,
    post,
    text_of,
    victim_id,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hc(client_for, head):
    return client_for(head)


# ---- list and search -------------------------------------------------------------------------------


def test_list_filters_run_on_the_server(mc, tenant):
    districts = list(tenant.regency.districts.order_by("code"))
    physical = create_case(mc, tenant, district=districts[0].code)
    sexual = create_case(mc, tenant, category="sexual", forms=["sexual"], district=districts[1].code)
    post(mc, f"{API}{physical['id']}/stage/", {"to_stage": "outreach"})

    def numbers(**params) -> set[str]:
        response = mc.get(API, params)
        assert response.status_code == 200, response.content
        return {row["number"] for row in response.json()["results"]}

    assert numbers(stage="outreach") == {physical["number"]}
    assert numbers(category="sexual") == {sexual["number"]}
    assert numbers(district=districts[1].code) == {sexual["number"]}
    assert numbers(number=sexual["number"][-5:]) == {sexual["number"]}
    assert numbers(mine="true") == {physical["number"], sexual["number"]}
    assert numbers(risk="critical") == set()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert numbers(reported_from=tomorrow) == set()
    assert (
        "reported_to"
        in assert_error(mc.get(API, {"reported_from": tomorrow, "reported_to": "2020-01-01"}), 400)["details"]
    )
    assert_error(mc.get(API, {"stage": "nonsense"}), 400)


def test_list_rows_hold_no_identity_and_team_details_only_for_the_team(mc, client_for, case, referred, disdik_officer):
    team_rows = mc.get(API).json()["results"]
    assert team_rows[0]["category"] == "violence_child"
    assert VICTIM_NAME not in text_of(team_rows)
    assert VICTIM_NIK not in text_of(team_rows)

    agency_page = client_for(disdik_officer).get(API, {"referred_to_my_agency": "true"}).json()
    assert [row["number"] for row in agency_page["results"]] == [case["number"]]
    assert not keys_of(agency_page) & {"category", "risk_level", "district", "assigned_to"}


def test_overdue_filter(mc, tenant):
    late = create_case(mc, tenant)
    on_time = create_case(mc, tenant)
    Case.objects.filter(pk=late["id"]).update(first_response_due_at=timezone.now() - dt.timedelta(hours=1))
    rows = mc.get(API, {"overdue": "true"}).json()["results"]
    assert [r["number"] for r in rows] == [late["number"]]
    assert rows[0]["is_overdue"] is True
    assert on_time["number"] not in text_of(rows)


def test_list_queries_do_not_grow_with_rows(mc, tenant):
    for _ in range(12):
        create_case(mc, tenant)
    mc.get(API)

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = mc.get(API, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(ctx.captured_queries)

    small, large = queries(2), queries(12)
    assert small == large
    assert large <= 15  # session, user, 2FA device, throttle, tenant, count, page


def test_identity_search_is_exact_audited_and_for_the_team_only(mc, manager, client_for, tenant, case, disdik_officer):
    other = intake_payload(tenant)
    other["victims"][0]["nik"] = "6402010101100099"
    create_case(mc, tenant, victims=other["victims"])
    response = post(mc, f"{API}search/", {"nik": VICTIM_NIK})
    assert [row["number"] for row in response.json()["results"]] == [case["number"]]
    by_name = post(mc, f"{API}search/", {"full_name": VICTIM_NAME.upper(), "birth_date": "2014-01-15"})
    assert case["number"] in text_of(by_name.json())
    event = AuditEvent.objects.filter(action="case.identity_searched", actor=manager).order_by("id").first()
    assert event.fields == ["nik"]
    assert VICTIM_NIK not in str(event.extra)
    # The exact full name alone (issue 19, the name index) finds both cases naming that child ...
    by_name_only = post(mc, f"{API}search/", {"full_name": VICTIM_NAME})
    assert by_name_only.json()["count"] == 2
    # ... while the duplicate check still wants the birth date with a name.
    assert_error(post(mc, f"{API}duplicates/", {"full_name": VICTIM_NAME}), 400)
    assert_error(post(mc, f"{API}search/", {"birth_date": "2014-01-15"}), 400)
    assert_error(post(client_for(disdik_officer), f"{API}search/", {"nik": VICTIM_NIK}), 403)


def test_duplicate_check_names_only_visible_cases(mc, client_for, make_user, tenant, case):
    colleague = make_user(Role.CASE_MANAGER)
    response = post(client_for(colleague), f"{API}duplicates/", {"nik": VICTIM_NIK})
    # The case is assigned to `manager`: the colleague learns nothing about it, not even a count.
    assert response.json() == {"count": 0, "visible_case_numbers": []}
    assert post(mc, f"{API}duplicates/", {"nik": VICTIM_NIK}).json() == {
        "count": 1,
        "visible_case_numbers": [case["number"]],
    }
    assert AuditEvent.objects.filter(action="case.duplicates_checked").count() == 2
    assert_error(post(client_for(make_user(Role.ANALYST)), f"{API}duplicates/", {"nik": VICTIM_NIK}), 403)


# ---- intake personas -----------------------------------------------------------------------------


def test_satgas_intake_then_stage_only(client_for, make_user, tenant):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    client = client_for(volunteer)
    body = create_case(client, tenant, channel="satgas")
    assert body["fields"] == []
    assert body["victims"] == []
    assert "chronology" not in body
    detail = client.get(f"{API}{body['id']}/").json()
    assert set(detail) == {"id", "number", "stage", "reported_on", "fields", "victims", "perpetrators", "reporters"}
    assert VICTIM_NAME not in text_of(detail)
    assert CHRONOLOGY not in text_of(detail)
    assert [r["number"] for r in client.get(API).json()["results"]] == [body["number"]]
    assert_error(client.get(f"{API}{body['id']}/timeline/"), 403)


def test_analyst_and_agency_officer_cannot_register_cases(client_for, make_user, tenant, disdik_officer):
    for user in (make_user(Role.ANALYST), disdik_officer):
        assert_error(post(client_for(user), API, intake_payload(tenant)), 403)
    assert not Case.objects.exists()


# ---- case actions ------------------------------------------------------------------------------


def test_triage_sets_risk(mc, case):
    response = post(mc, f"{API}{case['id']}/triage/", {"immediate_danger": True})
    assert response.status_code == 200
    assert response.json()["risk_level"] == "critical"
    assert response.json()["triage"]["immediate_danger"] is True


def test_first_response_fulfils_fast_response(mc, case):
    assert post(mc, f"{API}{case['id']}/first-response/", {"note": "Dihubungi"}).status_code == 200
    fast = RightItem.objects.get(case_id=case["id"], right="fast_response")
    assert fast.status == "fulfilled"


def test_stage_transition_rules(mc, case):
    error = assert_error(post(mc, f"{API}{case['id']}/stage/", {"to_stage": "monitoring"}), 400)
    assert "stage" in error["details"]
    assert_error(post(mc, f"{API}{case['id']}/stage/", {"to_stage": "closed"}), 400)


def test_assignment_by_office_head_only(mc, hc, make_user, case, tenant, other_tenant):
    colleague = make_user(Role.CASE_MANAGER)
    assert_error(post(mc, f"{API}{case['id']}/assign/", {"assignee": str(colleague.pk)}), 403)
    response = post(hc, f"{API}{case['id']}/assign/", {"assignee": str(colleague.pk)})
    assert response.status_code == 200
    assert response.json()["assigned_to"] == str(colleague.pk)
    foreign = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    assert (
        "assignee"
        in assert_error(post(hc, f"{API}{case['id']}/assign/", {"assignee": str(foreign.pk)}), 400)["details"]
    )
    # The previous manager no longer sees the case.
    assert_error(mc.get(f"{API}{case['id']}/"), 404)


def test_note_goes_to_the_timeline(mc, case):
    response = post(mc, f"{API}{case['id']}/notes/", {"text": "Kunjungan rumah dijadwalkan"})
    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    timeline = mc.get(f"{API}{case['id']}/timeline/").json()
    assert timeline["results"][0]["text"] == "Kunjungan rumah dijadwalkan"
    assert_error(post(mc, f"{API}{case['id']}/notes/", {"text": ""}), 400)


def test_incident_update_keeps_unsent_fields(mc, case):
    response = post(mc, f"{API}{case['id']}/incident/", {"forms": ["sexual"], "category": "sexual"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["forms"] == ["sexual"]
    assert body["category"] == "sexual"
    assert body["chronology"] == CHRONOLOGY
    assert body["incident_place"] == "household"


def test_person_add_returns_the_masked_projection(mc, case):
    response = post(
        mc, f"{API}{case['id']}/people/", {"role": "victim", "full_name": "Dewi Lestari", "birth_date": "2016-05-01"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "D••• L•••"
    assert response.json()["is_child"] is True
    assert RightItem.objects.filter(victim_id=response.json()["id"]).exists()
    assert_error(post(mc, f"{API}{case['id']}/people/", {"role": "judge"}), 400)


def test_rights_set_by_hand_and_back_to_auto(mc, case):
    item = RightItem.objects.get(case_id=case["id"], right="medical_rehab")
    url = f"{API}rights/{item.pk}/"
    assert "reason" in assert_error(post(mc, url, {"status": "planned", "reason": ""}), 400)["details"]
    response = post(mc, url, {"status": "planned", "reason": "Perlu visum"})
    assert response.json()["status"] == "planned"
    assert response.json()["is_manual"] is True
    response = post(mc, url, {"status": "auto", "reason": "Kembali otomatis"})
    assert response.json()["status"] == "not_needed"
    assert response.json()["is_manual"] is False


def test_close_and_reopen(mc, case):
    post(mc, f"{API}{case['id']}/first-response/", {})
    assert post(mc, f"{API}{case['id']}/close/", {"reason": "not_a_case"}).status_code == 200
    assert_error(post(mc, f"{API}{case['id']}/stage/", {"to_stage": "outreach"}), 403)
    assert "reason" in assert_error(post(mc, f"{API}{case['id']}/reopen/", {}), 400)["details"]
    response = post(mc, f"{API}{case['id']}/reopen/", {"reason": "Laporan baru"})
    assert response.status_code == 200
    assert response.json()["stage"] == "assessment"


def test_diversion_only_for_abh_cases(mc, tenant, case):
    body = {"level": "investigation", "outcome": "agreed", "decided_on": timezone.localdate().isoformat()}
    assert_error(post(mc, f"{API}{case['id']}/diversions/", body), 400)
    abh = create_case(mc, tenant, category="abh", forms=[])
    response = post(mc, f"{API}{abh['id']}/diversions/", body)
    assert response.status_code == 200, response.content
    assert mc.get(f"{API}{abh['id']}/diversions/").json()[0]["outcome"] == "agreed"
    assert Diversion.objects.filter(case_id=abh["id"]).count() == 1


def test_actions_by_a_visible_but_read_only_reader_are_403(client_for, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    for path, body in (
        ("triage/", {}),
        ("first-response/", {}),
        ("notes/", {"text": "x"}),
        ("incident/", {}),
        ("people/", {"role": "victim"}),
        ("close/", {"reason": "resolved"}),
        ("referrals/", {"agency": str(uuid.uuid4()), "service_type": "medical"}),
    ):
        assert_error(post(client, f"{API}{case['id']}/{path}", body), 403)
    assert TimelineEntry.objects.filter(case_id=case["id"], kind="note").count() == 0


# ---- referrals -----------------------------------------------------------------------------------


def test_decline_needs_a_reason_and_hides_the_case_afterwards(client_for, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    url = f"{API}referrals/{referred['schooling']['id']}/"
    assert "reason" in assert_error(post(client, f"{url}respond/", {"accept": False}), 400)["details"]
    response = post(client, f"{url}respond/", {"accept": False, "reason": "Bukan wilayah kami"})
    assert response.json()["status"] == "declined"
    assert_error(client.get(url), 404)
    assert_error(client.get(f"{API}{case['id']}/"), 404)
    # The inbox lists only what the referral page would show: the declined referral is gone from it.
    inbox = client.get(f"{API}referrals/", {"status": "all"}).json()["results"]
    assert referred["schooling"]["id"] not in [r["id"] for r in inbox]
    for status in ("declined", "cancelled"):
        assert_error(client.get(f"{API}referrals/", {"status": status}), 400)


def test_service_record_requires_acceptance_and_the_right_agency(client_for, mc, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    url = f"{API}referrals/{referred['schooling']['id']}/services/"
    body = {"delivered_on": timezone.localdate().isoformat(), "outcome": "ongoing"}
    assert_error(post(client, url, body), 403)  # not accepted yet
    assert_error(post(mc, url, body), 403)  # the case team does not record the agency's service
    post(client, f"{API}referrals/{referred['schooling']['id']}/respond/", {"accept": True})
    future = {**body, "delivered_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}
    assert "delivered_on" in assert_error(post(client, url, future), 400)["details"]
    assert post(client, url, body).status_code == 201
    rights = {r["right"]: r["status"] for r in mc.get(f"{API}{case['id']}/rights/").json()}
    assert rights["education"] == "in_progress"


def test_cancel_by_the_case_team_only(client_for, mc, case, referred, disdik_officer):
    url = f"{API}referrals/{referred['social_rehab']['id']}/cancel/"
    assert_error(
        post(client_for(disdik_officer), f"{API}referrals/{referred['schooling']['id']}/cancel/", {"reason": "x"}), 403
    )
    assert "reason" in assert_error(post(mc, url, {}), 400)["details"]
    response = post(mc, url, {"reason": "Sudah ditangani keluarga"})
    assert response.json()["status"] == "cancelled"
    assert Referral.objects.get(pk=referred["social_rehab"]["id"]).status == "cancelled"


def test_inbox_filters_and_requires_an_agency(client_for, make_user, case, referred, disdik_officer):
    client = client_for(disdik_officer)
    assert [r["id"] for r in client.get(f"{API}referrals/").json()["results"]] == [referred["schooling"]["id"]]
    assert client.get(f"{API}referrals/", {"status": "completed"}).json()["count"] == 0
    assert client.get(f"{API}referrals/", {"status": "all"}).json()["count"] == 1
    assert_error(client.get(f"{API}referrals/", {"status": "bogus"}), 400)
    no_agency = client_for(make_user(Role.ANALYST, agency=None))
    assert_error(no_agency.get(f"{API}referrals/"), 403)


def test_case_team_sees_every_referral_of_the_case(mc, case, referred):
    services = {r["service_type"] for r in mc.get(f"{API}{case['id']}/referrals/").json()}
    assert services == {"social_rehab", "schooling"}


# ---- drafts -------------------------------------------------------------------------------------


def test_drafts_belong_to_their_author(client_for, make_user):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    client = client_for(volunteer)
    created = post(client, f"{API}drafts/", {"payload": {"victim_name": VICTIM_NAME}})
    assert created.status_code == 201
    draft_url = f"{API}drafts/{created.json()['id']}/"
    updated = client.put(draft_url, {"payload": {"victim_name": "X"}}, content_type="application/json")
    assert updated.json()["payload"] == {"victim_name": "X"}
    assert [d["id"] for d in client.get(f"{API}drafts/").json()] == [created.json()["id"]]

    intruder = client_for(make_user(Role.SATGAS_VOLUNTEER))
    assert_error(intruder.get(draft_url), 404)
    assert_error(intruder.delete(draft_url), 404)
    assert intruder.get(f"{API}drafts/").json() == []
    assert "payload" in assert_error(post(client, f"{API}drafts/", {"payload": "text"}), 400)["details"]
    assert client.delete(draft_url).status_code == 204
    assert not IntakeDraft.objects.exists()


# ---- statistics and export ---------------------------------------------------------------------


def test_statistics_for_analyst_but_not_for_an_agency(client_for, make_user, mc, tenant, case, disdik_officer):
    today = timezone.localdate()
    response = client_for(make_user(Role.ANALYST)).get(f"{API}statistics/", {"year": today.year, "month": today.month})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totals"]["cases"] == 1
    assert body["totals"]["victims"] == 1
    assert {tbl["slug"] for tbl in body["tables"]} >= {"category", "form", "age_band", "sex", "district"}
    assert VICTIM_NAME not in response.content.decode()
    assert_error(client_for(disdik_officer).get(f"{API}statistics/", {"year": today.year}), 403)
    assert_error(mc.get(f"{API}statistics/"), 400)


def test_simfoni_export_csv_and_xlsx_are_audited_and_identity_free(
    mc, client_for, make_user, case, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    head = make_user(Role.OFFICE_HEAD)
    hc = client_for(head)
    # The case manager's own case is in it, yet the tenant-wide row-level export is the office head's.
    assert_error(mc.get(f"{API}export/simfoni/", {"format": "csv", "year": year}), 403)
    response = hc.get(f"{API}export/simfoni/", {"format": "csv", "year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    assert case["number"] in content
    for secret in (VICTIM_NAME, VICTIM_NIK, PERPETRATOR_NAME, CHRONOLOGY):
        assert secret not in content
    # The XLSX is built by a background job: 202 with the job, its progress URL in Location.
    with django_capture_on_commit_callbacks(execute=True):
        started = hc.get(f"{API}export/simfoni/", {"format": "xlsx", "year": year})
    assert started.status_code == 202
    assert started["Location"] == started.json()["url"]
    job = hc.get(started["Location"]).json()
    assert job["status"] == "done"
    xlsx = hc.get(job["download_url"])
    assert xlsx.status_code == 200
    assert xlsx["Cache-Control"] == "no-store, private"
    data = b"".join(xlsx.streaming_content)
    assert data[:2] == b"PK"
    cells = [
        c for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True) for c in row
    ]
    assert case["number"] in cells
    for secret in (VICTIM_NAME, VICTIM_NIK, PERPETRATOR_NAME, CHRONOLOGY):
        assert secret not in str(cells)
    assert AuditEvent.objects.filter(action="cases.exported", actor=head).count() == 2
    assert_error(client_for(make_user(Role.ANALYST)).get(f"{API}export/simfoni/", {"year": year}), 403)
    assert_error(hc.get(f"{API}export/simfoni/", {"format": "pdf", "year": year}), 400)
    day = timezone.localdate().isoformat()
    assert_error(hc.get(f"{API}export/simfoni/", {"date_from": day, "date_to": day}), 400)
    assert AuditEvent.objects.filter(action="cases.exported").count() == 2


def test_summary_pdf_for_the_team(mc, case):
    response = mc.get(f"{API}{case['id']}/summary.pdf")
    assert response.status_code == 200
    assert response.content[:4] == b"%PDF"
    assert AuditEvent.objects.filter(action__contains="summary", object_id=case["id"]).exists()


def test_people_of_other_cases_cannot_be_referred_as_victims(mc, tenant, case, dinsos):
    other = create_case(mc, tenant)
    response = post(
        mc,
        f"{API}{case['id']}/referrals/",
        {"agency": str(dinsos.pk), "service_type": "social_rehab", "victim": victim_id(other)},
    )
    assert "victim" in assert_error(response, 400)["details"]
    perpetrator = Person.objects.get(case_id=case["id"], role=Person.Role.PERPETRATOR)
    response = post(
        mc,
        f"{API}{case['id']}/referrals/",
        {"agency": str(dinsos.pk), "service_type": "social_rehab", "victim": str(perpetrator.pk)},
    )
    assert "victim" in assert_error(response, 400)["details"]
