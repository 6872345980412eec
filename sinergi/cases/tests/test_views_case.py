"""The case team's HTML pages: list, intake, duplicate check, the case page and its actions.

Data is built through the services; users come from the conftest `make_user` fixture. Assertions are
about what a user or an attacker would see in the HTML.
"""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person, Referral, RightItem
from sinergi.cases.selectors import mask
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

VICTIM_NAME = "Melati Kusumawardani"
VICTIM_NIK = "6402015501140003"
VICTIM_BIRTH = dt.date(2014, 1, 15)
VICTIM_SCHOOL = "SD Negeri 7 Tenggarong"
PERPETRATOR_NAME = "Bambang Hartono Wijaya"
CHRONOLOGY = "Kronologi sangat rahasia tentang kejadian di rumah"

HTMX = {"HTTP_HX_REQUEST": "true"}


def intake(actor, tenant, *, category=t.Category.VIOLENCE_CHILD, forms=("physical",), nik=VICTIM_NIK, **kwargs):
    district = tenant.regency.districts.order_by("code").first()
    data = services.IntakeInput(
        channel=t.Channel.WALK_IN,
        reported_on=kwargs.pop("reported_on", timezone.localdate()),
        category=category,
        forms=list(forms),
        chronology=CHRONOLOGY,
        district_code=kwargs.pop("district_code", district.code),
        people=[
            services.PersonInput(
                full_name=VICTIM_NAME,
                nik=nik,
                birth_date=VICTIM_BIRTH,
                school_name=VICTIM_SCHOOL,
                sex=t.Sex.FEMALE,
            ),
            services.PersonInput(
                role=Person.Role.PERPETRATOR, full_name=PERPETRATOR_NAME, relation_to_victim=t.Relation.NEIGHBOUR
            ),
        ],
        **kwargs,
    )
    return services.case_intake(actor=actor, tenant=tenant, data=data)


