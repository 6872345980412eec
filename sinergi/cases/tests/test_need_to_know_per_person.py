"""Issue 20: need-to-know per person, not per case — and access that ends or never starts.

Each test here failed on the code before the fix: field sets joined per case, a duplicate check that
counted cases the asker may not open, an inbox listing declined referrals, an agency that kept its
reveal for ever, guardian contacts handed to agencies when the guardian is the suspect, the religious
service receiving the case category, Satgas drafts left behind after submission, and impossible dates.
"""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, IntakeDraft, Person, Referral
from sinergi.notifications.models import Notification
from sinergi.tenants.models import Agency

from .factories import (
    IntakeInputFactory,
    PerpetratorInputFactory,
    PersonInputFactory,
    complete_referral,
    first_district,
    make_agency,
    make_case,
    make_referral,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"
HTMX = {"HTTP_HX_REQUEST": "true"}

ANI = {"full_name": "Ani Rahmawati", "nik": "6402011111111111", "birth_date": dt.date(2013, 5, 6)}
BUDI = {"full_name": "Budi Santoso", "nik": "6402012222222222", "birth_date": dt.date(2011, 8, 9), "sex": "M"}


@pytest.fixture
def siblings(cm, tenant, dinsos):
    """Two children on one case: Dinsos is referred for Ani's rehabilitation and Budi's assistance."""
    case = make_case(
        cm,
        tenant,
        people=[PersonInputFactory(**ANI), PersonInputFactory(**BUDI), PerpetratorInputFactory()],
    )
    ani = case.people.get(role=Person.Role.VICTIM, nik_bidx=_bidx(ANI["nik"]))
    budi = case.people.get(role=Person.Role.VICTIM, nik_bidx=_bidx(BUDI["nik"]))
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB, victim=ani)  # no NIK, no birth date
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE, victim=budi)  # NIK and birth date
    return case, ani, budi


def _bidx(nik: str) -> str:
    from sinergi.core.crypto import nik_index

    return nik_index(nik)


def _victim(body: dict, person: Person) -> dict:
    return next(v for v in body["victims"] if v["id"] == str(person.pk))


# ---- 1. field sets per child --------------------------------------------------------------------


def test_json_gives_each_child_only_the_fields_of_their_own_services(client_for, siblings, dinsos_officer):
    case, ani, budi = siblings
    client = client_for(dinsos_officer)
    body = client.get(f"{API}{case.pk}/").json()
    assert "nik" not in _victim(body, ani)
    assert "birth_date" not in _victim(body, ani)
    assert {"nik", "birth_date"} <= set(_victim(body, budi))
    revealed = client.get(f"{API}{case.pk}/", {"reveal": [str(ani.pk), str(budi.pk)]})
    text = revealed.content.decode()
    assert revealed.status_code == 200
    assert ANI["full_name"] in text
    assert ANI["nik"] not in text
    assert ANI["birth_date"].isoformat() not in text
    assert BUDI["nik"] in text
    assert BUDI["birth_date"].isoformat() in text


def test_html_reveal_of_a_child_gives_only_that_childs_fields(client_for, siblings, dinsos_officer):
    case, ani, budi = siblings
    client = client_for(dinsos_officer)
    page = client.post(reverse("cases:reveal", args=[case.pk, ani.pk]), **HTMX).content.decode()
    assert ANI["full_name"] in page
    assert ANI["nik"] not in page
    assert ANI["birth_date"].isoformat() not in page
    page = client.post(reverse("cases:reveal", args=[case.pk, budi.pk]), **HTMX).content.decode()
    assert BUDI["nik"] in page
    full = client.post(reverse("cases:reveal", args=[case.pk, ani.pk])).content.decode()
    assert ANI["nik"] not in full
    assert "64••••••••••11" not in full  # not even Ani's masked NIK


def test_pdf_prints_the_nik_row_only_for_the_child_referred_for_it(client_for, siblings, dinsos_officer, cm):
    case, _ani, _budi = siblings
    response = client_for(dinsos_officer).get(reverse("cases:summary_pdf", args=[case.pk]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert response.status_code == 200
    assert text.count("NIK") == 1  # Budi's row; Ani's service set has no NIK
    team = client_for(cm).get(reverse("cases:summary_pdf", args=[case.pk]))
    team_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(team.content)).pages)
    assert ANI["nik"] in team_text
    assert BUDI["nik"] in team_text


# ---- 2. the duplicate check is not an existence oracle ------------------------------------------


