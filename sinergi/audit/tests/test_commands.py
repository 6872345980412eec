from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditChainHead, AuditEvent
from sinergi.audit.services import GENESIS_HASH

from .factories import make_events

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses raw tampering (trigger)")


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def events(make_user):
    return make_events(3, actor=make_user(Role.CASE_MANAGER))


def test_it_prints_the_count_and_ok_and_the_head_hash(events):
    out = _verify()
    assert "3 audit events checked: OK" in out
    assert f"Head hash: {events[-1].hash}" in out


@pytest.mark.django_db
def test_an_empty_log_is_ok():
    assert "0 audit events checked: OK" in _verify()


@sqlite_only
def test_it_names_the_tampered_event_and_exits_non_zero(events):
    _raw("UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["forged", events[1].pk])
    with pytest.raises(CommandError, match=f"event id {events[1].pk}") as exc:
        _verify()
    assert exc.value.returncode == 1  # run_from_argv exits with this status


@sqlite_only
def test_it_detects_a_deleted_last_event(events):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match="head mismatch after 2 events"):
        _verify()


def test_an_anchor_still_in_the_chain_passes(events):
    assert "OK" in _verify("--anchor", events[1].hash, "--anchor", GENESIS_HASH)


@sqlite_only
def test_an_anchor_detects_a_fully_rewritten_chain(events):
    anchor = events[2].hash
    # An attacker with database access rewrites event 1 and re-links everything after it.
    prev = events[0].hash
    for event in AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("id"):
        event.prev_hash = prev
        if event.pk == events[1].pk:
            event.object_id = "forged"
        event.hash = event.compute_hash()
        _raw(
            "UPDATE audit_auditevent SET object_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.object_id, event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)
    assert "OK" in _verify()  # the chain alone cannot see it...
    with pytest.raises(CommandError, match="anchor"):
        _verify("--anchor", anchor)  # ...a head hash kept outside the database can
