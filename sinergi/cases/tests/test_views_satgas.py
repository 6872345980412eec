"""The Satgas volunteer's mobile intake: server-side draft, submission, confirmation and own report list."""

import json
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, IntakeDraft, Person

from .factories import first_district, make_case

pytestmark = pytest.mark.django_db

NEW = reverse("cases:satgas_create")
DRAFT = reverse("cases:satgas_draft_save")
DISCARD = reverse("cases:satgas_draft_discard")
REPORTS = reverse("cases:satgas_reports")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def satgas(make_user):
    # A fixed name: the page greets the volunteer, and a random name may contain "Lestari" or "Putri".
    return make_user(Role.SATGAS_VOLUNTEER, full_name="Relawan Satgas Satu")


@pytest.fixture
def other_satgas(make_user):
    return make_user(Role.SATGAS_VOLUNTEER)


@pytest.fixture
def outsider(make_user, other_tenant):
    return make_user(Role.SATGAS_VOLUNTEER, tenant=other_tenant)


def report_data(tenant, **overrides) -> dict:
    district = first_district(tenant)
    village = district.villages.order_by("code").first()
    data = {
        "category": t.Category.VIOLENCE_CHILD,
        "violence_forms": [t.ViolenceForm.PHYSICAL, t.ViolenceForm.PSYCHOLOGICAL],
        "incident_on": "",
        "district": district.code,
        "village": village.code,
        "full_name": "Putri Lestari",
        "age": "9",
        "sex": t.Sex.FEMALE,
        "guardian_name": "Ibu Sumarni",
        "guardian_phone": "081234500001",
        "chronology": "Anak sering dipukul oleh pamannya.",
        "immediate_danger": "on",
        "notes": "Rumah di belakang masjid.",
    }
    data.update(overrides)
    return data


# ---- Drafts ---------------------------------------------------------------------------------------


def test_form_is_short_and_wired_for_draft_saving(client_for, satgas):
    response = client_for(satgas).get(NEW)

    assert response.status_code == 200
    form = response.context["form"]
    assert len(form.fields) <= 13  # about ten questions (kecamatan/desa and guardian name/phone are pairs)
    body = response.content.decode()
    assert f'hx-post="{DRAFT}"' in body
    assert 'hx-trigger="input changed delay:1500ms, change"' in body
    assert "hx-sync=" in body
    assert "js/draft.js" in body
    assert "<script>" not in body
    assert " style=" not in body


def test_typing_saves_an_encrypted_draft_and_reports_the_time(client_for, satgas, tenant):
    client = client_for(satgas)

    response = client.post(DRAFT, {"full_name": "Putri Lestari", "chronology": "Anak dipukul"}, **HTMX)

    assert response.status_code == 200
    draft = IntakeDraft.objects.get(owner=satgas)
    assert json.loads(draft.payload) == {"full_name": "Putri Lestari", "chronology": "Anak dipukul"}
    body = response.content.decode()
    from sinergi.core import clock

    local = clock.tenant_now(tenant, draft.updated_at)
    # The UI is Indonesian: "13.05 WITA", in the tenant's own zone.
    assert f"{local:%H.%M} {clock.abbreviation(clock.tenant_zone(tenant))}" in body
    assert f'value="{draft.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM cases_intakedraft WHERE id = %s", [draft.pk.hex])
        raw = cursor.fetchone()[0]
    assert "Putri" not in raw  # ciphertext at rest


def test_later_saves_update_the_same_draft(client_for, satgas, tenant):
    client = client_for(satgas)
    client.post(DRAFT, {"full_name": "Putri"}, **HTMX)
    draft = IntakeDraft.objects.get(owner=satgas)

    client.post(DRAFT, {"draft": str(draft.pk), "full_name": "Putri Lestari", "age": "9"}, **HTMX)

    assert IntakeDraft.objects.filter(owner=satgas).count() == 1
    draft.refresh_from_db()
    assert json.loads(draft.payload) == {"full_name": "Putri Lestari", "age": "9"}


