"""The case list, intake and the duplicate check, as the case team sees them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case
from sinergi.cases.selectors import mask

from .factories import make_referral
from .views_case_support import *  # noqa: F403  (fixtures)
from .views_case_support import (
    CHRONOLOGY,
    HTMX,
    PERPETRATOR_NAME,
    VICTIM_BIRTH,
    VICTIM_NAME,
    VICTIM_NIK,
    detail_url,
    html,
    intake,
)

pytestmark = pytest.mark.django_db


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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
        assert 'id="id_victim-nik_error"' in html(response)
        assert not Case.objects.exists()

    def test_form_errors_are_shown_per_field_and_nothing_is_saved(self, client_for, manager, tenant):
        data = intake_post(tenant, channel="", **{"victim-age": "-3", "victim-birth_date": "kemarin"})
        response = client_for(manager).post(reverse("cases:create"), data)
        page = html(response)
        assert response.status_code == 200
        assert 'id="id_channel_error"' in page
        assert 'id="id_victim-age_error"' in page
        assert 'id="id_victim-birth_date_error"' in page
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
        assert 'id="id_district_error"' in html(response)
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
