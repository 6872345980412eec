"""The check API and the newsroom API: same engine and output as the command, auth and throttling."""

import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from sinergi.audit.models import AuditEvent
from sinergi.publications import services
from sinergi.publications.models import PpraCheck

from .conftest import BREACHING

pytestmark = pytest.mark.django_db
CHECK = "/api/v1/publications/check/"
NEWSROOM = "/api/v1/publications/newsroom/check/"


def _command_json(tmp_path, text: str) -> dict:
    path = tmp_path / "rilis.txt"
    path.write_text(text, encoding="utf-8")
    import io

    out = io.StringIO()
    call_command("ppra_check", str(path), "--tenant", "64.02", stdout=out)
    return json.loads(out.getvalue())


def test_api_gives_the_same_findings_as_the_command(humas, client_for, tmp_path):
    response = client_for(humas).post(CHECK, {"text": BREACHING}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body.pop("id") is None
    assert body == _command_json(tmp_path, BREACHING)
    assert body["verdict"] == "block"
    assert set(body["findings"][0]) == {"point", "severity", "start", "end", "text", "why", "suggestion"}


def test_api_stores_only_when_asked(humas, client_for):
    client = client_for(humas)
    client.post(CHECK, {"text": BREACHING}, content_type="application/json")
    assert not PpraCheck.objects.exists()
    response = client.post(CHECK, {"text": BREACHING, "store": True}, content_type="application/json")
    assert PpraCheck.objects.get().pk.hex == response.json()["id"].replace("-", "")


def test_api_refuses_roles_without_the_checker(analyst, client_for):
    response = client_for(analyst).post(CHECK, {"text": BREACHING}, content_type="application/json")
    assert response.status_code == 403


def test_api_refuses_empty_text_with_400(humas, client_for):
    response = client_for(humas).post(CHECK, {"text": "  "}, content_type="application/json")
    assert response.status_code == 400
    assert not PpraCheck.objects.exists()


def test_newsroom_token_checks_without_storing(newsroom_key):
    client = APIClient()
    response = client.post(NEWSROOM, {"text": BREACHING}, format="json", HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}")
    assert response.status_code == 200
    assert response.json()["verdict"] == "block"
    assert not PpraCheck.objects.exists()


def test_newsroom_store_keeps_the_text_under_the_partner(newsroom_key, partner):
    client = APIClient()
    client.post(
        NEWSROOM, {"text": BREACHING, "store": True}, format="json", HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}"
    )
    check = PpraCheck.objects.get()
    assert (check.partner_id, check.tenant_id, check.source) == (partner.pk, partner.tenant_id, "newsroom")
    assert AuditEvent.objects.filter(action="ppra.check_stored", object_id=str(check.pk)).exists()


def test_newsroom_endpoint_refuses_other_credentials(humas, client_for):
    assert APIClient().post(NEWSROOM, {"text": BREACHING}, format="json").status_code == 401
    session = client_for(humas).post(NEWSROOM, {"text": BREACHING}, content_type="application/json")
    assert session.status_code in (401, 403)
    bad = APIClient().post(NEWSROOM, {"text": BREACHING}, format="json", HTTP_AUTHORIZATION="Newsroom nope")
    assert bad.status_code == 401


def test_a_newsroom_token_reaches_nothing_else(newsroom_key):
    client = APIClient()
    for url in ("/api/v1/cases/", "/api/v1/publications/check/", "/api/v1/accounts/me/"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}")
        assert response.status_code in (401, 403, 405), url


def test_a_revoked_newsroom_token_is_refused(kadis, partner, newsroom_key):
    token = partner.tokens.get()
    services.newsroom_token_revoke(actor=kadis, token=token)
    response = APIClient().post(
        NEWSROOM, {"text": BREACHING}, format="json", HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}"
    )
    assert response.status_code == 401


def test_newsroom_api_is_rate_limited_per_token(newsroom_key, settings):
    client = APIClient()
    codes = [
        client.post(
            NEWSROOM, {"text": "Rilis singkat."}, format="json", HTTP_AUTHORIZATION=f"Newsroom {newsroom_key}"
        ).status_code
        for _ in range(61)
    ]
    assert codes[:60] == [200] * 60
    assert codes[60] == 429


def test_endpoints_are_in_the_openapi_document(analyst, client_for):
    doc = client_for(analyst).get("/api/schema/", {"format": "json"}).json()
    assert "post" in doc["paths"][CHECK]
    newsroom = doc["paths"][NEWSROOM]["post"]
    assert newsroom["security"] == [{"newsroomAuth": []}]
    assert "429" in newsroom["responses"]


def test_draft_workflow_through_the_api(humas, kadis, outsider, client_for):
    author, reviewer = client_for(humas), client_for(kadis)
    created = author.post(
        "/api/v1/publications/drafts/", {"title": "Rilis", "text": BREACHING}, content_type="application/json"
    )
    assert created.status_code == 201
    draft = created.json()
    url = f"/api/v1/publications/drafts/{draft['id']}/"
    assert draft["versions"][0]["verdict"] == "block"
    assert client_for(outsider).get(url).status_code == 404
    assert author.post(url + "approve/").status_code == 403
    returned = reviewer.post(url + "return/", {"body": "Hapus nama anak."}, content_type="application/json")
    assert returned.json()["status"] == "returned"
    revised = author.post(
        url + "versions/", {"text": BREACHING.replace("Melati Kusumawardani", "MK")}, content_type="application/json"
    )
    assert [v["number"] for v in revised.json()["versions"]] == [1, 2]
    approved = reviewer.post(url + "approve/").json()
    assert (approved["status"], approved["approved_version"]) == ("approved", 2)
    assert approved["approved_by"] == kadis.display_name
    listing = reviewer.get("/api/v1/publications/drafts/").json()
    assert [d["id"] for d in listing["results"]] == [draft["id"]]


def test_api_links_earlier_drafts_and_refuses_invisible_ones(humas, make_user, client_for):
    from sinergi.accounts.roles import Role

    client = client_for(humas)
    first = client.post(
        "/api/v1/publications/drafts/", {"title": "Rilis 1", "text": BREACHING}, content_type="application/json"
    ).json()
    second = client.post(
        "/api/v1/publications/drafts/",
        {"title": "Rilis 2", "text": "Korban kini didampingi psikolog.", "linked": [first["id"]]},
        content_type="application/json",
    )
    assert second.json()["linked"] == [first["id"]]
    stranger = make_user(Role.COMMUNICATIONS_OFFICER, username="humas_asing")
    refused = client_for(stranger).post(
        "/api/v1/publications/drafts/",
        {"title": "Rilis 3", "text": "Teks.", "linked": [first["id"]]},
        content_type="application/json",
    )
    assert refused.status_code == 400
