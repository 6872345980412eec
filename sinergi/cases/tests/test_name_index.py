"""The name blind index (issue 19): normalisation, sync on every write, the migration fill, key rotation,
and the case search by exact full name / case number — never outside what the searcher may see."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import name_index, services
from sinergi.cases.models import Person, PersonNameKey
from sinergi.cases.selectors import registered_child_names

from .views_case_support import *  # noqa: F403  (fixtures)
from .views_case_support import PERPETRATOR_NAME, VICTIM_NAME, html, intake

pytestmark = pytest.mark.django_db

SEARCH_API = "/api/v1/cases/search/"


def _name_search(client, name: str):
    return client.post(reverse("cases:list"), {"identity-full_name": name})


# ---- normalisation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti Nur-Aini", "siti  nur aini"),
        ("SITI NURAINI", "siti nuraini"),
        ("Rafi Ardiansyah", "Ráfi  Ardiansyah "),
        ("Soekarno Djoko", "Sukarno Joko"),
        ("Tjahjo Soeprapto", "Cahjo Suprapto"),
        ("Moh. Rizky", "Muhammad Rizky"),
        ("Mochammad Rizky", "M Rizky"),
        ("Noer Hidayah", "Nur Hidayah"),
        ("Ma'ruf Amin", "Maruf Amin"),
    ],
)
def test_spelling_variants_normalise_to_the_same_name(a, b):
    assert name_index.normalize_name(a) == name_index.normalize_name(b)
    assert name_index.full_name_digest(a) == name_index.full_name_digest(b)


def test_different_names_and_parts_of_names_do_not_collide():
    assert name_index.full_name_digest("Siti Aminah") != name_index.full_name_digest("Siti Aminah Putri")
    assert name_index.full_name_digest("Siti") != name_index.full_name_digest("Siti Aminah")
    # Token digests are domain-separated from full-name digests: a one-word name is not its token.
    assert name_index.token_digests("Siti") != [name_index.full_name_digest("Siti")]
    assert name_index.full_name_digest("") == ""
    assert name_index.name_digests("  ") == []


# ---- sync on write ------------------------------------------------------------------------------


def test_intake_indexes_every_named_person_and_stores_no_plaintext(manager, tenant):
    case = intake(manager, tenant)
    keys = PersonNameKey.objects.filter(case=case)
    people = {p.pk: p for p in Person.objects.filter(case=case)}
    assert {k.person_id for k in keys} == set(people)  # victim and perpetrator
    victim_keys = keys.filter(person__role=Person.Role.VICTIM)
    assert set(victim_keys.filter(kind="full").values_list("digest", flat=True)) == {
        name_index.full_name_digest(VICTIM_NAME)
    }
    assert victim_keys.filter(kind="token").count() == 2
    assert set(keys.values_list("key_id", flat=True)) == {name_index.key_fingerprint()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM cases_personnamekey")
        stored = " ".join(row[0] for row in cursor.fetchall()).casefold()
    for part in (*VICTIM_NAME.split(), *PERPETRATOR_NAME.split()):
        assert part.casefold() not in stored


def test_person_added_later_is_indexed_and_a_name_change_replaces_its_digests(client_for, manager, tenant):
    case = intake(manager, tenant)
    child = services.person_add(
        actor=manager, case=case, data=services.PersonInput(full_name="Putri Lestari Handayani", age=9)
    )
    assert _name_search(client_for(manager), "putri lestari handayani").content.decode().count(case.number) >= 1
    # The index follows the name the services write, not a stale copy.
    child.full_name = "Putri Lestari"
    child.save(update_fields=["full_name"])
    services.person_name_index_sync([child])
    assert PersonNameKey.objects.filter(person=child, kind="full").get().digest == name_index.full_name_digest(
        "Putri Lestari"
    )
    assert PersonNameKey.objects.filter(person=child, kind="token").count() == 2
    assert case.number not in html(_name_search(client_for(manager), "Putri Lestari Handayani"))
    assert case.number in html(_name_search(client_for(manager), "Putri Lestari"))


def test_the_data_migration_fills_the_index_for_existing_people(manager, tenant):
    case = intake(manager, tenant)
    expected = sorted(PersonNameKey.objects.filter(case=case).values_list("person_id", "kind", "digest"))
    PersonNameKey.objects.all().delete()  # people registered before the index existed
    migration = importlib.import_module("sinergi.cases.migrations.0005_fill_person_name_keys")

    class _Editor:  # what RunPython passes: only the connection is used
        pass

    _Editor.connection = connection
    migration.fill(django_apps, _Editor())
    assert sorted(PersonNameKey.objects.filter(case=case).values_list("person_id", "kind", "digest")) == expected
    migration.fill(django_apps, _Editor())  # idempotent
    assert PersonNameKey.objects.filter(case=case).count() == len(expected)


def test_rotate_field_keys_rebuilds_the_index_under_a_new_blind_index_key(settings, client_for, manager, tenant):
    case = intake(manager, tenant)
    old_digest = name_index.full_name_digest(VICTIM_NAME)
    settings.SINERGI_BLIND_INDEX_KEY = "a-new-blind-index-key-for-the-rotation-test"
    assert name_index.full_name_digest(VICTIM_NAME) != old_digest
    assert case.number not in html(_name_search(client_for(manager), VICTIM_NAME))  # stale until rotated

    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    keys = PersonNameKey.objects.filter(case=case)
    assert set(keys.values_list("key_id", flat=True)) == {name_index.key_fingerprint()}
    assert not keys.filter(digest=old_digest).exists()
    assert case.number in html(_name_search(client_for(manager), VICTIM_NAME))
    event = AuditEvent.objects.filter(action="crypto.keys_rotated").latest("created_at")
    assert event.extra["person_names"]["rotated"] == 2
    assert services.name_index_rotate()["rotated"] == 0  # a second run has nothing left to do


# ---- case search ---------------------------------------------------------------------------------


class TestNameSearch:
    def test_exact_full_name_without_birth_date_finds_the_case_and_is_audited(self, client_for, manager, tenant):
        case = intake(manager, tenant)
        other = intake(manager, tenant, nik="6402010101100099")
        Person.objects.filter(case=other).delete()  # a case without that child
        response = _name_search(client_for(manager), "  melati   KUSUMAWARDANI ")
        page = html(response)
        assert response.status_code == 200
        assert case.number in page
        assert other.number not in page
        assert "Kusumawardani" not in page.split("<main", 1)[-1].split("</form>")[-1]
        event = AuditEvent.objects.get(action="case.identity_searched", actor=manager)
        assert event.fields == ["full_name"]
        assert "Melati" not in str(event.extra)

    def test_part_of_a_name_finds_nothing(self, client_for, manager, tenant):
        case = intake(manager, tenant)
        assert case.number not in html(_name_search(client_for(manager), "Melati"))

    def test_never_outside_the_searchers_cases_and_the_answer_does_not_tell(self, client_for, make_user, tenant):
        searcher = make_user(Role.CASE_MANAGER)
        colleague = make_user(Role.CASE_MANAGER)
        hidden = intake(colleague, tenant)  # assigned to the colleague: the searcher may not open it
        client = client_for(searcher)
        known = html(_name_search(client, VICTIM_NAME))
        unknown = html(_name_search(client, "Nama Yang Tidak Pernah Ada"))
        assert hidden.number not in known
        assert known.replace("csrfmiddlewaretoken", "").count("<tr") == unknown.count("<tr")
        api = client.post(SEARCH_API, {"full_name": VICTIM_NAME}, content_type="application/json")
        assert api.status_code == 200
        assert api.json()["count"] == 0
        assert api.json()["results"] == []

    def test_the_other_tenants_children_are_not_found(self, client_for, manager, outsider_head, tenant):
        intake(manager, tenant)
        api = client_for(outsider_head).post(SEARCH_API, {"full_name": VICTIM_NAME}, content_type="application/json")
        assert api.status_code == 200
        assert api.json()["count"] == 0

    def test_api_finds_by_name_alone_and_refuses_an_empty_query(self, client_for, manager, tenant):
        case = intake(manager, tenant)
        client = client_for(manager)
        found = client.post(SEARCH_API, {"full_name": "melati kusumawardani"}, content_type="application/json")
        assert found.status_code == 200
        assert [row["number"] for row in found.json()["results"]] == [case.number]
        empty = client.post(SEARCH_API, {"full_name": "  "}, content_type="application/json")
        assert empty.status_code == 400

    def test_an_agency_officer_may_not_search_names(self, client_for, manager, tenant, disdik_officer):
        intake(manager, tenant)
        client = client_for(disdik_officer)
        assert _name_search(client, VICTIM_NAME).status_code == 403
        api = client.post(SEARCH_API, {"full_name": VICTIM_NAME}, content_type="application/json")
        assert api.status_code == 403


class TestNumberSearch:
    def test_a_prefix_or_the_bare_sequence_finds_the_case_and_is_audited(self, client_for, manager, tenant):
        first = intake(manager, tenant)
        second = intake(manager, tenant)
        sequence = first.number.rsplit("/", 1)[1]  # "00001"
        client = client_for(manager)
        for term in (sequence, str(int(sequence))):
            page = html(client.get(reverse("cases:list"), {"number": term}))
            assert first.number in page
            assert second.number not in page
        api = client.get("/api/v1/cases/", {"number": str(int(sequence))})
        assert [row["number"] for row in api.json()["results"]] == [first.number]
        assert AuditEvent.objects.filter(action="case.number_searched", actor=manager).count() == 3


def test_register_matcher_answers_children_only_and_matches_token_subsets(manager, tenant):
    intake(manager, tenant)  # the victim is a child; the perpetrator an adult
    names = [VICTIM_NAME, "Melati", "melati kusumawardani", PERPETRATOR_NAME, "Bambang Wijaya", "Kusumawardani Melati"]
    assert registered_child_names(tenant=tenant, names=names) == {
        VICTIM_NAME,
        "melati kusumawardani",
        "Kusumawardani Melati",
    }
