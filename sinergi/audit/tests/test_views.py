import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import EXPORT_HEADER, EXPORTED, record
from sinergi.core.context import RequestMeta, reset_meta, set_meta

from .factories import make_events

LIST_URL = reverse("audit:list")
EXPORT_URL = reverse("audit:export")


@pytest.fixture
def event_a(manager, tenant):
    return record(actor=manager, action="case.create", obj=manager)


@pytest.fixture
def event_b(outsider_head, other_tenant):
    return record(actor=outsider_head, action="case.create", obj=outsider_head)


def _shown_ids(response) -> set[str]:
    events = response.context["page_obj"].object_list
    return {str(e.uuid) for e in events}


def _export_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# ---- list: personas -------------------------------------------------------------------------------


def test_office_head_sees_own_tenant_events_only(client_for, head, event_a, event_b):
    response = client_for(head).get(LIST_URL)
    assert response.status_code == 200
    assert "audit/event_list.html" in [t.name for t in response.templates]
    assert _shown_ids(response) == {str(event_a.uuid)}
    assert str(event_b.uuid) not in response.content.decode()


def test_system_admin_sees_the_trail(client_for, make_user, event_a):
    response = client_for(make_user(Role.SYSTEM_ADMIN)).get(LIST_URL)
    assert response.status_code == 200
    assert _shown_ids(response) == {str(event_a.uuid)}


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.ANALYST, Role.SERVICE_PROVIDER])
def test_non_supervisors_get_403(client_for, make_user, event_a, role):
    client = client_for(make_user(role))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    assert AuditEvent.objects.filter(action=EXPORTED).count() == 0


def test_other_tenant_supervisor_sees_none_of_tenant_a_events(client_for, outsider_head, event_a, event_b):
    client = client_for(outsider_head)
    response = client.get(LIST_URL)
    assert _shown_ids(response) == {str(event_b.uuid)}
    # Even when asking for tenant A's object directly.
    response = client.get(LIST_URL, {"object_type": "accounts.user", "object_id": event_a.object_id})
    assert _shown_ids(response) == set()


def test_anonymous_is_sent_to_login(client, event_a):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.get(EXPORT_URL).status_code == 302


def test_write_methods_are_not_allowed(client_for, head):
    client = client_for(head)
    assert client.post(LIST_URL).status_code == 405
    assert client.post(EXPORT_URL).status_code == 405


# ---- list: filters, htmx, pagination ---------------------------------------------------------------


def test_object_filter_shows_only_that_object(client_for, head, manager, event_a):
    other = record(actor=manager, action="case.update", obj=head)
    response = client_for(head).get(LIST_URL, {"object_type": "accounts.user", "object_id": str(head.pk)})
    assert _shown_ids(response) == {str(other.uuid)}


def test_actor_filter_lists_tenant_users_and_filters(client_for, head, manager, outsider_head, event_a):
    own = record(actor=head, action="case.update")
    client = client_for(head)
    response = client.get(LIST_URL, {"actor": str(head.pk)})
    assert _shown_ids(response) == {str(own.uuid)}
    actor_choices = {str(value) for value, _label in response.context["form"].fields["actor"].choices if value}
    assert actor_choices == {str(head.pk), str(manager.pk)}
    # A user of another tenant is not a valid choice: a clear form error, no results.
    response = client.get(LIST_URL, {"actor": str(outsider_head.pk)})
    assert response.status_code == 200
    assert "actor" in response.context["form"].errors
    assert _shown_ids(response) == set()


def test_action_filter_matches_exactly_or_by_prefix(client_for, head, manager):
    create = record(actor=manager, action="case.create")
    update = record(actor=manager, action="case.update")
    record(actor=manager, action="cases_archive.read")
    client = client_for(head)
    assert _shown_ids(client.get(LIST_URL, {"action": "case.create"})) == {str(create.uuid)}
    assert _shown_ids(client.get(LIST_URL, {"action": "case"})) == {str(create.uuid), str(update.uuid)}


def test_date_filter_uses_whole_local_days(client_for, head, manager):
    with freeze_time("2026-01-11T16:59:00Z"):  # 23:59 in Jakarta on the 11th
        early = record(actor=manager, action="a.b")
    with freeze_time("2026-01-11T17:01:00Z"):  # 00:01 on the 12th
        late = record(actor=manager, action="a.b")
    client = client_for(head)
    assert _shown_ids(client.get(LIST_URL, {"date_to": "2026-01-11"})) == {str(early.uuid)}
    assert _shown_ids(client.get(LIST_URL, {"date_from": "2026-01-12", "date_to": "2026-01-12"})) == {str(late.uuid)}
    response = client.get(LIST_URL, {"date_from": "2026-01-12", "date_to": "2026-01-11"})
    assert response.context["form"].non_field_errors()
    assert _shown_ids(response) == set()


