"""Actions on the case page: triage, stage, notes, rights, closure, referrals, diversion, documents, dashboard."""

import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Referral, RightItem
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import make_referral
from .views_case_support import *  # noqa: F403  (fixtures)
from .views_case_support import CHRONOLOGY, HTMX, detail_url, html, intake

pytestmark = pytest.mark.django_db


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
        assert response.status_code == 400
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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
        assert response.status_code == 400
        assert 'id="id_note-text_error"' in html(response)

    def test_the_office_head_assigns_to_a_case_manager(self, client_for, head, make_user, case):
        other = make_user(Role.CASE_MANAGER, full_name="Rina Pendamping")
        # The assignment form opens on demand: a GET of the action URL (the page with that form open).
        assert "Rina Pendamping" not in html(client_for(head).get(detail_url(case)))
        page = html(client_for(head).get(reverse("cases:case_assign", args=[case.pk])))
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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
        assert refused.status_code == 400
        assert f'id="id_{prefix}-reason_error"' in html(refused)

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
        assert response.status_code == 400
        assert str(services.ERR_UNRESOLVED_RIGHTS) in html(response)
        case.refresh_from_db()
        assert case.stage == "received"

    def test_the_office_head_closes_with_an_override_reason(self, client_for, head, case):
        page = html(client_for(head).get(reverse("cases:case_close", args=[case.pk])))
        assert 'name="close-override_reason"' in page
        without = client_for(head).post(reverse("cases:case_close", args=[case.pk]), {"close-reason": "resolved"})
        assert without.status_code == 400
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
                "referral-consent_given_by": "guardian",
                "referral-consent_giver_name": "Ibu Sari",
                "referral-consent_method": "thumbprint",
            },
        )
        assert response.status_code == 302
        referral = Referral.objects.get(case=case)
        assert (referral.agency, referral.service_type, referral.victim) == (disdik, "schooling", victim)
        page = html(client_for(manager).get(detail_url(case)))
        assert f"/cases/referrals/{referral.pk}/" in page

    def test_mediation_is_refused_for_sexual_violence_with_the_reason(self, client_for, manager, tenant):
        sexual = intake(manager, tenant, category=t.Category.SEXUAL, forms=["sexual"])
        uptd = AgencyFactory(tenant=tenant, kind="uptd_ppa")
        data = {"referral-agency": uptd.pk, "referral-service_type": "mediation"}
        response = client_for(manager).post(reverse("cases:case_refer", args=[sexual.pk]), data)
        assert response.status_code == 400
        assert str(services.ERR_MEDIATION_SEXUAL) in html(response)
        assert 'id="id_referral-service_type_error"' in html(response)
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
        assert response.status_code == 400
        assert 'id="id_referral-agency_error"' in html(response)
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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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
        make_referral(actor=manager, case=case, agency=disdik, service_type="schooling")
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


class TestFormsOnDemand:
    """The case page renders no action form until it is opened (GET of the action URL)."""

    def test_the_page_has_openers_not_forms_and_htmx_gets_only_the_form(self, client_for, manager, case):
        client = client_for(manager)
        page = html(client.get(detail_url(case)))
        triage_url = reverse("cases:case_triage", args=[case.pk])
        assert f'href="{triage_url}#slot-triage"' in page
        assert f'hx-get="{triage_url}"' in page
        assert 'name="triage-triage_immediate_danger"' not in page
        assert 'name="referral-agency"' not in page
        fragment = client.get(triage_url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200
        body = html(fragment)
        assert 'name="triage-triage_immediate_danger"' in body
        assert "<html" not in body
        assert "<h1" not in body
        full = html(client.get(triage_url))
        assert "<h1" in full
        assert 'name="triage-triage_immediate_danger"' in full

    def test_a_right_form_opens_for_that_right_only(self, client_for, manager, case):
        from sinergi.cases import selectors

        item = selectors.rights_for_case(case=case).first()
        assert item is not None
        fragment = html(
            client_for(manager).get(
                reverse("cases:case_right", args=[case.pk, item.pk]), headers={"HX-Request": "true"}
            )
        )
        assert f'name="right-{item.pk}-status"' in fragment
        assert fragment.count("<form") == 1

    def test_opening_a_form_keeps_the_permission(self, client_for, dinsos_officer, make_user, case):
        # An agency officer without a referral does not see the case: as if missing.
        assert client_for(dinsos_officer).get(reverse("cases:case_close", args=[case.pk])).status_code == 404

    def test_closing_lists_what_is_still_open_and_asks_first(self, client_for, head, case):
        body = html(client_for(head).get(reverse("cases:case_close", args=[case.pk]), headers={"HX-Request": "true"}))
        assert 'id="closure-open-items"' in body
        assert "data-confirm=" in body