def detail_url(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def case(manager, tenant):
    return intake(manager, tenant)


# ---- list ------------------------------------------------------------------------------------


class TestCaseList:
    def test_filters_narrow_the_list_on_the_server(self, client_for, manager, tenant):
        districts = list(tenant.regency.districts.order_by("code"))
        physical = intake(manager, tenant, district_code=districts[0].code)
        sexual = intake(manager, tenant, category=t.Category.SEXUAL, forms=["sexual"], district_code=districts[1].code)
        services.case_change_stage(actor=manager, case=physical, to_stage="outreach")
        client = client_for(manager)

        by_stage = html(client.get(reverse("cases:list"), {"stage": "outreach"}))
        assert physical.number in by_stage
        assert sexual.number not in by_stage

        by_category = html(client.get(reverse("cases:list"), {"category": "sexual"}))
        assert sexual.number in by_category
        assert physical.number not in by_category

        by_district = html(client.get(reverse("cases:list"), {"district": districts[1].code}))
        assert sexual.number in by_district
        assert physical.number not in by_district

        by_number = html(client.get(reverse("cases:list"), {"number": sexual.number[-5:]}))
        assert sexual.number in by_number
        assert physical.number not in by_number

    def test_overdue_and_assigned_to_me_filters(self, client_for, manager, make_user, tenant):
        colleague = make_user(Role.CASE_MANAGER)
        head = make_user(Role.OFFICE_HEAD)
        mine = intake(manager, tenant)
        theirs = intake(colleague, tenant)
        Case.objects.filter(pk=theirs.pk).update(first_response_due_at=timezone.now() - dt.timedelta(hours=1))
        client = client_for(head)

        overdue = html(client.get(reverse("cases:list"), {"overdue": "on"}))
        assert theirs.number in overdue
        assert mine.number not in overdue
        assert "<mark>" in overdue

        mine_page = html(client_for(manager).get(reverse("cases:list"), {"mine": "on"}))
        assert mine.number in mine_page
        assert theirs.number not in mine_page

    def test_report_date_range_filter(self, client_for, manager, tenant):
        old = intake(manager, tenant, reported_on=timezone.localdate() - dt.timedelta(days=40))
        new = intake(manager, tenant)
        since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
        page = html(client_for(manager).get(reverse("cases:list"), {"reported_from": since}))
        assert new.number in page
        assert old.number not in page

    def test_list_never_shows_another_tenants_cases(self, client_for, manager, make_user, tenant, other_tenant):
        own = intake(manager, tenant)
        foreign_manager = make_user(Role.CASE_MANAGER, tenant=other_tenant)
        foreign = intake(foreign_manager, other_tenant)
        head = make_user(Role.OFFICE_HEAD)
        page = html(client_for(head).get(reverse("cases:list")))
        assert own.number in page
        assert foreign.number not in page
        # Not even by searching for its number.
        search = html(client_for(head).get(reverse("cases:list"), {"number": foreign.number}))
        assert foreign.number not in search.split("</form>")[-1]

    def test_list_holds_no_identity_data(self, client_for, manager, case):
        page = html(client_for(manager).get(reverse("cases:list")))
        assert case.number in page
        assert VICTIM_NAME not in page
        assert VICTIM_NIK not in page
        assert mask(VICTIM_NAME) not in page

    def test_htmx_filter_returns_only_the_results_partial(self, client_for, manager, case):
        response = client_for(manager).get(reverse("cases:list"), {"stage": "received"}, **HTMX)
        assert response.status_code == 200
        assert html(response).lstrip().startswith('<section id="case-results"')
        assert case.number in html(response)

    def test_page_queries_are_bounded(self, client_for, manager, tenant, django_assert_max_num_queries):
        for _ in range(30):
            intake(manager, tenant)
        client = client_for(manager)
        client.get(reverse("cases:list"))  # warm the session and caches
        with django_assert_max_num_queries(12):
            response = client.get(reverse("cases:list"), {"page": 2})
        assert response.status_code == 200
        assert html(response).count('href="/cases/') >= 5

    def test_identity_search_finds_the_case_by_exact_nik_without_putting_it_in_a_url(
        self, client_for, manager, case, tenant
    ):
        other = intake(manager, tenant, nik="6402010101100099")
        response = client_for(manager).post(reverse("cases:list"), {"identity-nik": VICTIM_NIK})
        page = html(response)
        assert response.status_code == 200
        assert case.number in page
        assert other.number not in page
        assert f"nik={VICTIM_NIK}" not in page
        assert AuditEvent.objects.filter(action="case.identity_searched", actor=manager).exists()

    def test_identity_search_is_refused_to_an_agency_officer(self, client_for, disdik_officer):
        response = client_for(disdik_officer).post(reverse("cases:list"), {"identity-nik": VICTIM_NIK})
        assert response.status_code == 403

    def test_a_referred_agency_lists_its_cases_without_team_data_or_team_filters(
        self, client_for, manager, case, disdik, disdik_officer
    ):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        client = client_for(disdik_officer)
        page = html(client.get(reverse("cases:list")))
        assert case.number in page
        assert 'name="category"' not in page
        assert 'name="risk"' not in page
        assert case.get_category_display() not in page
        # A team-only filter is ignored, so it cannot be used to infer the case's risk or category.
        assert case.number in html(client.get(reverse("cases:list"), {"risk": "critical", "category": "tppo"}))
        assert case.number in html(client.get(reverse("cases:list"), {"referred": "on"}))

    def test_users_without_case_access_get_403(self, client_for, make_user):
        analyst = make_user(Role.ANALYST, agency=None)
        assert client_for(analyst).get(reverse("cases:list")).status_code == 403


# ---- intake and duplicates -------------------------------------------------------------------


def intake_post(tenant, **overrides) -> dict:
    district = tenant.regency.districts.order_by("code").first()
    village = district.villages.order_by("code").first()
    data = {
        "channel": t.Channel.HOTLINE,
        "reported_on": timezone.localdate().isoformat(),
        "category": t.Category.VIOLENCE_CHILD,
        "violence_forms": ["physical", "psychological"],
        "incident_place": t.Place.HOUSEHOLD,
        "district": district.code,
        "village": village.code,
        "chronology": CHRONOLOGY,
        "triage_perpetrator_at_home": "on",
        "victim-full_name": VICTIM_NAME,
        "victim-nik": VICTIM_NIK,
        "victim-birth_date": VICTIM_BIRTH.isoformat(),
        "victim-sex": "F",
        "victim-district": district.code,
        "perpetrator-full_name": PERPETRATOR_NAME,
        "perpetrator-relation_to_victim": t.Relation.NEIGHBOUR,
        "reporter-full_name": "Pak RT",
        "reporter-phone": "081234567890",
    }
    data.update(overrides)
    return data


class TestIntake:
    def test_the_form_renders_with_the_region_picker_and_triage(self, client_for, manager):
        response = client_for(manager).get(reverse("cases:create"))
        page = html(response)
        assert response.status_code == 200
        assert reverse("regions:village_options") in page
        assert 'name="triage_immediate_danger"' in page
        assert reverse("cases:duplicates") in page

    def test_posting_the_form_creates_the_case_and_redirects_to_it(self, client_for, manager, tenant):
        response = client_for(manager).post(reverse("cases:create"), intake_post(tenant))
        case = Case.objects.get(tenant=tenant)
        assert response.status_code == 302
        assert response["Location"] == detail_url(case)
        assert case.assigned_to == manager
        assert case.forms == ["physical", "psychological"]
        assert case.risk_level == t.RiskLevel.MEDIUM
        roles = sorted(case.people.values_list("role", flat=True))
        assert roles == ["perpetrator", "reporter", "victim"]
        victim = case.people.get(role="victim")
        assert victim.nik == VICTIM_NIK
        assert victim.is_child

    def test_service_errors_land_on_their_field(self, client_for, manager, tenant):
        response = client_for(manager).post(reverse("cases:create"), intake_post(tenant, **{"victim-nik": "12345"}))
        assert response.status_code == 200
        assert str(services.ERR_NIK) in html(response)
        assert 'id="id_victim-nik_errors"' in html(response)
        assert not Case.objects.exists()

    def test_form_errors_are_shown_per_field_and_nothing_is_saved(self, client_for, manager, tenant):
        data = intake_post(tenant, channel="", **{"victim-age": "-3", "victim-birth_date": "kemarin"})
        response = client_for(manager).post(reverse("cases:create"), data)
        page = html(response)
        assert response.status_code == 200
        assert 'id="id_channel_errors"' in page
        assert 'id="id_victim-age_errors"' in page
        assert 'id="id_victim-birth_date_errors"' in page
        # What was typed comes back, so nothing has to be typed twice.
        assert CHRONOLOGY in page
        assert not Case.objects.exists()

    def test_a_victim_whose_name_is_not_known_yet_can_be_registered(self, client_for, manager, tenant):
        data = intake_post(tenant, **{"victim-full_name": "", "victim-nik": "", "victim-age": "9"})
        assert client_for(manager).post(reverse("cases:create"), data).status_code == 302
        assert Case.objects.get().people.get(role="victim").age == 9

    def test_a_kecamatan_of_another_regency_is_refused(self, client_for, manager, tenant, other_tenant):
        foreign = other_tenant.regency.districts.order_by("code").first()
        response = client_for(manager).post(
            reverse("cases:create"), intake_post(tenant, district=foreign.code, village="")
        )
        assert response.status_code == 200
        assert 'id="id_district_errors"' in html(response)
        assert not Case.objects.exists()

    def test_outsiders_cannot_open_the_intake_form(self, client_for, make_user, disdik_officer):
        assert client_for(make_user(Role.ANALYST)).get(reverse("cases:create")).status_code == 403
        assert client_for(disdik_officer).get(reverse("cases:create")).status_code == 403

    def test_duplicate_check_warns_on_the_same_nik(self, client_for, manager, case):
        response = client_for(manager).post(reverse("cases:duplicates"), {"victim-nik": VICTIM_NIK}, **HTMX)
        page = html(response)
        assert response.status_code == 200
        assert 'role="alert"' in page  # the warning, in whichever UI language
        assert "(1 " in page
        assert case.number in page
        assert AuditEvent.objects.filter(action="case.duplicates_checked", actor=manager).exists()

    def test_duplicate_check_by_name_and_birth_date(self, client_for, manager, case):
        response = client_for(manager).post(
            reverse("cases:duplicates"),
            {"victim-full_name": "  melati  KUSUMAWARDANI", "victim-birth_date": VICTIM_BIRTH.isoformat()},
        )
        assert case.number in html(response)

    def test_duplicate_check_names_only_cases_the_user_may_see(self, client_for, manager, make_user, case):
        colleague = make_user(Role.CASE_MANAGER)
        # The case is assigned to `manager`: the colleague learns nothing, not even that the person is known.
        response = client_for(colleague).post(reverse("cases:duplicates"), {"victim-nik": VICTIM_NIK})
        page = html(response)
        assert response.status_code == 200
        assert page.strip() == ""
        assert case.number not in page

    def test_no_warning_for_an_unknown_person(self, client_for, manager, case):
        response = client_for(manager).post(reverse("cases:duplicates"), {"victim-nik": "6402019999999999"})
        assert html(response).strip() == ""

    def test_duplicate_check_is_for_the_case_team_only(self, client_for, disdik_officer, make_user):
        assert (
            client_for(disdik_officer).post(reverse("cases:duplicates"), {"victim-nik": VICTIM_NIK}).status_code == 403
        )
        satgas = make_user(Role.SATGAS_VOLUNTEER)
        assert client_for(satgas).post(reverse("cases:duplicates"), {"victim-nik": VICTIM_NIK}).status_code == 403

    def test_duplicate_check_is_rate_limited_per_user(self, client_for, manager):
        client = client_for(manager)
        statuses = [client.post(reverse("cases:duplicates"), {}).status_code for _ in range(21)]
        assert statuses[:20] == [200] * 20
        assert statuses[20] == 429

    def test_duplicate_check_is_post_only(self, client_for, manager):
        assert client_for(manager).get(reverse("cases:duplicates"), {"victim-nik": VICTIM_NIK}).status_code == 405


# ---- case page -------------------------------------------------------------------------------


class TestCasePageAccess:
    def test_the_case_manager_sees_the_full_page_and_the_read_is_audited(self, client_for, manager, case):
        response = client_for(manager).get(detail_url(case))
        page = html(response)
        assert response.status_code == 200
        assert case.number in page
        assert CHRONOLOGY in page
        assert AuditEvent.objects.filter(action="case.viewed", actor=manager, object_id=str(case.pk)).count() == 1

    def test_another_tenants_office_head_gets_404(self, client_for, make_user, other_tenant, case):
        foreign_head = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
        assert client_for(foreign_head).get(detail_url(case)).status_code == 404

    def test_an_agency_officer_without_referral_gets_404(self, client_for, make_user, tenant, case):
        dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS)
        officer = make_user(Role.SERVICE_PROVIDER, agency=dinsos)
        assert client_for(officer).get(detail_url(case)).status_code == 404
        assert not AuditEvent.objects.filter(action="case.viewed", actor=officer).exists()

    def test_a_colleague_case_manager_of_an_assigned_case_gets_404(self, client_for, make_user, case):
        assert client_for(make_user(Role.CASE_MANAGER)).get(detail_url(case)).status_code == 404

    def test_a_random_uuid_is_404(self, client_for, manager):
        assert client_for(manager).get(reverse("cases:detail", args=[uuid.uuid4()])).status_code == 404

    def test_the_referred_schooling_officer_sees_only_the_schooling_fields(
        self, client_for, manager, case, disdik, disdik_officer
    ):
        referral = services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        response = client_for(disdik_officer).get(detail_url(case))
        page = html(response)
        assert response.status_code == 200
        assert case.number in page
        assert CHRONOLOGY not in page
        assert PERPETRATOR_NAME not in page
        assert mask(PERPETRATOR_NAME) not in page
        assert VICTIM_NIK not in page
        assert mask(VICTIM_NIK) not in page
        # Its own fields are there, masked; and the way to its referral.
        assert mask(VICTIM_SCHOOL) in page
        assert VICTIM_NAME not in page
        assert f"/cases/referrals/{referral.pk}/" in page
        # No team sections.
        assert reverse("cases:case_stage", args=[case.pk]) not in page
        assert "Timeline" not in page
        assert "Linimasa" not in page

    def test_the_page_issues_a_bounded_number_of_queries(
        self, client_for, head, manager, case, disdik, django_assert_max_num_queries
    ):
        for service in ("schooling", "social_rehab", "medical", "psychological"):
            services.referral_create(actor=manager, case=case, agency=disdik, service_type=service)
        for i in range(20):
            services.case_add_note(actor=manager, case=case, text=f"note {i}")
        client = client_for(head)
        client.get(detail_url(case))
        with django_assert_max_num_queries(20):  # incl. session, 2FA, audit write and its savepoint
            assert client.get(detail_url(case)).status_code == 200

    def test_the_satgas_reporter_sees_number_date_and_stage_only(self, client_for, make_user, tenant):
        satgas = make_user(Role.SATGAS_VOLUNTEER)
        reported = intake(satgas, tenant)
        response = client_for(satgas).get(detail_url(reported))
        page = html(response)
        assert response.status_code == 200
        assert reported.number in page
        assert CHRONOLOGY not in page
        assert mask(VICTIM_NAME) not in page
        assert reverse("cases:reveal", args=[reported.pk, uuid.uuid4()]).rsplit("/", 3)[0] not in page


