import pytest
from django.db import DatabaseError, connection, transaction

from sinergi.audit.models import AuditChainHead, AuditEvent
from sinergi.audit.services import GENESIS_HASH, MASK, record, verify_chain
from sinergi.core.context import RequestMeta, reset_meta, set_meta

from .factories import make_events

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses raw tampering (trigger)")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_an_empty_log_verifies():
    assert verify_chain() == (True, 0, None)


def test_three_records_verify(manager, tenant):
    events = make_events(3, actor=manager, obj=tenant)
    assert verify_chain() == (True, 3, None)
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert AuditChainHead.objects.get(pk=1).last_hash == events[2].hash


def test_chain_verifies_in_small_batches(manager):
    make_events(7, actor=manager)
    assert verify_chain(batch_size=2) == (True, 7, None)


@sqlite_only
def test_a_tampered_row_is_reported_by_id(manager):
    events = make_events(3, actor=manager)
    _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.read", events[1].pk])
    assert verify_chain() == (False, 1, events[1].pk)


@sqlite_only
def test_a_tampered_row_with_a_recomputed_hash_breaks_the_next_link(manager):
    events = make_events(3, actor=manager)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.action = "case.read"
    _raw(
        "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
        ["case.read", forged.compute_hash(), forged.pk],
    )
    assert verify_chain() == (False, 2, events[2].pk)


@sqlite_only
def test_deleting_the_last_row_is_detected_by_the_head(manager):
    events = make_events(3, actor=manager)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert verify_chain() == (False, 2, None)


@sqlite_only
def test_deleting_a_middle_row_is_reported_at_the_next_event(manager):
    events = make_events(3, actor=manager)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert verify_chain() == (False, 1, events[2].pk)


def test_resetting_the_head_row_is_detected(manager):
    make_events(2, actor=manager)
    AuditChainHead.objects.filter(pk=1).update(last_hash=GENESIS_HASH, count=0)
    assert verify_chain()[0] is False
    AuditChainHead.objects.filter(pk=1).delete()
    assert verify_chain()[0] is False


@postgresql_only
def test_tampering_with_raw_sql_is_refused_on_postgresql(manager):
    events = make_events(3, actor=manager)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.read", events[1].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    assert verify_chain() == (True, 3, None)


def test_record_takes_tenant_from_object_then_actor(manager, tenant, other_tenant):
    assert record(actor=manager, action="a.b", obj=other_tenant).tenant_id == other_tenant.pk
    assert record(actor=manager, action="a.b", tenant=other_tenant).tenant_id == other_tenant.pk
    assert record(actor=manager, action="a.b").tenant_id == tenant.pk
    event = record(actor=manager, action="user.update", obj=manager, fields=["phone", "email", "phone"])
    assert (event.object_type, event.object_id, event.fields) == ("accounts.user", str(manager.pk), ["email", "phone"])
    assert verify_chain()[0] is True


@pytest.mark.django_db
def test_record_labels_system_and_anonymous_actors(tenant):
    from django.contrib.auth.models import AnonymousUser

    assert record(actor=None, action="system.job", tenant=tenant).actor_label == "system"
    event = record(actor=AnonymousUser(), action="report.submit", tenant=tenant)
    assert (event.actor_id, event.actor_label) == (None, "anonymous")


def test_record_masks_values_under_secret_looking_keys(manager):
    event = record(
        actor=manager,
        action="user.update",
        extra={"password": "hunter2", "nested": {"apiToken": "snrg_x", "child_nik": "6402011234560001"}, "rows": 3},
    )
    stored = AuditEvent.objects.get(pk=event.pk).extra
    assert stored == {"password": MASK, "nested": {"apiToken": MASK, "child_nik": MASK}, "rows": 3}
    assert verify_chain()[0] is True


def test_record_stores_non_json_extra_so_that_the_hash_still_verifies(manager, tenant):
    import datetime

    record(actor=manager, action="a.b", extra={"tenant": tenant.pk, "on": datetime.date(2026, 1, 12)})
    assert AuditEvent.objects.get().extra == {"tenant": str(tenant.pk), "on": "2026-01-12"}
    assert verify_chain() == (True, 1, None)


@pytest.mark.parametrize(
    ("raw_ip", "stored"),
    [("203.0.113.9", "203.0.113.9"), ("2001:DB8:0:0::0001", "2001:db8::1"), ("unix:/run/gunicorn", None)],
)
def test_record_normalises_the_ip_so_the_chain_verifies(manager, raw_ip, stored):
    token = set_meta(RequestMeta(request_id="req-12345678", ip=raw_ip, user_agent="pytest"))
    try:
        event = record(actor=manager, action="a.b")
    finally:
        reset_meta(token)
    reread = AuditEvent.objects.get(pk=event.pk)
    assert (reread.ip, reread.request_id, reread.user_agent) == (stored, "req-12345678", "pytest")
    assert verify_chain() == (True, 1, None)
