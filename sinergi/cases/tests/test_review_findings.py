"""Issue 20, second pass: what a security review of the first fixes still found (each failed before)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.cases import selectors, services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, IntakeDraft, Person, Referral
from sinergi.tenants.models import Agency

from .factories import complete_referral, first_district, make_agency, make_case, make_referral

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"
NIK = "6402013333333333"


def test_an_agency_cannot_filter_its_cases_by_case_team_data(client_for, cm, make_user, tenant):
    kemenag = make_agency(tenant, Agency.Kind.KEMENAG)
    counsellor = make_user(Role.SERVICE_PROVIDER, agency=kemenag)
    sexual = make_case(cm, tenant, category=t.Category.VIOLENCE_CHILD, forms=[t.ViolenceForm.SEXUAL])
    make_referral(cm, sexual, kemenag, t.ServiceType.RELIGIOUS)
    client = client_for(counsellor)
    for query in ({"category": "violence_child"}, {"risk": "high"}, {"overdue": "true"}, {"mine": "true"}):
        assert client.get(API, query).status_code == 400, query
    rows = client.get(API).json()["results"]
    assert [r["number"] for r in rows] == [sexual.number]
    assert "is_overdue" not in rows[0]
    assert "category" not in rows[0]
    # The case team keeps its filters.
    assert client_for(cm).get(API, {"category": "violence_child"}).status_code == 200


def test_after_the_grace_period_the_note_and_the_teams_documents_are_gone(client_for, cm, tenant, dinsos, officer):
    case = make_case(cm, tenant)
    referral = make_referral(
        cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE, note="Hubungi ibu Sulastri di Jl. Mawar 3"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = services.referral_document_add(
        actor=cm,
        referral=referral,
        kind="other",
        uploaded_file=SimpleUploadedFile(
            "kk.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"
        ),
        title="KK keluarga",
    )
    complete_referral(officer, referral)
    client = client_for(officer)
    url = f"{API}referrals/{referral.pk}/"
    assert "Sulastri" in client.get(url).content.decode()
    Referral.objects.filter(pk=referral.pk).update(completed_at=timezone.now() - dt.timedelta(days=31))
    body = client.get(url).json()
    assert body["referral"]["note"] == ""
    assert "Sulastri" not in client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert client.get(f"{url}documents/").status_code in (403, 404)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code in (403, 404)
    # The case team still has all of it.
    assert "Sulastri" in client_for(cm).get(url).content.decode()


def test_an_open_referral_on_a_case_closed_long_ago_gives_no_identity(
    client_for, cm, make_user, tenant, dinsos, officer
):
    head = make_user(Role.OFFICE_HEAD)
    case = make_case(cm, tenant, victim={"nik": NIK})
    referral = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    services.referral_respond(actor=officer, referral=referral, accept=True)
    Case.objects.filter(pk=case.pk).update(stage=t.Stage.CLOSED, closed_at=timezone.now() - dt.timedelta(days=31))
    victim = case.people.get(role=Person.Role.VICTIM)
    response = client_for(officer).get(f"{API}{case.pk}/", {"reveal": str(victim.pk)})
    assert response.status_code == 403
    assert NIK not in response.content.decode()
    assert head  # the office head's access is not a referral grant: unchanged


def test_the_duplicate_check_costs_the_same_with_or_without_a_hidden_match(cm, make_user, tenant):
    make_case(cm, tenant, victim={"nik": NIK})
    colleague = make_user(Role.CASE_MANAGER)

    def queries(nik: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert selectors.duplicate_matches(user=colleague, tenant=tenant, nik=nik) == (0, [])
        return [q["sql"].replace(selectors.nik_index(nik), "?") for q in ctx.captured_queries]

    assert queries(NIK) == queries("6402019999999999")


def test_a_draft_naming_the_victim_anywhere_in_it_goes_with_the_report(client_for, make_user, tenant):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    nested = services.intake_draft_save(
        actor=volunteer, payload=json.dumps({"victims": [{"full_name": "Putri Lestari"}], "chronology": "dipukul"})
    )
    district = first_district(tenant)
    data = {
        "category": t.Category.VIOLENCE_CHILD,
        "district": district.code,
        "village": district.villages.order_by("code").first().code,
        "full_name": "Putri Lestari",
        "age": "9",
        "sex": t.Sex.FEMALE,
        "chronology": "Anak sering dipukul.",
    }
    assert client_for(volunteer).post(reverse("cases:satgas_create"), data).status_code == 302
    assert not IntakeDraft.objects.filter(pk=nested.pk).exists()


def test_a_token_older_than_the_ceiling_stops_whatever_its_expiry_says(make_user, client):
    user = make_user(Role.CASE_MANAGER)
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(user=user, name="old", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - dt.timedelta(days=200), expires_at=timezone.now() + dt.timedelta(days=165)
    )
    response = client.get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