def test_htmx_request_gets_the_results_partial_only(client_for, head, event_a):
    client = client_for(head)
    full = client.get(LIST_URL).content.decode()
    partial = client.get(LIST_URL, {"action": "case"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<form" in full
    assert 'id="audit-results"' in full
    assert "<form" not in partial
    assert "<html" not in partial
    assert partial.lstrip().startswith('<section id="audit-results"')
    assert str(event_a.uuid) in partial
    assert "export.csv?action=case" in partial


def test_pages_hold_50_events_newest_first(client_for, head, manager):
    events = make_events(51, actor=manager)
    client = client_for(head)
    first = client.get(LIST_URL).context["page_obj"]
    assert len(first.object_list) == 50
    assert first.object_list[0].pk == events[-1].pk
    second = client.get(LIST_URL, {"page": 2}).context["page_obj"]
    assert [e.pk for e in second.object_list] == [events[0].pk]


def test_queries_do_not_grow_with_the_page(client_for, head, make_user):
    actors = [make_user(Role.CASE_MANAGER) for _ in range(5)]
    for actor in actors:
        make_events(1, actor=actor)
    client = client_for(head)
    client.get(LIST_URL)  # warm up session/user caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for actor in actors:
        make_events(10, actor=actor)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)
    assert len(response.context["page_obj"].object_list) == 50
    assert len(many) == len(few)


# ---- export ---------------------------------------------------------------------------------------


def test_export_streams_the_filtered_events_as_csv(client_for, head, manager, event_a, event_b):
    other = record(actor=manager, action="user.update", obj=head)
    response = client_for(head).get(EXPORT_URL, {"object_type": "accounts.user", "object_id": str(head.pk)})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-64.02-')
    rows = _export_rows(response)
    assert rows[0] == EXPORT_HEADER
    assert [r[1] for r in rows[1:]] == [str(other.uuid)]


def test_export_contains_only_own_tenant_events(client_for, head, event_a, event_b):
    rows = _export_rows(client_for(head).get(EXPORT_URL))
    ids = {r[1] for r in rows[1:]}
    assert ids == {str(event_a.uuid)}


def test_export_records_an_event_with_request_metadata(client_for, head, event_a):
    response = client_for(head).get(
        EXPORT_URL,
        {"action": "case"},
        HTTP_USER_AGENT="AuditTest/1.0",
        HTTP_X_REQUEST_ID="audit-test-0001",
        REMOTE_ADDR="198.51.100.7",
    )
    rows = _export_rows(response)
    exported = AuditEvent.objects.get(action=EXPORTED)
    assert exported.actor == head
    assert exported.tenant_id == head.tenant_id
    assert (exported.ip, exported.user_agent, exported.request_id) == (
        "198.51.100.7",
        "AuditTest/1.0",
        "audit-test-0001",
    )
    assert exported.extra == {"format": "csv", "rows": 1, "filters": {"action": "case"}}
    assert response["X-Request-ID"] == "audit-test-0001"
    # The export holds the events counted in its own audit record, not the record itself.
    assert len(rows) - 1 == 1


def test_export_neutralises_spreadsheet_formulas(client_for, head, manager):
    token = set_meta(RequestMeta(request_id="req-12345678", ip="203.0.113.5", user_agent='=HYPERLINK("http://x")'))
    try:
        record(actor=manager, action="case.update", object_type="cases.case", object_id="@SUM(A1)", fields=["+x"])
    finally:
        reset_meta(token)
    row = _export_rows(client_for(head).get(EXPORT_URL))[1]
    cells = dict(zip(EXPORT_HEADER, row, strict=True))
    assert cells["user_agent"] == '\'=HYPERLINK("http://x")'
    assert cells["object_id"] == "'@SUM(A1)"
    assert cells["fields"] == "'+x"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


def test_export_contains_no_secret_values(client_for, head, manager):
    record(actor=manager, action="user.update", obj=manager, fields=["password"], extra={"password": "hunter2-secret"})
    client = client_for(head)
    response = client.get(EXPORT_URL)
    body = b"".join(response.streaming_content).decode()
    assert "hunter2-secret" not in body
    assert client.cookies["sessionid"].value not in body
    head.refresh_from_db()
    assert head.password not in body
    assert manager.password not in body
    assert "password" in body  # the field name is listed, its value is not


def test_export_rejects_invalid_filters(client_for, head, outsider_head):
    client = client_for(head)
    assert client.get(EXPORT_URL, {"actor": str(outsider_head.pk)}).status_code == 400
    assert client.get(EXPORT_URL, {"date_from": "not-a-date"}).status_code == 400
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_other_tenant_supervisor_exports_none_of_tenant_a(client_for, outsider_head, event_a):
    rows = _export_rows(client_for(outsider_head).get(EXPORT_URL))
    assert rows == [EXPORT_HEADER]
    assert AuditEvent.objects.get(action=EXPORTED).tenant_id == outsider_head.tenant_id


def test_attacker_controlled_text_is_escaped_in_the_list(client_for, head, manager):
    token = set_meta(RequestMeta(request_id="req-12345678", ip="203.0.113.5", user_agent="<script>alert(1)</script>"))
    try:
        record(actor=manager, action="case.update", extra={"note": "<img src=x>"})
    finally:
        reset_meta(token)
    html = client_for(head).get(LIST_URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{&quot;note&quot;: &quot;&lt;img src=x&gt;&quot;}" in html