def test_reopening_the_form_restores_the_latest_draft(client_for, satgas, tenant):
    client = client_for(satgas)
    data = report_data(tenant)
    client.post(DRAFT, data, **HTMX)

    response = client.get(NEW)

    form = response.context["form"]
    assert form.initial["full_name"] == "Putri Lestari"
    assert form.initial["violence_forms"] == [t.ViolenceForm.PHYSICAL, t.ViolenceForm.PSYCHOLOGICAL]
    assert form.initial["immediate_danger"] is True
    body = response.content.decode()
    assert 'value="Putri Lestari"' in body
    assert "Anak sering dipukul oleh pamannya." in body
    # The chosen kecamatan's villages are offered again.
    assert f'value="{data["village"]}" selected' in body


def test_without_javascript_the_draft_button_saves_and_comes_back(client_for, satgas, tenant):
    client = client_for(satgas)

    response = client.post(DRAFT, {"full_name": "Putri"})

    draft = IntakeDraft.objects.get(owner=satgas)
    assert response.status_code == 302
    assert response["Location"] == f"{NEW}?draft={draft.pk}"
    assert 'value="Putri"' in client.get(response["Location"]).content.decode()


def test_another_users_draft_is_404(client_for, satgas, other_satgas):
    client_for(other_satgas).post(DRAFT, {"full_name": "Rahasia"}, **HTMX)
    foreign = IntakeDraft.objects.get(owner=other_satgas)
    client = client_for(satgas)

    assert client.get(NEW, {"draft": foreign.pk}).status_code == 404
    assert client.post(DRAFT, {"draft": str(foreign.pk), "full_name": "x"}, **HTMX).status_code == 404
    assert client.post(DISCARD, {"draft": str(foreign.pk)}).status_code == 404
    assert client.post(NEW, {**report_data(satgas.tenant), "draft": str(foreign.pk)}).status_code == 404
    assert client.get(NEW, {"draft": "not-a-uuid"}).status_code == 404
    foreign.refresh_from_db()
    assert json.loads(foreign.payload) == {"full_name": "Rahasia"}
    assert not Case.objects.exists()
    # And the volunteer's own empty form does not show someone else's draft.
    assert "Rahasia" not in client.get(NEW).content.decode()


def test_draft_of_a_deleted_report_is_not_recreated(client_for, satgas):
    assert client_for(satgas).post(DRAFT, {"draft": str(uuid.uuid4()), "full_name": "x"}, **HTMX).status_code == 404
    assert not IntakeDraft.objects.exists()


def test_discarding_a_draft(client_for, satgas):
    client = client_for(satgas)
    client.post(DRAFT, {"full_name": "Putri"}, **HTMX)
    draft = IntakeDraft.objects.get(owner=satgas)

    response = client.post(DISCARD, {"draft": str(draft.pk)})

    assert response.status_code == 302
    assert not IntakeDraft.objects.exists()


def test_too_long_draft_is_refused_with_a_message(client_for, satgas):
    response = client_for(satgas).post(DRAFT, {"chronology": "x" * 25_000}, **HTMX)

    assert response.status_code == 200
    assert "<mark>" in response.content.decode()
    assert not IntakeDraft.objects.exists()


# ---- Submission -----------------------------------------------------------------------------------


