"""The register cross-check (issue 17): a name of a child in the tenant's case register is flagged without
saying which case, through the name blind index; reviewers with a second factor only, throttled, audited,
never reachable with a newsroom token."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sinergi.audit.models import AuditEvent
from sinergi.cases.models import Person
from sinergi.cases.tests.factories import PerpetratorInputFactory, PersonInputFactory, make_case
from sinergi.publications.events import PublicationsEvent

pytestmark = pytest.mark.django_db

URL = "/publications/"
CHECK = "/api/v1/publications/check/"
NEWSROOM = "/api/v1/publications/newsroom/check/"
CHILD = "Anindya Prameswari"
ADULT = "Hendrawan Saputro"
# A release with no child cue at all: only the register knows this name is a protected child's.
RELEASE = (
    "Bupati menyerahkan piagam penghargaan kepada Anindya Prameswari dan Hendrawan Saputro "
    "dalam upacara di pendopo kabupaten."
)
REGISTER_WHY = "register kasus"
PAGE_FINDING = "dalam register kasus (PPRA butir 1)"  # the finding's "why", not the checkbox's help


@pytest.fixture
def registered(case_manager, tenant):
    return make_case(
        case_manager,
        tenant,
        people=[
            PersonInputFactory(full_name=CHILD, school_name="SD Negeri 3 Loa Kulu"),
            PerpetratorInputFactory(full_name=ADULT),
        ],
    )


def _register_findings(findings: list[dict]) -> list[dict]:
    return [f for f in findings if REGISTER_WHY in f["why"]]


def _api(client, **data):
    return client.post(CHECK, {"text": RELEASE, **data}, content_type="application/json")


def test_a_registered_childs_name_is_flagged_and_the_answer_holds_no_case_data(kadis, client_for, registered):
    client = client_for(kadis)
    plain = _api(client).json()
    assert _register_findings(plain["findings"]) == []  # without the cross-check the engine cannot know
    response = _api(client, register=True)
    assert response.status_code == 200
    flagged = _register_findings(response.json()["findings"])
    assert [f["text"] for f in flagged] == [CHILD]  # the adult of the same case is not a protected child
    assert flagged[0]["point"] == 1
    assert flagged[0]["severity"] == "block"
    body = response.content.decode()
    victim = Person.objects.get(case=registered, role=Person.Role.VICTIM)
    for secret in (registered.number, str(registered.pk), str(victim.pk), victim.nik, "Loa Kulu", "PPA/"):
        assert secret not in body
    event = AuditEvent.objects.get(action=PublicationsEvent.REGISTER_CHECKED, actor=kadis)
    assert event.extra == {"names": 2, "flagged": 1}
    assert CHILD not in str(event.extra)


def test_the_checker_page_flags_it_for_a_verified_reviewer(kadis, client_for, registered):
    client = client_for(kadis)
    assert 'name="register"' in client.get(URL).content.decode()
    page = client.post(URL, {"text": RELEASE, "register": "on"}).content.decode()
    assert PAGE_FINDING in page
    assert registered.number not in page
    assert PAGE_FINDING not in client.post(URL, {"text": RELEASE}).content.decode()


def test_a_name_not_in_the_register_or_of_another_tenant_is_not_flagged(outsider_head, client_for, registered):
    response = _api(client_for(outsider_head), register=True)
    assert response.status_code == 200
    assert _register_findings(response.json()["findings"]) == []


def test_an_officer_without_a_second_factor_is_refused(settings, kadis, registered):
    settings.SINERGI_REQUIRE_2FA = False  # even where the sign-in gate lets the session through
    client = Client()
    client.force_login(kadis)
    assert 'name="register"' not in client.get(URL).content.decode()
    page = client.post(URL, {"text": RELEASE, "register": "on"})
    assert page.status_code == 403
    assert not AuditEvent.objects.filter(action=PublicationsEvent.REGISTER_CHECKED).exists()


def test_a_communications_officer_is_refused_even_with_a_second_factor(humas, client_for, registered):
    client = client_for(humas)
    assert 'name="register"' not in client.get(URL).content.decode()
    assert client.post(URL, {"text": RELEASE, "register": "on"}).status_code == 403
    assert _api(client, register=True).status_code == 403
    assert _api(client).status_code == 200  # the ordinary check stays open to them


def test_the_newsroom_token_path_never_runs_it(monkeypatch, newsroom_key, registered):
    def _never(**kwargs):
        raise AssertionError("the register was consulted for a newsroom token")

    monkeypatch.setattr("sinergi.publications.register.registered_child_names", _never)
    response = APIClient().post(
        NEWSROOM, {"text": RELEASE, "register": True}, format="json", HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}"
    )
    assert response.status_code == 200
    assert _register_findings(response.json()["findings"]) == []
    assert not AuditEvent.objects.filter(action=PublicationsEvent.REGISTER_CHECKED).exists()


def test_the_cross_check_shares_the_identity_look_up_limit(monkeypatch, kadis, client_for, registered):
    # An hour's window: a minute's window could roll over between the three requests on a slow machine.
    monkeypatch.setattr("sinergi.cases.limits.IDENTITY_LOOKUP_RATES", (("2/h", 3600),))
    client = client_for(kadis)
    assert _api(client, register=True).status_code == 200
    assert client.post(URL, {"text": RELEASE, "register": "on"}).status_code == 200
    refused = _api(client, register=True)
    assert refused.status_code == 429
    assert _api(client).status_code == 200  # the plain check is not limited by it
