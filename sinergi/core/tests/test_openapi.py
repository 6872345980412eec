"""The OpenAPI document: valid OpenAPI 3, generated without warnings, every private operation
secured, the Swagger UI served from vendored (same-origin) assets, and the real responses of every GET
endpoint conforming to what the document promises (schemathesis, in process)."""

import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.cases import services as case_services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Person
from sinergi.cases.tests.factories import make_referral
from sinergi.kla.services.instrument import year_load
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PUBLIC_PREFIX = "/api/v1/public/"
NEWSROOM_PREFIX = "/api/v1/publications/newsroom/"
SECURITY_SCHEMES = {"cookieAuth", "tokenAuth"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema_doc(make_user, client_for) -> dict:
    response = client_for(make_user(Role.ANALYST)).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_schema_and_docs_need_authentication():
    anonymous = Client()
    assert anonymous.get("/api/schema/", {"format": "json"}).status_code in (401, 403)
    assert anonymous.get("/api/docs/").status_code in (401, 403)


def test_schema_is_a_valid_openapi_3_document(schema_doc):
    assert schema_doc["openapi"].startswith("3.")
    validate_schema(schema_doc)  # raises on any violation of the OpenAPI 3 meta-schema
    assert len(list(_operations(schema_doc))) >= 40


def test_schema_generation_emits_no_warning(tmp_path):
    GENERATOR_STATS.reset()
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    except Exception as exc:
        warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        pytest.fail(f"spectacular --validate --fail-on-warn failed: {exc}\n" + "\n".join(warnings))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def test_every_private_operation_requires_session_or_token(schema_doc):
    schemes = schema_doc["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schemes["tokenAuth"]["description"],
    }
    assert "Token <key>" in schemes["tokenAuth"]["description"]
    checked = 0
    for path, method, operation in _operations(schema_doc):
        if path.startswith(PUBLIC_PREFIX):
            continue
        if path.startswith(NEWSROOM_PREFIX):  # a media partner's newsroom token, and nothing else
            assert operation["security"] == [{"newsroomAuth": []}], (method, path)
            continue
        security = operation.get("security") or []
        names = {name for requirement in security for name in requirement}
        assert security, (method, path)
        assert {} not in security, (method, path, security)  # {} would make authentication optional
        assert names == SECURITY_SCHEMES, (method, path, names)
        checked += 1
    assert checked >= 40


def test_operation_ids_are_unique_and_case_operations_are_documented(schema_doc):
    ids = [operation["operationId"] for _path, _method, operation in _operations(schema_doc)]
    assert len(ids) == len(set(ids))
    for path, method, operation in _operations(schema_doc):
        if not path.startswith("/api/v1/cases/"):
            continue
        assert operation.get("summary"), (method, path)
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        if "{id}" in path:
            # Anything not visible is a 404 with the shared error body.
            assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        if method != "get":
            assert "400" in responses or "403" in responses or "404" in responses, (method, path)


def test_case_list_and_referral_inbox_are_documented_as_paginated(schema_doc):
    paths = schema_doc["paths"]
    for path, component in (
        ("/api/v1/cases/", "PaginatedCaseListItemList"),
        ("/api/v1/cases/referrals/", "PaginatedReferralList"),
        ("/api/v1/cases/{id}/timeline/", "PaginatedTimelineEntryList"),
    ):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{component}"}
        params = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"page", "page_size"} <= params
    # Identity values never travel in a URL: no query parameter for them anywhere.
    for path, _method, operation in _operations(schema_doc):
        for param in operation.get("parameters", []):
            if param["in"] == "query":
                assert param["name"] not in {"nik", "full_name", "birth_date", "name"}, (path, param["name"])


class _AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1