def test_submission_creates_a_satgas_case_and_deletes_the_draft(client_for, satgas, tenant):
    client = client_for(satgas)
    client.post(DRAFT, {"full_name": "Putri"}, **HTMX)
    draft = IntakeDraft.objects.get(owner=satgas)

    response = client.post(NEW, {**report_data(tenant), "draft": str(draft.pk)})

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:satgas_sent", args=[case.pk])
    assert case.channel == t.Channel.SATGAS
    assert case.created_by == satgas
    assert case.category == t.Category.VIOLENCE_CHILD
    assert case.forms == [t.ViolenceForm.PHYSICAL, t.ViolenceForm.PSYCHOLOGICAL]
    assert case.risk_level == t.RiskLevel.CRITICAL  # "in danger right now"
    assert case.district_id == first_district(tenant).code
    assert "Rumah di belakang masjid." in case.chronology  # the volunteer's notes, encrypted with it
    victim = case.people.get(role=Person.Role.VICTIM)
    assert victim.full_name == "Putri Lestari"
    assert victim.age == 9
    assert victim.is_child
    assert victim.guardian_phone == "081234500001"
    assert case.has_child_victim
    assert not IntakeDraft.objects.exists()


def test_confirmation_shows_the_case_number_only(client_for, satgas, tenant):
    client = client_for(satgas)
    response = client.post(NEW, report_data(tenant), follow=True)

    case = Case.objects.get()
    body = response.content.decode()
    assert case.number in body
    assert "Putri" not in body
    assert "dipukul" not in body
    assert "Sumarni" not in body


def test_invalid_submission_keeps_what_was_typed(client_for, satgas, tenant):
    response = client_for(satgas).post(NEW, report_data(tenant, full_name="", age="300"))

    assert response.status_code == 200
    assert {"full_name", "age"} <= set(response.context["form"].errors)
    assert "Anak sering dipukul oleh pamannya." in response.content.decode()
    assert not Case.objects.exists()


def test_village_outside_the_kecamatan_is_refused(client_for, satgas, tenant):
    district, other = list(tenant.regency.districts.order_by("code")[:2])
    foreign_village = other.villages.first()

    response = client_for(satgas).post(NEW, report_data(tenant, district=district.code, village=foreign_village.code))

    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert not Case.objects.exists()


def test_future_incident_date_is_refused(client_for, satgas, tenant):
    response = client_for(satgas).post(NEW, report_data(tenant, incident_on="2999-01-01"))
    assert "incident_on" in response.context["form"].errors


# ---- Own reports ----------------------------------------------------------------------------------


def test_report_list_shows_number_date_and_stage_but_no_identity(client_for, satgas, other_satgas, tenant):
    client = client_for(satgas)
    client.post(NEW, report_data(tenant))
    own = Case.objects.get()
    client_for(other_satgas).post(NEW, report_data(tenant, full_name="Anak Lain"))
    foreign = Case.objects.exclude(pk=own.pk).get()

    response = client.get(REPORTS)

    body = response.content.decode()
    assert own.number in body
    assert str(t.Stage(own.stage).label) in body or own.get_stage_display() in body
    assert foreign.number not in body
    for secret in ("Putri", "Lestari", "Sumarni", "0812345", "dipukul", "masjid"):
        assert secret not in body
    # No link to the case page from the list either.
    assert reverse("cases:detail", args=[own.pk]) not in body


def test_confirmation_of_someone_elses_report_is_404(client_for, satgas, other_satgas, outsider, tenant, make_user):
    client_for(other_satgas).post(NEW, report_data(tenant))
    case = Case.objects.get()
    url = reverse("cases:satgas_sent", args=[case.pk])

    assert client_for(other_satgas).get(url).status_code == 200
    assert client_for(satgas).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_case_team_reports_are_not_in_a_volunteers_list(client_for, satgas, tenant, make_user):
    cm = make_user(Role.CASE_MANAGER)
    case = make_case(cm, tenant)
    assert case.number not in client_for(satgas).get(REPORTS).content.decode()


def test_other_roles_cannot_use_the_satgas_pages(client_for, make_user):
    cm = make_user(Role.CASE_MANAGER)
    officer = make_user(Role.SERVICE_PROVIDER)
    for user in (cm, officer):
        client = client_for(user)
        assert client.get(NEW).status_code == 403
        assert client.post(DRAFT, {"full_name": "x"}, **HTMX).status_code == 403
        assert client.get(REPORTS).status_code == 403
    assert not IntakeDraft.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
