"""The audit CSV export, column by column: who did it (actor columns filled), and cells a spreadsheet
would run as formulas neutralised."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import EXPORT_HEADER, EXPORTED, audit_event_export, csv_safe, record
from sinergi.core.context import RequestMeta, reset_meta, set_meta

pytestmark = pytest.mark.django_db

HEADER = [
    "time",
    "event_id",
    "actor_id",
    "actor",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "fields",
    "extra",
    "ip",
    "user_agent",
    "request_id",
    "hash",
]


@pytest.fixture
def head(make_user):
    return make_user(Role.OFFICE_HEAD, username="kadis.kukar", full_name="Sri Wahyuni")


def _export(actor, **filters) -> list[dict[str, str]]:
    rows = list(audit_event_export(actor=actor, **filters))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_the_header_is_pinned():
    assert EXPORT_HEADER == HEADER


def test_every_column_of_an_event_by_a_user(head, tenant):
    token = set_meta(RequestMeta(request_id="req-0001", ip="203.0.113.9", user_agent="Firefox/140"))
    try:
        event = record(
            actor=head,
            action="case.viewed",
            obj=tenant,
            fields=["victim.nik", "victim.full_name"],
            extra={"b": 2, "a": "Kecamatan Tenggarong Seberang – é"},
        )
    finally:
        reset_meta(token)
    event = AuditEvent.objects.get(pk=event.pk)
    (row,) = _export(head)
    assert row == {
        "time": timezone.localtime(event.created_at).isoformat(),
        "event_id": str(event.uuid),
        "actor_id": str(head.pk),
        "actor": "kadis.kukar",
        "actor_name": "Sri Wahyuni",
        "action": "case.viewed",
        "object_type": "tenants.tenant",
        "object_id": str(tenant.pk),
        "fields": "victim.full_name;victim.nik",
        "extra": '{"a": "Kecamatan Tenggarong Seberang – é", "b": 2}',
        "ip": "203.0.113.9",
        "user_agent": "Firefox/140",
        "request_id": "req-0001",
        "hash": event.hash,
    }


def test_system_events_have_empty_actor_columns_and_no_extra(head, tenant):
    record(actor=None, action="system.job", tenant=tenant)
    (row,) = _export(head)
    assert (row["actor_id"], row["actor"], row["actor_name"]) == ("", "system", "")
    assert (row["extra"], row["fields"], row["ip"]) == ("", "", "")


def test_the_export_is_audited_with_its_filters_and_does_not_contain_itself(head, make_user, tenant):
    manager = make_user(Role.CASE_MANAGER, username="kasus.satu")
    record(actor=manager, action="case.viewed", tenant=tenant)
    record(actor=manager, action="case.updated", tenant=tenant)
    record(actor=head, action="case.viewed", tenant=tenant)
    today = timezone.localdate()
    rows = _export(head, action="case.viewed", actor_id=manager.pk, object_type="", date_from=today, date_to=today)
    assert [(r["actor"], r["action"]) for r in rows] == [("kasus.satu", "case.viewed")]
    exported = AuditEvent.objects.get(action=EXPORTED)
    assert EXPORTED == "audit.exported"
    assert (exported.actor, exported.tenant_id) == (head, tenant.pk)
    assert exported.extra == {
        "format": "csv",
        "rows": 1,
        "filters": {
            "action": "case.viewed",
            "actor_id": str(manager.pk),
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
        },
    }
    assert len(_export(head)) == 4  # three events and the first export, not the second export itself


def test_filters_by_object_and_period(head, make_user, tenant):
    manager = make_user(Role.CASE_MANAGER)
    on_manager = record(actor=head, action="user.updated", obj=manager)
    record(actor=head, action="user.updated", obj=head)
    rows = _export(head, object_type="accounts.user", object_id=str(manager.pk))
    assert [r["event_id"] for r in rows] == [str(on_manager.uuid)]
    assert _export(head, date_to=timezone.localdate() - dt.timedelta(days=1)) == []


def test_only_supervisors_may_export(make_user):
    with pytest.raises(PermissionDenied):
        audit_event_export(actor=make_user(Role.CASE_MANAGER))
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_with_a_formula_prefix_is_neutralised(prefix):
    assert csv_safe(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["Sri", "kadis=1", " =1", "'=1", "", "0812", "1+1"])
def test_other_cells_are_left_alone(value):
    assert csv_safe(value) == value


def test_none_and_numbers_become_text():
    assert csv_safe(None) == ""
    assert csv_safe(-5) == "'-5"
    assert csv_safe(42) == "42"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_a_hostile_user_agent_is_neutralised_in_the_export(prefix, head):
    token = set_meta(RequestMeta(request_id="req-2", ip="", user_agent=f'{prefix}cmd|"/c calc"!A1'))
    try:
        record(actor=head, action="auth.login")
    finally:
        reset_meta(token)
    (row,) = _export(head)
    assert row["user_agent"] == f'\'{prefix}cmd|"/c calc"!A1'
    assert json.dumps(row).count("'") == 1


def test_the_first_export_of_an_empty_trail_holds_the_header_only(head):
    """A new regency's very first audit action is often an export of the (empty) trail: the file must
    not contain the export's own event, whatever its id (on a fresh database it is the first, id 1)."""
    assert not AuditEvent.objects.exists()
    assert _export(head) == []
    assert AuditEvent.objects.filter(action=EXPORTED).count() == 1
    assert len(_export(head)) == 1  # the first export, not the second one itself
