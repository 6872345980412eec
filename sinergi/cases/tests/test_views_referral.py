"""The receiving agency's pages: inbox, referral page (need-to-know), accept/decline, services, documents."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Referral, RightItem, ServiceRecord
from sinergi.documents.models import Document
from sinergi.documents.tests.factories import plain_png, upload
from sinergi.tenants.models import Agency

from .factories import PerpetratorInputFactory, PersonInputFactory, make_agency, make_case, make_referral, victim_of

pytestmark = pytest.mark.django_db

INBOX = reverse("cases:referral_inbox")


def detail_url(referral) -> str:
    return reverse("cases:referral_detail", args=[referral.pk])


@pytest.fixture
def colleague(make_user, dinsos):
    """Another officer of the same agency."""
    return make_user(Role.SERVICE_PROVIDER, agency=dinsos)


@pytest.fixture
def outsider(make_user, other_tenant):
    agency = make_agency(other_tenant, Agency.Kind.DINSOS, short_name="Dinsos Paser")
    return make_user(Role.SERVICE_PROVIDER, tenant=other_tenant, agency=agency)


@pytest.fixture
def case(cm, tenant):
    return make_case(
        cm,
        tenant,
        chronology="Kronologi rahasia: korban dipukul di rumah tetangga.",
        people=[
            PersonInputFactory(full_name="Siti Rahmawati", nik="6402011234567890", address="Jl. Melati 7"),
            PerpetratorInputFactory(full_name="Bambang Sutejo"),
        ],
    )


@pytest.fixture
def referral(cm, case, dinsos):
    return make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB, note="Mohon kunjungan rumah minggu ini.")


# ---- Inbox ----------------------------------------------------------------------------------------


def test_inbox_lists_only_own_agency_referrals(
    client_for, make_user, cm, tenant, officer, referral, disdik, other_tenant
):
    other_case = make_case(cm, tenant)
    make_referral(cm, other_case, disdik, t.ServiceType.SCHOOLING)
    foreign_cm = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    foreign_case = make_case(foreign_cm, other_tenant)
    foreign_dinsos = make_agency(other_tenant, Agency.Kind.DINSOS, short_name="Dinsos Paser")
    make_referral(foreign_cm, foreign_case, foreign_dinsos, t.ServiceType.SOCIAL_REHAB)

    response = client_for(officer).get(INBOX)

    assert response.status_code == 200
    body = response.content.decode()
    assert referral.case.number in body
    assert detail_url(referral) in body
    assert other_case.number not in body
    assert foreign_case.number not in body


def test_inbox_rows_show_nothing_about_the_case_but_its_number(client_for, officer, referral):
    body = client_for(officer).get(INBOX).content.decode()

    assert referral.case.number in body
    assert "Siti" not in body
    assert "Kronologi" not in body
    assert "Mohon kunjungan" not in body  # the note is on the referral page, not in the list


def test_inbox_is_sorted_oldest_due_first_and_flags_overdue(client_for, cm, officer, case, dinsos):
    later = make_referral(
        cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE, due_on=timezone.localdate() + dt.timedelta(days=20)
    )
    sooner = make_referral(
        cm, case, dinsos, t.ServiceType.SOCIAL_REHAB, due_on=timezone.localdate() + dt.timedelta(days=2)
    )
    overdue = make_referral(cm, case, dinsos, t.ServiceType.SHELTER)
    Referral.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))

    body = client_for(officer).get(INBOX).content.decode()

    positions = [body.index(detail_url(r)) for r in (overdue, sooner, later)]
    assert positions == sorted(positions)
    overdue_row = body[body.index(detail_url(overdue)) : body.index(detail_url(sooner))]
    assert "<mark>" in overdue_row
    sooner_row = body[body.index(detail_url(sooner)) : body.index(detail_url(later))]
    assert "<mark>" not in sooner_row


def test_inbox_tabs_filter_by_status(client_for, cm, officer, case, dinsos):
    from sinergi.cases import services

    pending = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    accepted = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    declined = make_referral(cm, case, dinsos, t.ServiceType.SHELTER)
    services.referral_respond(actor=officer, referral=accepted, accept=True)
    services.referral_respond(actor=officer, referral=declined, accept=False, reason="Kapasitas penuh")
    client = client_for(officer)

    def listed(status: str | None) -> set:
        response = client.get(INBOX, {"status": status} if status else {})
        return {r.pk for r in response.context["page"].object_list}

    assert listed(None) == {pending.pk, accepted.pk}
    assert listed("accepted") == {accepted.pk}
    assert listed("completed") == set()
    # The inbox lists exactly what the referral page would show: a declined referral is a 404 there.
    assert listed("declined") == {pending.pk, accepted.pk}
    assert listed("nonsense") == {pending.pk, accepted.pk}
    declined_body = client.get(INBOX, {"status": "declined"}).content.decode()
    assert detail_url(declined) not in declined_body
    assert "Kapasitas" not in declined_body
    assert client.get(detail_url(declined)).status_code == 404


def test_inbox_is_paginated(client_for, cm, officer, case, dinsos):
    for _ in range(27):
        make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    client = client_for(officer)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2


def test_user_without_agency_may_not_open_the_inbox(client_for, make_user):
    analyst = make_user(Role.ANALYST, agency=None)
    assert client_for(analyst).get(INBOX).status_code == 403


def test_anonymous_is_sent_to_login(client, referral):
    response = client.get(detail_url(referral))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---- Referral page: personas and need-to-know ------------------------------------------------------


def test_officer_sees_the_referral_and_the_view_is_audited(client_for, officer, referral):
    response = client_for(officer).get(detail_url(referral))

    assert response.status_code == 200
    body = response.content.decode()
    assert referral.case.number in body
    assert "Mohon kunjungan rumah minggu ini." in body
    assert AuditEvent.objects.filter(action="referral.viewed", object_id=str(referral.pk), actor=officer).exists()


def test_colleague_of_the_same_agency_sees_it_too(client_for, colleague, referral):
    assert client_for(colleague).get(detail_url(referral)).status_code == 200


def test_case_team_can_open_the_referral_page(client_for, cm, referral):
    response = client_for(cm).get(detail_url(referral))

    assert response.status_code == 200
    assert reverse("cases:detail", args=[referral.case_id]) in response.content.decode()
    assert "decline_form" not in response.context  # the case team does not answer for the agency


def test_officer_of_another_agency_gets_404(client_for, disdik_officer, referral):
    assert client_for(disdik_officer).get(detail_url(referral)).status_code == 404


def test_officer_of_another_tenant_gets_404(client_for, outsider, referral):
    assert client_for(outsider).get(detail_url(referral)).status_code == 404
    assert client_for(outsider).post(reverse("cases:referral_accept", args=[referral.pk])).status_code == 404


def test_unknown_referral_gets_404(client_for, officer):
    assert client_for(officer).get(reverse("cases:referral_detail", args=[uuid.uuid4()])).status_code == 404


def test_schooling_agency_html_lacks_chronology_perpetrator_and_nik(client_for, cm, case, disdik, disdik_officer):
    referral = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)

    response = client_for(disdik_officer).get(detail_url(referral))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Kronologi rahasia" not in body
    assert "Bambang" not in body
    assert "Sutejo" not in body
    assert "B••• S•••" not in body
    assert "6402011234567890" not in body
    assert "64••••" not in body
    assert "Jl. Melati" not in body  # address is not in the schooling set either
    assert "Siti Rahmawati" not in body  # masked until the audited reveal
    assert "S••• R•••" in body
    projection = response.context["p"]
    assert "chronology" not in projection
    assert projection["perpetrators"] == []
    assert "nik" not in projection["victims"][0]


def test_social_rehabilitation_agency_sees_its_set_but_not_the_chronology(client_for, officer, referral):
    body = client_for(officer).get(detail_url(referral)).content.decode()

    assert "Kronologi rahasia" not in body
    assert "Bambang" not in body
    assert "Sutejo" not in body
    assert "J•••" in body  # masked address of the victim (in the social rehabilitation set)


def test_reveal_button_points_to_the_audited_reveal(client_for, officer, referral):
    victim = victim_of(referral.case)
    reveal = reverse("cases:reveal", args=[referral.case_id, victim.pk])
    client = client_for(officer)

    page = client.get(detail_url(referral)).content.decode()
    assert reveal in page

    response = client.post(reveal, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Siti Rahmawati" in response.content.decode()
    event = AuditEvent.objects.get(action="case.identity_revealed", actor=officer)
    assert "victim.nik" not in event.fields  # the reveal follows the same field set


# ---- Accept / decline -----------------------------------------------------------------------------


def test_officer_accepts_a_referral(client_for, officer, referral):
    client = client_for(officer)

    response = client.post(reverse("cases:referral_accept", args=[referral.pk]))

    assert response.status_code == 302
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.ACCEPTED
    assert referral.responded_by == officer
    # Once accepted: no answer form any more, the service form instead.
    page = client.get(detail_url(referral))
    assert "decline_form" not in page.context
    assert "service_form" in page.context
    assert client.post(reverse("cases:referral_accept", args=[referral.pk])).status_code == 403


def test_decline_requires_a_reason(client_for, officer, referral):
    response = client_for(officer).post(reverse("cases:referral_decline", args=[referral.pk]), {"decline-reason": " "})

    assert response.status_code == 400
    assert response.context["decline_form"].errors
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.PENDING


def test_declining_with_a_reason_hands_the_referral_back(client_for, officer, referral):
    client = client_for(officer)

    response = client.post(
        reverse("cases:referral_decline", args=[referral.pk]), {"decline-reason": "Tidak ada pekerja sosial."}
    )

    assert response.status_code == 302
    assert response["Location"] == INBOX
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.DECLINED
    assert referral.decline_reason == "Tidak ada pekerja sosial."
    assert AuditEvent.objects.filter(action="referral.declined", object_id=str(referral.pk)).exists()
    # Need-to-know ends with the decline.
    assert client.get(detail_url(referral)).status_code == 404


def test_case_team_may_not_answer_for_the_agency(client_for, cm, referral):
    assert client_for(cm).post(reverse("cases:referral_accept", args=[referral.pk])).status_code == 403
    response = client_for(cm).post(reverse("cases:referral_decline", args=[referral.pk]), {"decline-reason": "x"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.PENDING


def test_accept_is_post_only(client_for, officer, referral):
    assert client_for(officer).get(reverse("cases:referral_accept", args=[referral.pk])).status_code == 405


# ---- Services -------------------------------------------------------------------------------------


def service_data(**overrides) -> dict:
    data = {
        "service-delivered_on": timezone.localdate().isoformat(),
        "service-sessions": "2",
        "service-outcome": t.ServiceOutcome.COMPLETED,
        "service-notes": "Kunjungan rumah dan konseling keluarga.",
    }
    data.update(overrides)
    return data


def test_service_cannot_be_recorded_before_accepting(client_for, officer, referral):
    response = client_for(officer).post(reverse("cases:referral_service", args=[referral.pk]), service_data())
    assert response.status_code == 403
    assert not ServiceRecord.objects.exists()


def test_recording_a_completed_service_completes_the_referral_and_fulfils_the_right(client_for, officer, referral):
    client = client_for(officer)
    client.post(reverse("cases:referral_accept", args=[referral.pk]))

    response = client.post(reverse("cases:referral_service", args=[referral.pk]), service_data())

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.COMPLETED
    service = ServiceRecord.objects.get(referral=referral)
    assert service.sessions == 2
    assert service.recorded_by == officer
    right = RightItem.objects.get(case=referral.case, victim=victim_of(referral.case), right=t.Right.SOCIAL_REHAB)
    assert right.status == t.RightStatus.FULFILLED
    page = client.get(detail_url(referral)).content.decode()
    assert "Kunjungan rumah dan konseling keluarga." in page
    assert "service_form" not in client.get(detail_url(referral)).context  # completed: nothing more to record


def test_ongoing_service_keeps_the_referral_open(client_for, officer, referral):
    client = client_for(officer)
    client.post(reverse("cases:referral_accept", args=[referral.pk]))

    client.post(reverse("cases:referral_service", args=[referral.pk]), service_data(**{"service-outcome": "ongoing"}))

    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.ACCEPTED


def test_invalid_service_shows_errors(client_for, officer, referral):
    client = client_for(officer)
    client.post(reverse("cases:referral_accept", args=[referral.pk]))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("cases:referral_service", args=[referral.pk]),
        service_data(**{"service-delivered_on": tomorrow, "service-sessions": "0"}),
    )

    assert response.status_code == 400
    form = response.context["service_form"]
    assert "sessions" in form.errors
    assert not ServiceRecord.objects.exists()


# ---- Documents ------------------------------------------------------------------------------------


def test_officer_uploads_and_downloads_a_referral_document(client_for, officer, referral, disdik_officer):
    client = client_for(officer)

    response = client.post(
        reverse("cases:referral_document_upload", args=[referral.pk]),
        {
            "document-kind": "service_report",
            "document-title": "Laporan kunjungan",
            "document-file": upload(plain_png(), "foto.png", "image/png"),
        },
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.owner == referral
    page = client.get(detail_url(referral)).content.decode()
    assert "Laporan kunjungan" in page
    download = reverse("documents:download", args=[document.pk])
    assert download in page
    assert client.get(download).status_code == 200
    assert AuditEvent.objects.filter(action="document.downloaded", object_id=str(document.pk)).exists()
    # An agency without this referral cannot fetch it.
    assert client_for(disdik_officer).get(download).status_code == 404


def test_upload_rejects_a_disguised_file(client_for, officer, referral):
    response = client_for(officer).post(
        reverse("cases:referral_document_upload", args=[referral.pk]),
        {"document-kind": "other", "document-file": upload(b"#!/bin/sh\necho hi\n", "x.pdf")},
    )

    assert response.status_code == 400
    assert response.context["document_form"].errors
    assert not Document.objects.exists()


def test_other_agency_cannot_upload(client_for, disdik_officer, referral):
    response = client_for(disdik_officer).post(
        reverse("cases:referral_document_upload", args=[referral.pk]),
        {"document-kind": "other", "document-file": upload(plain_png(), "foto.png", "image/png")},
    )
    assert response.status_code == 404
    assert not Document.objects.exists()
