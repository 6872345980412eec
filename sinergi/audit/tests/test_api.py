import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sinergi.accounts.models import ApiToken
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import record

from .factories import make_events

URL = reverse("audit-api:event-list")


@pytest.fixture
def event_a(manager):
    return record(actor=manager, action="case.create", obj=manager, fields=["full_name"])


@pytest.fixture
def event_b(outsider_head):
    return record(actor=outsider_head, action="case.create", obj=outsider_head)


def _ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def test_office_head_lists_own_tenant_events(client_for, head, manager, event_a, event_b):
    response = client_for(head).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(event_a.uuid)
    assert row["actor"] == str(manager.pk)
    assert row["actor_name"] == manager.display_name
    assert row["object_type"] == "accounts.user"
    assert row["fields"] == ["full_name"]
    assert row["hash"] == event_a.hash


def test_case_manager_gets_403(client_for, manager, event_a):
    response = client_for(manager).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_other_tenant_supervisor_sees_none_of_tenant_a(client_for, outsider_head, event_a, event_b):
    client = client_for(outsider_head)
    assert _ids(client.get(URL)) == [str(event_b.uuid)]
    assert _ids(client.get(URL, {"object_type": "accounts.user", "object_id": event_a.object_id})) == []


def test_anonymous_gets_401_or_403(event_a):
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_api_token_of_a_supervisor_works(head, event_a):
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=head, name="siem", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    response = APIClient().get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert _ids(response) == [str(event_a.uuid)]


def test_filters_apply(client_for, head, manager, event_a):
    own = record(actor=head, action="user.update", obj=head)
    client = client_for(head)
    assert _ids(client.get(URL, {"object_type": "accounts.user", "object_id": str(head.pk)})) == [str(own.uuid)]
    assert _ids(client.get(URL, {"actor": str(manager.pk)})) == [str(event_a.uuid)]
    assert _ids(client.get(URL, {"action": "case"})) == [str(event_a.uuid)]
    assert _ids(client.get(URL, {"action": "user.update"})) == [str(own.uuid)]


def test_invalid_filters_give_a_clear_400(client_for, head):
    response = client_for(head).get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01", "actor": "x"})
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert "actor" in details


def test_it_is_paginated_newest_first(client_for, head, manager):
    events = make_events(30, actor=manager)
    body = client_for(head).get(URL).json()
    assert body["count"] == 30
    assert len(body["results"]) == 25
    assert body["results"][0]["id"] == str(events[-1].uuid)
    assert body["next"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_write_method_exists(client_for, head, event_a, method):
    response = getattr(client_for(head), method)(URL, {"action": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert AuditEvent.objects.count() == 1


def test_schema_documents_a_read_only_endpoint(client_for, head):
    response = client_for(head).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    operations = response.json()["paths"]["/api/v1/audit/events/"]
    assert set(operations) == {"get"}
    params = {p["name"] for p in operations["get"]["parameters"]}
    assert {"object_type", "object_id", "actor", "action", "date_from", "date_to", "page"} <= params
