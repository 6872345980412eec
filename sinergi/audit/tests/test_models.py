import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import record

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")


@pytest.fixture
def event(make_user):
    return record(actor=make_user(Role.CASE_MANAGER), action="case.create", extra={"stage": "received"})


def test_saving_an_existing_event_raises(event):
    event.action = "case.delete"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "case.create"


def test_deleting_an_event_raises(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="case.delete")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.create"


def test_events_cannot_be_written_around_record(event):
    forged = AuditEvent(created_at=timezone.now(), action="case.create", prev_hash=event.hash)
    with pytest.raises(PermissionError):
        forged.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.create(created_at=timezone.now(), action="x", prev_hash="0" * 64, hash="f" * 64)
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([forged])
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_no_add_change_or_delete_permission_exists():
    codenames = set(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True))
    assert "view_auditevent" in codenames
    assert not codenames & {"add_auditevent", "change_auditevent", "delete_auditevent"}


@postgresql_only
def test_raw_sql_update_is_refused_by_the_trigger(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.delete", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.create"


@postgresql_only
def test_raw_sql_delete_is_refused_by_the_trigger(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_unless_the_session_opted_in(tenant):
    # Committed first: PostgreSQL will not TRUNCATE a table with pending trigger events.
    event = record(actor=None, action="system.check", tenant=tenant)
    # The test settings opt in (Django's test runner flushes with TRUNCATE); a normal session does not.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL sinergi.audit_allow_truncate = 'off'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_flush_the_audit_table(tenant):
    # Guards the TRUNCATE escape for the test runner: without it every transactional test fails on PostgreSQL.
    record(actor=None, action="system.check", tenant=tenant)
    assert AuditEvent.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_use_the_truncate_escape(tenant):
    # The opt-in is a session setting anyone may SET; only the table owner (who could drop the trigger
    # anyway) may use it. The application's role, even holding TRUNCATE, must not wipe the trail.
    event = record(actor=None, action="system.check", tenant=tenant)
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS sinergi_test_app_role")
        cursor.execute("CREATE ROLE sinergi_test_app_role NOLOGIN")
        cursor.execute("GRANT TRUNCATE ON audit_auditevent TO sinergi_test_app_role")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE sinergi_test_app_role")
            cursor.execute("SET LOCAL sinergi.audit_allow_truncate = 'on'")
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute("TRUNCATE audit_auditevent")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("REVOKE ALL ON audit_auditevent FROM sinergi_test_app_role")
            cursor.execute("DROP ROLE sinergi_test_app_role")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