def test_a_match_in_a_colleagues_case_reaches_the_office_head_not_the_author(cm, head, make_user, tenant, client_for):
    known = make_case(cm, tenant, victim=ANI)
    colleague = make_user(Role.CASE_MANAGER)
    answer = (
        client_for(colleague).post(f"{API}duplicates/", {"nik": ANI["nik"]}, content_type="application/json").json()
    )
    assert answer == {"count": 0, "visible_case_numbers": []}
    page = client_for(colleague).post(reverse("cases:duplicates"), {"victim-nik": ANI["nik"]}).content.decode()
    assert page.strip() == ""

    new = make_case(colleague, tenant, victim=ANI)

    notice = Notification.objects.get(kind="possible_duplicate")
    assert notice.recipient == head
    assert new.number in notice.title
    assert known.number in notice.body
    assert notice.url == f"/cases/{new.pk}/"
    assert not Notification.objects.filter(recipient=colleague, kind="possible_duplicate").exists()
    assert AuditEvent.objects.filter(action="case.possible_duplicate_flagged", object_id=str(new.pk)).exists()


def test_no_duplicate_notice_when_the_author_may_see_the_other_case(cm, head, tenant):
    make_case(cm, tenant, victim=ANI)
    make_case(cm, tenant, victim=ANI)  # the same case manager: the page already warned them
    make_case(head, tenant, victim=ANI)  # the office head sees every case
    assert not Notification.objects.filter(kind="possible_duplicate").exists()


# ---- 3./4. export and inbox are covered in test_reports_export.py / test_views_referral.py --------------


def test_inbox_api_lists_exactly_what_the_referral_pages_show(client_for, cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    declined = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    cancelled = make_referral(cm, case, dinsos, t.ServiceType.SHELTER)
    kept = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    services.referral_respond(actor=dinsos_officer, referral=declined, accept=False, reason="Di luar wilayah")
    services.referral_cancel(actor=cm, referral=cancelled, reason="Salah agensi")
    client = client_for(dinsos_officer)
    listed = {r["id"] for r in client.get(f"{API}referrals/", {"status": "all"}).json()["results"]}
    assert listed == {str(kept.pk)}
    for referral in (declined, cancelled, kept):
        page = client.get(reverse("cases:referral_detail", args=[referral.pk])).status_code
        assert (page == 200) == (str(referral.pk) in listed)


# ---- access that ends: the grace period after a completed referral -------------------------------


def test_after_the_grace_period_the_agency_keeps_a_summary_but_cannot_reveal(
    client_for, cm, tenant, dinsos, dinsos_officer
):
    case = make_case(cm, tenant, victim=ANI)
    referral = complete_referral(dinsos_officer, make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE))
    victim = case.people.get(role=Person.Role.VICTIM)
    client = client_for(dinsos_officer)

    def completed_days_ago(days: int) -> None:
        Referral.objects.filter(pk=referral.pk).update(completed_at=timezone.now() - dt.timedelta(days=days))

    completed_days_ago(29)
    assert ANI["nik"] in client.get(f"{API}{case.pk}/", {"reveal": str(victim.pk)}).content.decode()

    completed_days_ago(31)
    body = client.get(f"{API}{case.pk}/").json()
    assert body["victims"][0].get("identity_fields") == []
    assert "full_name" not in body["victims"][0]
    assert client.get(f"{API}{case.pk}/", {"reveal": str(victim.pk)}).status_code == 403
    html = client.post(reverse("cases:reveal", args=[case.pk, victim.pk]))
    assert html.status_code in (403, 404)
    assert ANI["nik"] not in html.content.decode()
    # The summary of its own services stays.
    page = client.get(reverse("cases:referral_detail", args=[referral.pk]))
    assert page.status_code == 200
    assert ANI["full_name"] not in page.content.decode()

    tenant.referral_access_grace_days = 60
    tenant.save(update_fields=["referral_access_grace_days"])
    assert ANI["nik"] in client.get(f"{API}{case.pk}/", {"reveal": str(victim.pk)}).content.decode()


def test_an_open_referral_never_expires(client_for, cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant, victim=ANI)
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    victim = case.people.get(role=Person.Role.VICTIM)
    with freeze_time(timezone.now() + dt.timedelta(days=400)):
        response = client_for(dinsos_officer).get(f"{API}{case.pk}/", {"reveal": str(victim.pk)})
    assert ANI["nik"] in response.content.decode()