class TestReveal:
    def test_identity_is_masked_by_default(self, client_for, manager, case):
        page = html(client_for(manager).get(detail_url(case)))
        assert VICTIM_NAME not in page
        assert VICTIM_NIK not in page
        assert PERPETRATOR_NAME not in page
        assert mask(VICTIM_NAME) in page
        assert mask(VICTIM_NIK) in page

    def test_reveal_shows_the_plaintext_and_is_audited(self, client_for, manager, case):
        victim = case.people.get(role="victim")
        url = reverse("cases:reveal", args=[case.pk, victim.pk])
        response = client_for(manager).post(url, **HTMX)
        page = html(response)
        assert response.status_code == 200
        assert VICTIM_NAME in page
        assert VICTIM_NIK in page
        assert PERPETRATOR_NAME not in page  # only the person asked for
        event = AuditEvent.objects.get(action="case.identity_revealed")
        assert event.actor == manager
        assert event.object_id == str(case.pk)
        assert VICTIM_NIK not in str(event.extra)
        assert VICTIM_NAME not in str(event.extra)

    def test_reveal_without_htmx_renders_the_page_with_that_person_in_clear(self, client_for, manager, case):
        victim = case.people.get(role="victim")
        response = client_for(manager).post(reverse("cases:reveal", args=[case.pk, victim.pk]))
        assert response.status_code == 200
        assert VICTIM_NAME in html(response)

    def test_the_schooling_officer_reveals_only_its_fields(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        victim = case.people.get(role="victim")
        response = client_for(disdik_officer).post(reverse("cases:reveal", args=[case.pk, victim.pk]), **HTMX)
        page = html(response)
        assert response.status_code == 200
        assert VICTIM_NAME in page
        assert VICTIM_SCHOOL in page
        assert VICTIM_NIK not in page

    def test_a_person_outside_the_readers_fields_is_refused(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        perpetrator = case.people.get(role="perpetrator")
        response = client_for(disdik_officer).post(reverse("cases:reveal", args=[case.pk, perpetrator.pk]))
        # Not in the reader's projection: as if missing (404), like the API.
        assert response.status_code == 404
        assert PERPETRATOR_NAME not in html(response)
        assert not AuditEvent.objects.filter(action="case.identity_revealed").exists()

    def test_outsiders_and_guessed_ids_get_404(self, client_for, make_user, other_tenant, manager, case):
        victim = case.people.get(role="victim")
        foreign_head = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
        assert client_for(foreign_head).post(reverse("cases:reveal", args=[case.pk, victim.pk])).status_code == 404
        other_case = intake(manager, case.tenant, nik="6402010101100077")
        mixed = reverse("cases:reveal", args=[other_case.pk, victim.pk])
        assert client_for(manager).post(mixed).status_code == 404
        assert client_for(manager).post(reverse("cases:reveal", args=[case.pk, uuid.uuid4()])).status_code == 404
        assert not AuditEvent.objects.filter(action="case.identity_revealed").exists()

    def test_reveal_is_post_only(self, client_for, manager, case):
        victim = case.people.get(role="victim")
        assert client_for(manager).get(reverse("cases:reveal", args=[case.pk, victim.pk])).status_code == 405


class TestCaseActions:
    def test_an_allowed_stage_transition_moves_the_case(self, client_for, manager, case):
        page = html(client_for(manager).get(detail_url(case)))
        assert 'value="outreach"' in page
        assert 'value="assessment"' in page
        assert 'value="monitoring"' not in page
        response = client_for(manager).post(reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "outreach"})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.stage == "outreach"
        assert case.first_responded_at is not None

    def test_a_refused_transition_shows_the_error_and_changes_nothing(self, client_for, manager, case):
        response = client_for(manager).post(
            reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "monitoring"}
        )
        assert response.status_code == 200
        assert str(services.ERR_STAGE) in html(response)
        case.refresh_from_db()
        assert case.stage == "received"

    def test_htmx_errors_come_back_as_422_with_the_case_body(self, client_for, manager, case):
        response = client_for(manager).post(
            reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "monitoring"}, **HTMX
        )
        assert response.status_code == 422
        assert html(response).lstrip().startswith('<div id="case-body">')

    def test_htmx_success_returns_the_refreshed_body(self, client_for, manager, case):
        response = client_for(manager).post(
            reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "assessment"}, **HTMX
        )
        assert response.status_code == 200
        assert 'value="planning"' in html(response)

    def test_a_referred_agency_cannot_change_the_stage(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        response = client_for(disdik_officer).post(
            reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "outreach"}
        )
        assert response.status_code == 403
        case.refresh_from_db()
        assert case.stage == "received"

    def test_an_outsider_posting_gets_404(self, client_for, make_user, other_tenant, case):
        foreign_head = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
        response = client_for(foreign_head).post(
            reverse("cases:case_stage", args=[case.pk]), {"stage-to_stage": "outreach"}
        )
        assert response.status_code == 404

    def test_actions_are_post_only(self, client_for, manager, case):
        assert client_for(manager).get(reverse("cases:case_stage", args=[case.pk])).status_code == 405

    def test_first_response_triage_and_note(self, client_for, manager, case):
        client = client_for(manager)
        client.post(reverse("cases:case_first_response", args=[case.pk]), {"first_response-note": "Ditelepon"})
        client.post(reverse("cases:case_triage", args=[case.pk]), {"triage-triage_immediate_danger": "on"})
        client.post(reverse("cases:case_note", args=[case.pk]), {"note-text": "Catatan kunjungan rumah"})
        case.refresh_from_db()
        assert case.first_responded_at is not None
        assert case.risk_level == t.RiskLevel.CRITICAL
        page = html(client.get(detail_url(case)))
        assert "Catatan kunjungan rumah" in page

    def test_an_empty_note_is_a_field_error(self, client_for, manager, case):
        response = client_for(manager).post(reverse("cases:case_note", args=[case.pk]), {"note-text": "  "})
        assert response.status_code == 200
        assert 'id="id_note-text_errors"' in html(response)

    def test_the_office_head_assigns_to_a_case_manager(self, client_for, head, make_user, case):
        other = make_user(Role.CASE_MANAGER, full_name="Rina Pendamping")
        page = html(client_for(head).get(detail_url(case)))
        assert "Rina Pendamping" in page
        response = client_for(head).post(reverse("cases:case_assign", args=[case.pk]), {"assign-assignee": other.pk})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.assigned_to == other

    def test_a_case_manager_cannot_assign(self, client_for, manager, make_user, case):
        other = make_user(Role.CASE_MANAGER)
        assert reverse("cases:case_assign", args=[case.pk]) not in html(client_for(manager).get(detail_url(case)))
        response = client_for(manager).post(reverse("cases:case_assign", args=[case.pk]), {"assign-assignee": other.pk})
        assert response.status_code == 403

    def test_the_timeline_is_capped_with_show_more(self, client_for, manager, case):
        for i in range(55):
            services.case_add_note(actor=manager, case=case, text=f"note-{i:02d}")
        client = client_for(manager)
        page = html(client.get(detail_url(case)))
        assert "note-54" in page
        assert "note-00" not in page
        more = client.get(reverse("cases:case_timeline", args=[case.pk]), {"offset": 50}, **HTMX)
        assert more.status_code == 200
        assert "note-00" in html(more)

    def test_the_timeline_is_for_the_team_only(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        assert client_for(disdik_officer).get(reverse("cases:case_timeline", args=[case.pk])).status_code == 403


class TestRightsAndClosure:
    def test_unresolved_rights_are_highlighted(self, client_for, manager, case):
        page = html(client_for(manager).get(detail_url(case)))
        assert "<mark>" in page
        assert reverse("cases:case_right", args=[case.pk, case.rights.get(right="fast_response").pk]) in page

    def test_a_right_needs_a_reason_and_can_go_back_to_automatic(self, client_for, manager, case):
        item = case.rights.get(right="education")
        url = reverse("cases:case_right", args=[case.pk, item.pk])
        prefix = f"right-{item.pk}"
        client = client_for(manager)

        refused = client.post(url, {f"{prefix}-status": "planned", f"{prefix}-reason": ""})
        assert refused.status_code == 200
        assert f'id="id_{prefix}-reason_errors"' in html(refused)

        client.post(url, {f"{prefix}-status": "planned", f"{prefix}-reason": "Anak putus sekolah"})
        item.refresh_from_db()
        assert (item.status, item.is_manual) == ("planned", True)

        client.post(url, {f"{prefix}-status": "auto", f"{prefix}-reason": "Tidak perlu lagi"})
        item.refresh_from_db()
        assert (item.status, item.is_manual) == ("not_needed", False)

    def test_a_right_of_another_case_is_404(self, client_for, manager, case, tenant):
        other = intake(manager, tenant, nik="6402010101100055")
        item = other.rights.first()
        response = client_for(manager).post(
            reverse("cases:case_right", args=[case.pk, item.pk]), {f"right-{item.pk}-status": "fulfilled"}
        )
        assert response.status_code == 404

    def test_closing_with_unresolved_rights_is_refused_for_a_case_manager(self, client_for, manager, case):
        assert RightItem.objects.filter(case=case, status__in=t.UNRESOLVED_RIGHT_STATUSES).exists()
        page = html(client_for(manager).get(detail_url(case)))
        assert 'name="close-override_reason"' not in page
        response = client_for(manager).post(
            reverse("cases:case_close", args=[case.pk]),
            {"close-reason": "resolved", "close-override_reason": "Saya yakin"},
        )
        assert response.status_code == 200
        assert str(services.ERR_UNRESOLVED_RIGHTS) in html(response)
        case.refresh_from_db()
        assert case.stage == "received"

    def test_the_office_head_closes_with_an_override_reason(self, client_for, head, case):
        page = html(client_for(head).get(detail_url(case)))
        assert 'name="close-override_reason"' in page
        without = client_for(head).post(reverse("cases:case_close", args=[case.pk]), {"close-reason": "resolved"})
        assert without.status_code == 200
        case.refresh_from_db()
        assert case.stage == "received"
        response = client_for(head).post(
            reverse("cases:case_close", args=[case.pk]),
            {"close-reason": "resolved", "close-override_reason": "Keluarga pindah ke luar daerah"},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.stage == "closed"
        assert case.closure_override_by == head

    def test_a_closed_case_can_be_reopened(self, client_for, head, case):
        services.case_close(actor=head, case=case, reason="resolved", override_reason="Pindah")
        page = html(client_for(head).get(detail_url(case)))
        assert reverse("cases:case_reopen", args=[case.pk]) in page
        assert reverse("cases:case_close", args=[case.pk]) not in page
        client_for(head).post(reverse("cases:case_reopen", args=[case.pk]), {"reopen-reason": "Laporan baru"})
        case.refresh_from_db()
        assert case.stage == t.REOPEN_STAGE


class TestReferrals:
    def test_the_team_refers_to_an_agency(self, client_for, manager, case, disdik):
        victim = case.people.get(role="victim")
        response = client_for(manager).post(
            reverse("cases:case_refer", args=[case.pk]),
            {
                "referral-agency": disdik.pk,
                "referral-service_type": "schooling",
                "referral-victim": victim.pk,
                "referral-note": "Mohon bantu pindah sekolah",
            },
        )
        assert response.status_code == 302
        referral = Referral.objects.get(case=case)
        assert (referral.agency, referral.service_type, referral.victim) == (disdik, "schooling", victim)
        page = html(client_for(manager).get(detail_url(case)))
        assert f"/cases/referrals/{referral.pk}/" in page

    def test_mediation_is_refused_for_sexual_violence_with_the_reason(self, client_for, manager, tenant, disdik):
        sexual = intake(manager, tenant, category=t.Category.SEXUAL, forms=["sexual"])
        data = {"referral-agency": disdik.pk, "referral-service_type": "mediation"}
        response = client_for(manager).post(reverse("cases:case_refer", args=[sexual.pk]), data)
        assert response.status_code == 200
        assert str(services.ERR_MEDIATION_SEXUAL) in html(response)
        assert 'id="id_referral-service_type_errors"' in html(response)
        assert not Referral.objects.filter(case=sexual).exists()

        htmx = client_for(manager).post(reverse("cases:case_refer", args=[sexual.pk]), data, **HTMX)
        assert htmx.status_code == 422
        assert str(services.ERR_MEDIATION_SEXUAL) in html(htmx)

    def test_an_agency_of_another_tenant_cannot_be_chosen(self, client_for, manager, case, other_tenant):
        foreign = AgencyFactory(tenant=other_tenant)
        response = client_for(manager).post(
            reverse("cases:case_refer", args=[case.pk]),
            {"referral-agency": foreign.pk, "referral-service_type": "schooling"},
        )
        assert response.status_code == 200
        assert 'id="id_referral-agency_errors"' in html(response)
        assert not Referral.objects.exists()


class TestDiversionAndDocuments:
    def test_diversion_is_shown_and_recorded_for_abh_cases(self, client_for, manager, tenant, case):
        assert reverse("cases:case_diversion", args=[case.pk]) not in html(client_for(manager).get(detail_url(case)))
        abh = intake(manager, tenant, category=t.Category.ABH, forms=[], nik="6402010101100066")
        assert reverse("cases:case_diversion", args=[abh.pk]) in html(client_for(manager).get(detail_url(abh)))
        response = client_for(manager).post(
            reverse("cases:case_diversion", args=[abh.pk]),
            {"diversion-level": "investigation", "diversion-outcome": "agreed", "diversion-is_bapas_involved": "on"},
        )
        assert response.status_code == 302
        assert abh.diversions.get().outcome == "agreed"

    def test_the_team_uploads_and_lists_documents(self, client_for, manager, case):
        from django.core.files.uploadedfile import SimpleUploadedFile

        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        upload = SimpleUploadedFile("laporan-polisi.pdf", pdf, content_type="application/pdf")
        response = client_for(manager).post(
            reverse("cases:case_document_upload", args=[case.pk]),
            {"document-kind": "police_report", "document-title": "Laporan polisi", "document-file": upload},
        )
        assert response.status_code == 302
        page = html(client_for(manager).get(detail_url(case)))
        assert "Laporan polisi" in page
        entry = case.timeline.get(kind="document")
        assert entry.summary == "police_report"
        assert entry.text == "Laporan polisi"
        assert "/documents/" in page
        assert "/download/" in page

    def test_a_referred_agency_sees_no_case_documents(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        page = html(client_for(disdik_officer).get(detail_url(case)))
        assert reverse("cases:case_document_upload", args=[case.pk]) not in page
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        response = client_for(disdik_officer).post(
            reverse("cases:case_document_upload", args=[case.pk]), {"document-kind": "other", "document-file": upload}
        )
        assert response.status_code == 403


class TestDashboard:
    def test_case_workers_see_their_counts(self, client_for, manager, case):
        page = html(client_for(manager).get(reverse("core:home")))
        assert f"{reverse('cases:list')}?mine=on" in page
        assert f"{reverse('cases:list')}?overdue=on" in page

    def test_agency_officers_see_their_referral_inbox(self, client_for, manager, case, disdik, disdik_officer):
        services.referral_create(actor=manager, case=case, agency=disdik, service_type="schooling")
        page = html(client_for(disdik_officer).get(reverse("core:home")))
        assert 'href="/cases/referrals/"' in page
        assert f"{reverse('cases:list')}?mine=on" not in page

    def test_satgas_volunteers_see_the_report_button_and_their_reports(self, client_for, make_user, tenant):
        satgas = make_user(Role.SATGAS_VOLUNTEER)
        reported = intake(satgas, tenant)
        page = html(client_for(satgas).get(reverse("core:home")))
        assert 'href="/cases/satgas/new/"' in page
        assert reported.number in page
        assert CHRONOLOGY not in page
