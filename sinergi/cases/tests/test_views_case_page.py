"""The case page: who may open it (404 for the invisible) and the audited reveal of an identity."""

import uuid

import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases.selectors import mask
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import make_referral
from .views_case_support import *  # noqa: F403  (fixtures)
from .views_case_support import (
    CHRONOLOGY,
    HTMX,
    PERPETRATOR_NAME,
    VICTIM_NAME,
    VICTIM_NIK,
    VICTIM_SCHOOL,
    detail_url,
    html,
    intake,
)

pytestmark = pytest.mark.django_db


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
        referral = make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
        Agency.objects.filter(pk=disdik.pk).update(kind=Agency.Kind.OTHER)  # may provide any service
        disdik.refresh_from_db()
        for service in ("schooling", "social_rehab", "medical", "psychological"):
            make_referral(actor=manager, case=case, agency=disdik, service_type=service)
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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
        victim = case.people.get(role="victim")
        response = client_for(disdik_officer).post(reverse("cases:reveal", args=[case.pk, victim.pk]), **HTMX)
        page = html(response)
        assert response.status_code == 200
        assert VICTIM_NAME in page
        assert VICTIM_SCHOOL in page
        assert VICTIM_NIK not in page

    def test_a_person_outside_the_readers_fields_is_refused(self, client_for, manager, case, disdik, disdik_officer):
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
