"""Impossible input is refused with a 400 in the shared error shape, never a 500."""

import json
import uuid

import pytest
from django.test import Client

from sinergi.accounts.roles import Role
from sinergi.core.parsers import MAX_JSON_DEPTH, json_depth_exceeds

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
WRITE_METHODS = {"post", "put", "patch"}


def _nested(levels: int) -> dict:
    """A draft body (an object holding a `payload` object) nesting `levels` lists/objects in all."""
    value: object = "x"
    for i in range(levels - 2):
        value = {"a": value} if i % 2 else [value]
    return {"payload": {"n": value}}


@pytest.fixture
def schema_doc(make_user, client_for) -> dict:
    return client_for(make_user(Role.ANALYST)).get("/api/schema/", {"format": "json"}).json()


def _json_write_operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}) if method in WRITE_METHODS else {}
            if "application/json" in content:
                yield path.replace("{id}", str(uuid.uuid4())), method, operation


def _parse_error(response) -> bool:
    return response.status_code == 400 and response.json()["error"]["code"] == "parse_error"


def test_depth_counting():
    assert not json_depth_exceeds(_nested(MAX_JSON_DEPTH))
    assert json_depth_exceeds(_nested(MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds({"people": [{"disabilities": ["x"]}], "forms": []})


def test_deeply_nested_json_is_a_400_on_every_json_endpoint(schema_doc, make_user, client_for):
    from sinergi.publications import services as publication_services

    head = make_user(Role.OFFICE_HEAD)
    client = client_for(head)
    partner = publication_services.media_partner_create(actor=head, tenant=head.tenant, name="Harian Uji")
    _token, newsroom_key = publication_services.newsroom_token_create(actor=head, partner=partner, name="CMS")
    refused, checked = 0, 0
    for path, method, _operation in _json_write_operations(schema_doc):
        anonymous = path.startswith("/api/v1/public/")
        caller = Client() if anonymous else client
        headers = {"Authorization": f"Newsroom {newsroom_key}"} if "/newsroom/" in path else {}
        if headers:
            caller = Client()
        response = getattr(caller, method)(path, data=DEEP, content_type="application/json", headers=headers)
        checked += 1
        assert response.status_code != 500, (method, path)
        assert response["Content-Type"].startswith("application/json"), (method, path)
        if "{" not in path and response.status_code != 404:
            assert _parse_error(response), (method, path, response.status_code, response.content[:200])
            refused += 1
    assert checked >= 10
    assert refused >= 5


def test_deep_json_under_the_interpreter_limit_is_refused_too(make_user, client_for):
    client = client_for(make_user(Role.SATGAS_VOLUNTEER))
    body = json.dumps(_nested(200))
    response = client.post("/api/v1/cases/drafts/", data=body, content_type="application/json")
    assert _parse_error(response)
    assert str(MAX_JSON_DEPTH) in response.json()["error"]["message"]


def test_a_normal_body_still_parses(make_user, client_for):
    client = client_for(make_user(Role.SATGAS_VOLUNTEER))
    response = client.post("/api/v1/cases/drafts/", data=json.dumps(_nested(10)), content_type="application/json")
    assert response.status_code == 201, response.content


def test_the_public_report_refuses_deep_json():
    response = Client().post("/api/v1/public/reports/", data=DEEP, content_type="application/json")
    assert _parse_error(response)


def _paginated_lists(doc: dict) -> list[str]:
    return [
        path
        for path, item in doc["paths"].items()
        if "get" in item
        and "{" not in path
        and any(p["name"] == "page_size" for p in item["get"].get("parameters", []))
    ]


@pytest.mark.parametrize("value", ["-1", "0", "101", "1000000", "abc", "1.5", "", "٣"])
def test_page_size_outside_the_documented_bounds_is_a_400_on_every_list(schema_doc, make_user, client_for, value):
    client = client_for(make_user(Role.OFFICE_HEAD))
    lists = _paginated_lists(schema_doc)
    assert len(lists) >= 5
    for path in lists:
        response = client.get(path, {"page_size": value})
        assert response.status_code == 400, (path, value, response.status_code)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert list(error["details"]) == ["page_size"], (path, error)


def test_page_size_within_the_bounds_is_honoured(make_user, client_for):
    from sinergi.tenants.tests.factories import AgencyFactory

    head = make_user(Role.OFFICE_HEAD)
    for _ in range(3):
        AgencyFactory(tenant=head.tenant)
    client = client_for(head)
    assert len(client.get("/api/v1/tenants/agencies/", {"page_size": 1}).json()["results"]) == 1
    assert client.get("/api/v1/tenants/agencies/", {"page_size": 100}).status_code == 200


def test_the_schema_documents_the_page_size_bounds(schema_doc):
    for path in _paginated_lists(schema_doc):
        param = next(p for p in schema_doc["paths"][path]["get"]["parameters"] if p["name"] == "page_size")
        assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}, path
        assert "400" in schema_doc["paths"][path]["get"]["responses"], path