# ---- guardian and religious counselling -----------------------------------------------------------


@pytest.mark.parametrize(
    ("relation", "perpetrator_name", "withheld"),
    [
        (t.Relation.PARENT, "Joko Susilo", True),
        (t.Relation.FAMILY, "Joko Susilo", True),
        (t.Relation.SPOUSE, "Joko Susilo", True),
        (t.Relation.OTHER, "Sri Wahyuni", True),  # the guardian is the suspect, whatever the relation says
        (t.Relation.NEIGHBOUR, "Joko Susilo", False),
    ],
)
def test_guardian_contact_is_withheld_when_the_guardian_may_be_the_perpetrator(
    client_for, cm, tenant, dinsos, dinsos_officer, relation, perpetrator_name, withheld
):
    victim = PersonInputFactory(**ANI, guardian_name="Sri  Wahyuni", guardian_phone="081299990000")
    perpetrator = PerpetratorInputFactory(full_name=perpetrator_name, relation_to_victim=relation)
    case = make_case(cm, tenant, people=[victim, perpetrator])
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    person = case.people.get(role=Person.Role.VICTIM)
    client = client_for(dinsos_officer)
    projected = client.get(f"{API}{case.pk}/").json()["victims"][0]
    text = client.get(f"{API}{case.pk}/", {"reveal": str(person.pk)}).content.decode()
    assert ("guardian_name" in projected) is not withheld
    assert ("081299990000" in text) is not withheld
    # The case team always keeps the guardian's contact.
    assert "081299990000" in client_for(cm).get(f"{API}{case.pk}/", {"reveal": str(person.pk)}).content.decode()


def test_religious_counselling_does_not_receive_the_case_category(client_for, cm, make_user, tenant):
    kemenag = make_agency(tenant, Agency.Kind.KEMENAG, short_name="Kemenag")
    counsellor = make_user(Role.SERVICE_PROVIDER, agency=kemenag)
    case = make_case(cm, tenant, category=t.Category.VIOLENCE_CHILD, forms=[t.ViolenceForm.SEXUAL])
    make_referral(cm, case, kemenag, t.ServiceType.RELIGIOUS)
    body = client_for(counsellor).get(f"{API}{case.pk}/").json()
    assert "category" not in body
    assert "forms" not in body
    page = client_for(counsellor).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert str(t.Category.VIOLENCE_CHILD.label) not in page


# ---- Satgas drafts go with the submission ---------------------------------------------------------


def _satgas_post(tenant, **overrides) -> dict:
    district = first_district(tenant)
    data = {
        "category": t.Category.VIOLENCE_CHILD,
        "violence_forms": [t.ViolenceForm.PHYSICAL],
        "district": district.code,
        "village": district.villages.order_by("code").first().code,
        "full_name": "Putri Lestari",
        "age": "9",
        "sex": t.Sex.FEMALE,
        "chronology": "Anak sering dipukul.",
    }
    data.update(overrides)
    return data


def test_html_submission_without_naming_the_draft_deletes_it(client_for, make_user, tenant):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    mine = services.intake_draft_save(actor=volunteer, payload=json.dumps({"full_name": "putri  LESTARI"}))
    other = services.intake_draft_save(actor=volunteer, payload=json.dumps({"full_name": "Dewi Anggraini"}))
    response = client_for(volunteer).post(reverse("cases:satgas_create"), _satgas_post(tenant))
    assert response.status_code == 302
    assert not IntakeDraft.objects.filter(pk=mine.pk).exists()
    assert IntakeDraft.objects.filter(pk=other.pk).exists()  # another report in progress stays
    assert AuditEvent.objects.filter(action="case.drafts_discarded").exists()


def test_api_submission_deletes_the_named_draft_and_drafts_naming_the_victim(client_for, make_user, tenant):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    client = client_for(volunteer)
    named = client.post(
        f"{API}drafts/", {"payload": {"category": "violence_child"}}, content_type="application/json"
    ).json()
    by_name = services.intake_draft_save(actor=volunteer, payload=json.dumps({"full_name": "Putri Lestari"}))
    district = first_district(tenant)
    payload = {
        "channel": "satgas",
        "reported_on": timezone.localdate().isoformat(),
        "category": "violence_child",
        "district": district.code,
        "chronology": "Anak sering dipukul.",
        "victims": [{"full_name": "Putri Lestari", "age": 9, "sex": "F"}],
        "draft": named["id"],
    }
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert not IntakeDraft.objects.filter(owner=volunteer).exists()
    assert by_name.pk not in set(IntakeDraft.objects.values_list("pk", flat=True))
    # Someone else's draft id is a 404 and creates nothing.
    stranger = services.intake_draft_save(actor=make_user(Role.SATGAS_VOLUNTEER), payload="{}")
    payload["draft"] = str(stranger.pk)
    assert client.post(API, payload, content_type="application/json").status_code == 404
    assert IntakeDraft.objects.filter(pk=stranger.pk).exists()
    assert Case.objects.count() == 1


