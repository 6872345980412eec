"""The replica router: reads on the replica only for safe requests of users who have not just written."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from sinergi.cases.models import Case
from sinergi.core import db_router
from sinergi.core.db_router import ReplicaRouter
from sinergi.core.ops_middleware import PIN_COOKIE, ReadYourWritesMiddleware

router = ReplicaRouter()


@pytest.fixture
def replica(settings):
    settings.SINERGI_DB_REPLICA = "replica"
    settings.DATABASE_REPLICA_PIN_SECONDS = 30


def _through_middleware(request, view=None):
    """Run the middleware around a view that records where a read and a write would go."""
    seen = {}

    def _view(req):
        seen["read"] = router.db_for_read(Case)
        if view:
            view(seen)
        return HttpResponse("ok")

    response = ReadYourWritesMiddleware(_view)(request)
    return response, seen


def test_without_a_replica_everything_uses_the_primary(settings):
    settings.SINERGI_DB_REPLICA = ""
    response, seen = _through_middleware(RequestFactory().get("/cases/"))
    assert seen["read"] == "default"
    assert PIN_COOKIE not in response.cookies


def test_a_safe_request_reads_from_the_replica(replica):
    _response, seen = _through_middleware(RequestFactory().get("/cases/"))
    assert seen["read"] == "replica"


def test_access_state_is_read_from_the_primary_even_on_a_safe_request(replica):
    # A stolen session cookie must stop working the moment its owner logs out, and a revoked token or a
    # deactivated account at once: never "when the replica has caught up".
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sinergi.accounts.models import ApiToken, User
    from sinergi.tenants.models import Tenant

    access_models = (Session, User, ApiToken, TOTPDevice, AccessAttempt, Tenant)

    def _reads(seen):
        seen["access"] = {model.__name__: router.db_for_read(model) for model in access_models}

    _response, seen = _through_middleware(RequestFactory().get("/cases/"), _reads)
    assert seen["read"] == "replica"
    assert seen["access"] == dict.fromkeys(seen["access"], "default")


def test_the_worker_and_commands_read_from_the_primary(replica):
    # Outside a request nothing allowed the replica: huey tasks and management commands see the primary.
    assert router.db_for_read(Case) == "default"


def test_a_post_reads_from_the_primary_and_pins_the_user(replica):
    response, seen = _through_middleware(RequestFactory().post("/cases/new/"))
    assert seen["read"] == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 30
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_after_a_write_the_next_page_reads_from_the_primary(replica):
    rf = RequestFactory()
    rf.cookies[PIN_COOKIE] = "1"
    _response, seen = _through_middleware(rf.get("/cases/"))
    assert seen["read"] == "default"


def test_a_write_inside_a_safe_request_sends_its_later_reads_to_the_primary(replica):
    def _write_then_read(seen):
        seen["write"] = router.db_for_write(Case)
        seen["read_after_write"] = router.db_for_read(Case)

    _response, seen = _through_middleware(RequestFactory().get("/cases/x/"), _write_then_read)
    assert (seen["read"], seen["write"], seen["read_after_write"]) == ("replica", "default", "default")


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(replica):
    def _in_atomic(seen):
        with transaction.atomic():
            seen["in_atomic"] = router.db_for_read(Case)

    _response, seen = _through_middleware(RequestFactory().get("/cases/"), _in_atomic)
    assert seen["in_atomic"] == "default"


def test_the_replica_permission_ends_with_the_request(replica):
    _through_middleware(RequestFactory().get("/cases/"))
    assert router.db_for_read(Case) == "default"
    token = db_router.allow_replica_reads()
    db_router.reset_replica_reads(token)
    assert router.db_for_read(Case) == "default"


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate("default", "cases") is True
    assert router.allow_migrate("replica", "cases") is False


def test_pool_and_persistent_connections_are_never_combined(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/x")
    monkeypatch.setenv("DB_POOL", "true")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://u@127.0.0.1:5433/x")
    try:
        fresh = importlib.reload(base)
        assert fresh.DATABASES["default"]["CONN_MAX_AGE"] == 0
        assert fresh.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] == 10
        assert fresh.DATABASES["replica"]["OPTIONS"]["pool"]["max_size"] == 10
        assert fresh.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}
        assert fresh.SINERGI_DB_REPLICA == "replica"
        monkeypatch.setenv("DB_POOL", "false")
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        fresh = importlib.reload(base)
        assert fresh.DATABASES["default"]["CONN_MAX_AGE"] == 60
        assert "pool" not in fresh.DATABASES["default"]["OPTIONS"]
        assert "replica" not in fresh.DATABASES
    finally:
        monkeypatch.undo()
        importlib.reload(base)
