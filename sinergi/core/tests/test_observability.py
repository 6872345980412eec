"""Request ids in logs, JSON logs, error reports without identities, Sentry scrubbing, protected /metrics."""

import json
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

from sinergi.core import sentry
from sinergi.core.logs import JsonFormatter, NoPiiExceptionReporterFilter, RequestIdFilter

NIK = "6402011234567890"


# ---- logs ------------------------------------------------------------------------------------


def _log_view(request):
    from django.http import HttpResponse

    logging.getLogger("sinergi.test").warning("inside the view")
    return HttpResponse("ok")


def _boom_view(request):
    child_name = request.POST.get("full_name")  # a local variable holding an identity
    raise RuntimeError(f"boom for {len(child_name or '')}")


urlpatterns = [path("log/", _log_view), path("boom/", _boom_view)]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.addFilter(RequestIdFilter())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured():
    handler = _Capture()
    logger = logging.getLogger("sinergi.test")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_every_log_record_of_a_request_carries_its_request_id(captured):
    response = Client().get("/log/", HTTP_X_REQUEST_ID="req-abcdef-123")
    assert response["X-Request-ID"] == "req-abcdef-123"
    assert [r.request_id for r in captured.records] == ["req-abcdef-123"]
    line = json.loads(JsonFormatter().format(captured.records[0]))
    assert line["request_id"] == "req-abcdef-123"
    assert line["message"] == "inside the view"
    assert line["level"] == "WARNING"


def test_records_outside_a_request_get_a_dash(captured):
    logging.getLogger("sinergi.test").warning("from the worker")
    assert captured.records[0].request_id == "-"


def test_settings_wire_the_filter_and_the_json_format(settings):
    from django.conf import settings as django_settings

    assert "request_id" in django_settings.LOGGING["handlers"]["console"]["filters"]
    assert django_settings.LOGGING["formatters"]["json"]["()"] == "sinergi.core.logs.JsonFormatter"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_mail_to_admins_shows_no_form_value_or_local_variable(settings):
    settings.ADMINS = [("IT", "it@kab.example")]
    client = Client(raise_request_exception=False)
    response = client.post("/boom/", {"full_name": "Siti Aminah", "nik": NIK})
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "RuntimeError" in body
    assert "Siti Aminah" not in body
    assert NIK not in body


def test_the_report_filter_hides_every_post_value():
    from django.test import RequestFactory

    request = RequestFactory().post("/x/", {"nik": NIK, "note": "x"})
    cleansed = NoPiiExceptionReporterFilter().get_post_parameters(request)
    assert NIK not in str(cleansed)
    assert set(cleansed) == {"nik", "note"}


# ---- sentry ----------------------------------------------------------------------------------


def test_sentry_is_off_without_a_dsn():
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()


def test_sentry_events_are_scrubbed_of_identity_data():
    event = {
        "request": {
            "url": f"https://sinergi.example/cases/search?nik={NIK}",
            "data": {"full_name": "Siti Aminah", "nik": NIK},
            "cookies": {"sessionid": "abc"},
            "query_string": f"nik={NIK}",
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "Authorization": "Token x"},
        },
        "user": {"id": 7, "username": "siti", "email": "siti@example", "ip_address": "10.0.0.1"},
        "extra": {"nik": NIK},
        "exception": {"values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"nik": NIK}}]}}]},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT ...", "data": {"params": [NIK]}}]},
    }
    scrubbed = sentry.scrub_event(event)
    text = json.dumps(scrubbed)
    assert NIK not in text
    assert "Siti" not in text
    assert "sessionid" not in text
    assert "Token x" not in text
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}


def test_sentry_init_sends_no_pii(monkeypatch):
    import sentry_sdk

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: seen.update(kwargs))
    sentry.init(dsn="https://key@sentry.example/1", environment="test", release="", traces_sample_rate=0.0)
    assert seen["send_default_pii"] is False
    assert seen["include_local_variables"] is False
    assert seen["before_send"] is sentry.scrub_event


# ---- metrics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_404_when_not_configured(settings):
    settings.SINERGI_METRICS_TOKEN = ""
    settings.SINERGI_METRICS_ALLOW_IPS = []
    assert Client().get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_are_404_with_a_wrong_token(settings):
    settings.SINERGI_METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert Client().get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_with_the_token_count_requests_per_view(settings):
    settings.SINERGI_METRICS_TOKEN = "s3cret-token-for-prometheus"
    Client().get("/healthz")
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'sinergi_http_requests_total{method="GET",status="' in body
    assert 'view="healthz"' in body
    assert "sinergi_worker_heartbeat_age_seconds" in body
    assert "sinergi_queue_pending_tasks" in body


@pytest.mark.django_db
def test_metrics_from_an_allowed_address(settings):
    settings.SINERGI_METRICS_TOKEN = ""
    settings.SINERGI_METRICS_ALLOW_IPS = ["10.8.0.0/24"]
    assert Client(REMOTE_ADDR="10.8.0.5").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.9.0.5").get("/metrics").status_code == 404