# ---- impossible dates are refused in the service layer -------------------------------------------


TODAY = dt.date(2026, 6, 10)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reported_on": dt.date(1, 1, 1), "incident_on": None}, "reported_on"),
        ({"reported_on": dt.date(1900, 1, 1), "incident_on": None}, "reported_on"),
        ({"reported_on": dt.date(1999, 12, 31), "incident_on": None}, "reported_on"),
        ({"reported_on": dt.date(2026, 6, 11), "incident_on": None}, "reported_on"),
        ({"incident_on": dt.date(2099, 1, 1)}, "incident_on"),
        ({"incident_on": dt.date(2026, 6, 11)}, "incident_on"),
        ({"reported_on": dt.date(2026, 6, 1), "incident_on": dt.date(2026, 6, 5)}, "incident_on"),
        ({"incident_on": dt.date(1, 1, 1)}, "incident_on"),
    ],
)
def test_impossible_case_dates_are_refused(cm, tenant, overrides, field):
    with freeze_time(TODAY), pytest.raises(ValidationError) as caught:
        services.case_intake(actor=cm, tenant=tenant, data=IntakeInputFactory(**overrides))
    assert field in caught.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("victim", "field"),
    [
        ({"birth_date": dt.date(1, 1, 1)}, "birth_date"),  # would be a victim aged 2025
        ({"birth_date": dt.date(1880, 1, 1)}, "birth_date"),
        ({"birth_date": dt.date(2026, 6, 11)}, "birth_date"),
        ({"birth_date": dt.date(2026, 6, 9)}, "birth_date"),  # born after the incident (three days ago)
        ({"birth_date": None, "age": 121}, "age"),
        ({"birth_date": None, "age": -1}, "age"),
    ],
)
def test_impossible_birth_dates_and_ages_are_refused(cm, tenant, victim, field):
    with freeze_time(TODAY), pytest.raises(ValidationError) as caught:
        services.case_intake(actor=cm, tenant=tenant, data=IntakeInputFactory(people=[PersonInputFactory(**victim)]))
    assert field in caught.value.message_dict
    assert not Case.objects.exists()


def test_the_oldest_possible_dates_are_accepted(cm, tenant):
    with freeze_time(TODAY):
        data = IntakeInputFactory(
            reported_on=dt.date(2000, 1, 1),
            incident_on=dt.date(1990, 3, 1),
            people=[PersonInputFactory(birth_date=dt.date(1975, 1, 1))],
        )
        case = services.case_intake(actor=cm, tenant=tenant, data=data)
    assert case.number.endswith("/2000/00001")
    assert case.people.get(role=Person.Role.VICTIM).age == 15


def test_the_api_and_the_page_refuse_the_same_dates(client_for, cm, tenant):
    from .test_api_support import intake_payload

    payload = intake_payload(tenant)
    payload["reported_on"] = "0001-01-01"
    response = client_for(cm).post(API, payload, content_type="application/json")
    assert response.status_code == 400
    assert "reported_on" in response.json()["error"]["details"]
    payload = intake_payload(tenant)
    payload["victims"][0]["birth_date"] = "0001-01-01"
    response = client_for(cm).post(API, payload, content_type="application/json")
    assert response.status_code == 400
    assert "birth_date" in json.dumps(response.json()["error"]["details"])
    assert not Case.objects.exists()


def test_service_and_diversion_dates_are_checked(cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    referral = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    services.referral_respond(actor=dinsos_officer, referral=referral, accept=True)
    for day in (dt.date(1, 1, 1), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            services.service_record(
                actor=dinsos_officer, referral=referral, delivered_on=day, sessions=1, outcome="ongoing"
            )
        assert "delivered_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_referral(cm, case, dinsos, t.ServiceType.SHELTER, due_on=timezone.localdate() + dt.timedelta(days=400))
    assert "due_on" in caught.value.message_dict
