"""Errors answer in the right shape: a lost database is a 503 (HTML or JSON), /api/ errors are JSON."""

import uuid

import pytest
from django.db import InterfaceError, OperationalError, connection

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _database_down(exc_class):
    def refuse(execute, sql, params, many, context):
        raise exc_class("server closed the connection unexpectedly")

    return connection.execute_wrapper(refuse)


@pytest.fixture
def token(head) -> str:
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=head, name="t", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    return key


@pytest.mark.parametrize("exc_class", [OperationalError, InterfaceError])
def test_a_page_is_a_friendly_503_while_the_database_is_down_and_recovers(client_for, head, exc_class):
    client = client_for(head)
    client.raise_request_exception = False
    with _database_down(exc_class):
        response = client.get("/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "<h1>Sebentar tidak tersedia</h1>" in html  # Indonesian, the default UI language
    assert "Traceback" not in html
    assert client.get("/cases/").status_code == 200  # the next request works again by itself


@pytest.mark.parametrize("exc_class", [OperationalError, InterfaceError])
def test_the_api_answers_the_json_error_shape_while_the_database_is_down(client, token, exc_class):
    client.raise_request_exception = False
    headers = {"Authorization": f"Token {token}"}
    with _database_down(exc_class):
        response = client.get("/api/v1/cases/", headers=headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "The service is briefly unavailable; retry later.",
            "details": {},
        }
    }
    assert client.get("/api/v1/cases/", headers=headers).status_code == 200


def test_other_server_errors_stay_500(client, monkeypatch):
    from sinergi.core import views

    def broken(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(views.services, "health_report", broken)
    client.raise_request_exception = False
    assert client.get("/healthz").status_code == 500


@pytest.mark.parametrize("path", ["/api/v1/cases/not-a-uuid/", "/api/v1/cases/referrals/1/", "/api/v1/nothing/"])
def test_api_paths_that_match_nothing_are_json_404s(client_for, head, path):
    response = client_for(head).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": {}}}


def test_html_paths_that_match_nothing_stay_html_404s(client_for, head):
    response = client_for(head).get(f"/cases/{uuid.uuid4()}x/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_host_under_api_is_a_json_400(client):
    response = client.get("/api/v1/cases/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


# ---- PostgreSQL, for real: the server drops the connection, then refuses new ones for a while ----------


def _wsgi_get(app, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One request through the real WSGI handler (request_started/finished signals included)."""
    from wsgiref.util import setup_testing_defaults

    environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})
    setup_testing_defaults(environ)
    captured: dict = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"], captured["headers"] = int(status.split()[0]), dict(response_headers)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return captured["status"], captured["headers"], body


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_is_a_503_then_heals_by_itself(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg
    from django.core.wsgi import get_wsgi_application

    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=make_user(Role.OFFICE_HEAD), name="t", prefix=key[:12], token_hash=ApiToken.hash_key(key)
    )
    app, headers = get_wsgi_application(), {"Authorization": f"Token {key}"}
    assert _wsgi_get(app, "/api/v1/cases/", headers)[0] == 200

    # The server goes down: our connection is terminated and new ones are refused (a closed port).
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    port = settings_dict["PORT"]
    settings_dict["PORT"] = "1"
    try:
        status, response_headers, body = _wsgi_get(app, "/api/v1/cases/", headers)
        assert status == 503
        assert response_headers["Retry-After"] == "10"
        assert b'"service_unavailable"' in body
        status, response_headers, body = _wsgi_get(app, "/lapor/", {})
        assert status == 503
        assert "Sebentar tidak tersedia" in body.decode()
    finally:
        settings_dict["PORT"] = port  # the server is back
    assert _wsgi_get(app, "/api/v1/cases/", headers)[0] == 200
