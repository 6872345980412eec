"""The referral letter (surat rujukan, issue 19): read back with pypdf, it names the service, the agency,
the nomor surat, the due date in Indonesian and the signatory, and holds only the fields of that
service's need-to-know set."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Referral
from sinergi.tenants.models import Agency, Signatory
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import make_referral
from .reports_support import pdf_text, squash
from .views_case_support import *  # noqa: F403  (fixtures)
from .views_case_support import CHRONOLOGY, PERPETRATOR_NAME, VICTIM_NAME, VICTIM_NIK, VICTIM_SCHOOL

pytestmark = pytest.mark.django_db

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
MONTHS += ["September", "Oktober", "November", "Desember"]


def _id_long(day: dt.date) -> str:
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def signatory(tenant):
    return Signatory.objects.create(
        tenant=tenant, name="Dra. Sri Wahyuningsih", position="Kepala Dinas", nip="197001011995032001", is_default=True
    )


def _refer(manager, case, kind, service):
    agency = AgencyFactory(tenant=case.tenant, kind=kind)
    due = dt.date.today() + dt.timedelta(days=10)
    return make_referral(manager, case, agency, service, due_on=due)  # with the guardian's consent on record


def _print(client, referral):
    return client.post(reverse("cases:referral_letter", args=[referral.pk]))


def test_schooling_letter_holds_the_schooling_set_only(client_for, manager, case, signatory):
    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    response = _print(client_for(manager), referral)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    referral.refresh_from_db()
    with translation.override("id"):
        service = str(t.ServiceType.SCHOOLING.label)
    for expected in (
        service,
        referral.agency.name,
        referral.letter_number,
        case.number,
        _id_long(referral.due_on),
        signatory.name,
        VICTIM_NAME,  # in the schooling set, written out (not masked) for the receiving school
        VICTIM_SCHOOL,
        "15 Januari 2014",  # the birth date (in the schooling set), written as letters write dates
    ):
        assert squash(expected) in text, expected
    for outside in (VICTIM_NIK, CHRONOLOGY, PERPETRATOR_NAME, "Kronologi"):
        assert squash(outside) not in text, outside


def test_police_letter_carries_what_the_police_set_allows(client_for, manager, case, signatory):
    """The control: the same case for a service whose set holds the NIK, the chronology and the perpetrator."""
    referral = _refer(manager, case, Agency.Kind.POLICE_PPA, t.ServiceType.POLICE)
    text = pdf_text(_print(client_for(manager), referral).content)
    for expected in (VICTIM_NIK, CHRONOLOGY, PERPETRATOR_NAME):
        assert squash(expected) in text, expected
    assert squash(VICTIM_SCHOOL) not in text  # the school is not in the police set


def test_the_number_is_taken_once_and_the_print_is_audited(client_for, manager, case, signatory):
    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    client = client_for(manager)
    _print(client, referral)
    first = Referral.objects.get(pk=referral.pk).letter_number
    assert first
    _print(client, referral)
    assert Referral.objects.get(pk=referral.pk).letter_number == first
    events = AuditEvent.objects.filter(action="case.referral_letter_printed", actor=manager)
    assert events.count() == 2
    assert "victim.school_name" in events.first().fields
    assert VICTIM_NAME not in str(events.first().extra)


def test_api_returns_the_same_letter(client_for, manager, case, signatory):
    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    response = client_for(manager).post(f"/api/v1/cases/referrals/{referral.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert squash(VICTIM_SCHOOL) in text
    assert squash(VICTIM_NIK) not in text


def test_the_receiving_agency_and_strangers_cannot_print_it(
    client_for, manager, case, disdik, disdik_officer, other_tenant
):
    referral = make_referral(manager, case, disdik, t.ServiceType.SCHOOLING)
    officer = client_for(disdik_officer)
    assert _print(officer, referral).status_code == 403
    assert officer.post(f"/api/v1/cases/referrals/{referral.pk}/letter/").status_code == 403
    assert not Referral.objects.get(pk=referral.pk).letter_number


def test_a_cancelled_referral_gets_no_letter(client_for, manager, case, signatory):
    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    services.referral_cancel(actor=manager, referral=referral, reason="Salah instansi")
    assert _print(client_for(manager), referral).status_code == 403


def test_the_referral_page_offers_the_button_to_the_team_only(client_for, manager, case, disdik, disdik_officer):
    referral = make_referral(manager, case, disdik, t.ServiceType.SCHOOLING)
    url = reverse("cases:referral_detail", args=[referral.pk])
    letter_url = reverse("cases:referral_letter", args=[referral.pk])
    assert letter_url in client_for(manager).get(url).content.decode()
    assert letter_url not in client_for(disdik_officer).get(url).content.decode()


def test_the_case_team_chooses_who_signs_and_a_bad_choice_takes_no_number(
    client_for, manager, case, signatory, tenant, other_tenant
):
    deputy = Signatory.objects.create(tenant=tenant, name="Ir. Bambang Wiratmoko", position="Sekretaris Dinas")
    foreign = Signatory.objects.create(tenant=other_tenant, name="Drs. Orang Lain", position="Kepala Dinas")
    retired = Signatory.objects.create(tenant=tenant, name="H. Sudah Pensiun", position="Kepala", is_active=False)
    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    client = client_for(manager)
    page = client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert 'name="letter-signatory"' in page
    assert "Ir. Bambang Wiratmoko" in page
    assert "H. Sudah Pensiun" not in page
    url = reverse("cases:referral_letter", args=[referral.pk])
    for bad in (foreign.pk, retired.pk, "not-a-uuid"):
        response = client.post(url, {"letter-signatory": bad})
        assert response.status_code == 400
        assert 'id="id_letter-signatory_error"' in response.content.decode()
        api = client.post(
            f"/api/v1/cases/referrals/{referral.pk}/letter/", {"signatory": str(bad)}, content_type="application/json"
        )
        assert api.status_code == 400
    referral.refresh_from_db()
    assert referral.letter_number == ""  # nothing taken by a refused letter
    assert not AuditEvent.objects.filter(action="case.referral_letter_printed").exists()
    text = squash(pdf_text(client.post(url, {"letter-signatory": deputy.pk}).content))
    assert squash("Ir. Bambang Wiratmoko") in text
    assert squash("Dra. Sri Wahyuningsih") not in text
    api = client.post(f"/api/v1/cases/referrals/{referral.pk}/letter/", {}, content_type="application/json")
    assert api.status_code == 200
    assert squash("Dra. Sri Wahyuningsih") in squash(pdf_text(api.content))  # none chosen: the default signs


def test_a_letter_for_a_referral_cancelled_meanwhile_takes_no_number_and_a_failed_render_gives_it_back(
    client_for, manager, case, signatory, monkeypatch
):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from sinergi.cases.services import letters

    referral = _refer(manager, case, Agency.Kind.DISDIK, t.ServiceType.SCHOOLING)
    monkeypatch.setattr(letters.letters, "render_letter_pdf", lambda **kw: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        services.referral_letter_pdf(actor=manager, referral=referral)
    referral.refresh_from_db()
    assert referral.letter_number == ""  # the number went back with the failed render
    monkeypatch.undo()
    Referral.objects.filter(pk=referral.pk).update(status=t.ReferralStatus.CANCELLED)  # cancelled meanwhile
    with pytest.raises(DjangoValidationError):
        services.referral_letter_pdf(actor=manager, referral=referral)  # the object still says "pending"
    referral.refresh_from_db()
    assert referral.letter_number == ""
