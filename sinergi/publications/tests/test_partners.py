"""Media partners, newsroom tokens and takedown/correction requests: services, pages and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.audit.models import AuditEvent
from sinergi.publications import services
from sinergi.publications.models import NewsroomToken, TakedownRequest

pytestmark = pytest.mark.django_db
URL = "https://berita.example/2026/12/kasus-anak"


def test_a_token_key_is_stored_hashed_and_shown_once(partner, newsroom_key):
    token = NewsroomToken.objects.get()
    assert token.token_hash == NewsroomToken.hash_key(newsroom_key)
    assert newsroom_key not in str(AuditEvent.objects.filter(action="newsroom_token.created").values())


def test_only_the_office_head_and_admin_manage_partners(humas, kadis, partner):
    with pytest.raises(PermissionDenied):
        services.media_partner_create(actor=humas, tenant=humas.tenant, name="Media Lain")
    with pytest.raises(PermissionDenied):
        services.newsroom_token_create(actor=humas, partner=partner, name="CMS")
    with pytest.raises(ValidationError):
        services.media_partner_create(actor=kadis, tenant=kadis.tenant, name="harian sungai lebar")


def test_takedown_request_and_answer_are_tracked_and_audited(kadis, partner):
    item = services.takedown_request_create(
        actor=kadis, partner=partner, kind="takedown", url=URL, points=[1, 8], reason="Nama anak korban disebut."
    )
    services.takedown_request_answer(actor=kadis, request=item, status="done", answer="Berita sudah diturunkan.")
    item.refresh_from_db()
    assert (item.status, item.points) == ("done", [1, 8])
    assert item.answered_at is not None
    assert AuditEvent.objects.filter(action="takedown.answered", object_id=str(item.pk)).exists()
    with pytest.raises(ValidationError):
        services.takedown_request_answer(actor=kadis, request=item, status="refused", answer="")


def test_bad_takedown_input_writes_nothing(kadis, partner):
    for kwargs in ({"url": "bukan alamat"}, {"points": [13]}, {"reason": " "}, {"kind": "hapus"}):
        args = {"kind": "takedown", "url": URL, "points": [1], "reason": "Nama anak.", **kwargs}
        with pytest.raises(ValidationError):
            services.takedown_request_create(actor=kadis, partner=partner, **args)
    assert not TakedownRequest.objects.exists()


def test_partner_pages_personas(partner, humas, kadis, analyst, outsider, client_for):
    url = f"/publications/partners/{partner.pk}/"
    assert client_for(kadis).get(url).status_code == 200
    assert client_for(humas).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(analyst).get("/publications/partners/").status_code == 403


def test_office_head_creates_a_token_on_the_page_and_sees_the_key_once(partner, kadis, client_for):
    client = client_for(kadis)
    response = client.post(f"/publications/partners/{partner.pk}/", {"action": "token", "name": "CMS"})
    body = response.content.decode()
    key = body.split('data-testid="new-key">')[1].split("<code>")[1].split("</code>")[0]
    assert NewsroomToken.objects.get().token_hash == NewsroomToken.hash_key(key)
    assert key not in client.get(f"/publications/partners/{partner.pk}/").content.decode()


def test_communications_officer_gets_403_when_creating_a_token(partner, humas, client_for):
    response = client_for(humas).post(f"/publications/partners/{partner.pk}/", {"action": "token", "name": "CMS"})
    assert response.status_code == 403
    assert not NewsroomToken.objects.exists()


def test_partner_api(kadis, humas, outsider, client_for):
    client = client_for(kadis)
    created = client.post(
        "/api/v1/publications/partners/", {"name": "Radio Suara Lebar"}, content_type="application/json"
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    token = client.post(
        f"/api/v1/publications/partners/{pid}/tokens/", {"name": "CMS"}, content_type="application/json"
    )
    assert token.json()["key"].startswith("news_")
    detail = client_for(humas).get(f"/api/v1/publications/partners/{pid}/").json()
    assert "key" not in detail["tokens"][0]
    assert client_for(outsider).get(f"/api/v1/publications/partners/{pid}/").status_code == 404
    request = client.post(
        f"/api/v1/publications/partners/{pid}/takedowns/",
        {"kind": "correction", "url": URL, "points": [12], "reason": "Wajah ABH tampak."},
        content_type="application/json",
    ).json()
    answered = client.post(
        f"/api/v1/publications/takedowns/{request['id']}/answer/",
        {"status": "refused"},
        content_type="application/json",
    )
    assert answered.json()["status"] == "refused"
    revoked = client.post(f"/api/v1/publications/tokens/{token.json()['id']}/revoke/")
    assert revoked.json()["revoked_at"] is not None