def test_swagger_ui_renders_with_same_origin_vendored_assets(make_user, client_for):
    client = client_for(make_user(Role.ANALYST))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = _AssetCollector()
    page.feed(response.content.decode())
    assert page.inline_scripts == 0  # strict CSP: every script is a file
    assert "<style" not in response.content.decode()  # nor any inline style (style-src 'self')
    assert len(page.urls) >= 3
    for url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme, url  # no CDN, no other origin
        assert not parts.netloc, url
        assert url.startswith("/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not vendored"
    script = next(u for u in page.urls if u.startswith("/api/docs/"))
    init = client.get(script)
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "http://" not in init.content.decode()
    assert "https://" not in init.content.decode()


# ---- schemathesis: every GET endpoint answers what the document promises ------------------------


def _seed(tenant, head) -> dict[str, str]:
    """One of everything a GET endpoint can show, so that responses carry real bodies."""
    district = tenant.regency.districts.order_by("code").first()
    village = district.villages.order_by("code").first()
    data = case_services.IntakeInput(
        channel=t.Channel.WALK_IN,
        reported_on=timezone.localdate(),
        category=t.Category.ABH,
        forms=["physical"],
        chronology="Kronologi",
        district_code=district.code,
        people=[
            case_services.PersonInput(full_name="Anak Uji", nik="6402010101140001", sex="F", age=12),
            case_services.PersonInput(role=Person.Role.PERPETRATOR, full_name="Pelaku Uji", age=30),
        ],
    )
    case = case_services.case_intake(actor=head, tenant=tenant, data=data)
    case_services.diversion_record(actor=head, case=case, level="investigation", outcome="pending")
    agency = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS)
    referral = make_referral(actor=head, case=case, agency=agency, service_type="social_rehab")
    document = case_services.case_document_add(
        actor=head,
        case=case,
        kind="police_report",
        uploaded_file=SimpleUploadedFile("lp.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        title="Laporan polisi",
    )
    draft = case_services.intake_draft_save(actor=head, payload='{"note": "x"}')
    year_load(year=timezone.localdate().year)  # the KLA instrument, so the year's endpoints answer bodies
    return {
        "/api/v1/cases/{id}/": str(case.pk),
        "/api/v1/cases/referrals/{id}/": str(referral.pk),
        "/api/v1/cases/drafts/{id}/": str(draft.pk),
        "/api/v1/documents/{id}/": str(document.pk),
        "/api/v1/tenants/agencies/{id}/": str(agency.pk),
        "/api/v1/regions/provinces/{code}/": tenant.regency.province_id,
        "/api/v1/regions/regencies/{code}/": tenant.regency_id,
        "/api/v1/regions/districts/{code}/": district.code,
        "/api/v1/regions/villages/{code}/": village.code if village else "",
    }


# A path parameter without a seeded value: a value its converter accepts (a year for an integer, a
# sample matching a re_path pattern), else a random id. One the URL refuses would be a 404 before the
# authentication and the view were ever reached.
PATH_SAMPLES = ("64.02", "kecamatan")


def _plausible_value(operation, name: str) -> str:
    schema = next((p.definition.get("schema", {}) for p in operation.path_parameters if p.name == name), {})
    if schema.get("type") == "integer":
        return str(timezone.localdate().year)
    if schema.get("pattern"):
        return next(value for value in PATH_SAMPLES if re.search(schema["pattern"], value))
    return str(uuid.uuid4())


def _path_value(path: str, ids: dict[str, str]) -> str | None:
    """The seeded id for a templated path (longest matching prefix), None when nothing matches."""
    for template in sorted(ids, key=len, reverse=True):
        prefix = template.split("{")[0]
        if path.startswith(prefix) and path[len(prefix) :].startswith("{"):
            return ids[template]
    return None


def _call_get_operations(schema, ids, headers, checks, query_values):
    called, statuses, failures = 0, {}, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.lower() != "get":
            continue
        path_parameters = {}
        for param in re.findall(r"{(\w+)}", operation.path):
            path_parameters[param] = _path_value(operation.path, ids) or _plausible_value(operation, param)
        query = {p.name: query_values[p.name] for p in operation.query if p.name in query_values}
        case = operation.Case(path_parameters=path_parameters, query=query)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as exc:
            failures[operation.path] = [getattr(f, "title", str(f)) for f in exc.exceptions]
        statuses[operation.path] = response.status_code
        called += 1
    return called, statuses, failures


def test_get_endpoints_conform_to_the_schema(tenant, make_user, client_for):
    head = make_user(Role.OFFICE_HEAD)
    ids = _seed(tenant, head)
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=head, name="schemathesis", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    doc = client_for(head).get("/api/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(doc)
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Token {key}"}
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    query_values = {"year": timezone.localdate().year}

    # Like Django's test Client: a raw WSGI call must not close the test's database connection
    # (on PostgreSQL close_old_connections would end the test transaction).
    request_started.disconnect(close_old_connections)
    try:
        called, statuses, failures = _call_get_operations(schema, ids, headers, checks, query_values)
    finally:
        request_started.connect(close_old_connections)
    assert called >= 25
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
    # The seeded objects were really found (a 404 everywhere would prove nothing).
    for path in (
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{id}/timeline/",
        "/api/v1/cases/{id}/documents/",
        "/api/v1/cases/{id}/diversions/",
        "/api/v1/cases/referrals/{id}/",
        "/api/v1/cases/drafts/{id}/",
        "/api/v1/cases/statistics/",
        "/api/v1/cases/export/simfoni/",
        "/api/v1/cases/{id}/summary.pdf",
        "/api/v1/documents/{id}/download/",
        "/api/v1/cases/",
        "/api/v1/kla/years/{year}/indicators/",
        "/api/v1/kla/years/{year}/assignments/",
        "/api/v1/kla/regulations/",
        "/api/v1/maps/boundaries/{level}/",
    ):
        assert statuses[path] == 200, (path, statuses[path])


def _call_negative_get_operations(schema, *, headers, path_value, query):
    """Call each GET operation with a bad input; returns (called, statuses, failures)."""
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    called, statuses, failures = 0, {}, {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.lower() != "get":
            continue
        params = re.findall(r"{(\w+)}", operation.path)
        names = {p.name for p in operation.query}
        if path_value is not None and not params:
            continue
        if query and (params or not set(query) <= names):
            continue  # lists only (a list under a random id would be a 404 first)
        case = operation.Case(
            path_parameters={p: path_value or _plausible_value(operation, p) for p in params},
            query=dict(query),
        )
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as exc:
            failures[operation.path] = [getattr(f, "title", str(f)) for f in exc.exceptions]
        statuses[operation.path] = response.status_code
        called += 1
    return called, statuses, failures


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [("anonymous", {401}), ("malformed path value", {404}), ("page_size=-1", {400}), ("page=0", {404})],
)
def test_error_answers_are_documented_json(tenant, make_user, client_for, scenario, expected):
    """Drift fails here: an error status the document does not list, or a body that is not the Error shape."""
    head = make_user(Role.OFFICE_HEAD)
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=head, name="schemathesis", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    doc = client_for(head).get("/api/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(doc)
    schema.app = get_wsgi_application()
    headers = {} if scenario == "anonymous" else {"Authorization": f"Token {key}"}
    path_value = "not-a-uuid" if scenario == "malformed path value" else None
    query = {"page_size=-1": {"page_size": -1}, "page=0": {"page": 0}}.get(scenario, {})
    request_started.disconnect(close_old_connections)
    try:
        called, statuses, failures = _call_negative_get_operations(
            schema, headers=headers, path_value=path_value, query=query
        )
    finally:
        request_started.connect(close_old_connections)
    assert called >= 5
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
    unexpected = {path: status for path, status in statuses.items() if status not in expected}
    if scenario == "anonymous":  # public operations answer anonymous callers
        unexpected = {p: s for p, s in unexpected.items() if not p.startswith(PUBLIC_PREFIX)}
    assert not unexpected, unexpected


def test_every_error_response_in_the_document_has_the_error_body(schema_doc):
    checked = 0
    for path, method, operation in _operations(schema_doc):
        for code, response in operation["responses"].items():
            if code[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)
                checked += 1
        assert "503" in operation["responses"], (method, path)
        if operation.get("security"):
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
    assert checked >= 200
