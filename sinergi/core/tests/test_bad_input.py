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
    client = client_for(make_user(Role.OFFICE_HEAD))
    refused, checked = 0, 0
    for path, method, _operation in _json_write_operations(schema_doc):
        anonymous = path.startswith("/api/v1/public/")
        caller = Client() if anonymous else client
        response = getattr(caller, method)(path, data=DEEP, content_type="application/json")
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
    assert "nested too deeply" in response.json()["error"]["message"]


def test_a_normal_body_still_parses(make_user, client_for):
    client = client_for(make_user(Role.SATGAS_VOLUNTEER))
    response = client.post("/api/v1/cases/drafts/", data=json.dumps(_nested(10)), content_type="application/json")
    assert response.status_code == 201, response.content


def test_the_public_report_refuses_deep_json():
    response = Client().post("/api/v1/public/reports/", data=DEEP, content_type="application/json")
    assert _parse_error(response)
