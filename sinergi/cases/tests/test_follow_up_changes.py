"""Follow-ups move and get cancelled: the owner is told, the reminder follows the new time (once), the
ICS copy is replaced (SEQUENCE) or marked cancelled, and only the case team may do it (HTML and API)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import FollowUp, TimelineEntry
from sinergi.notifications.models import Notification
from sinergi.taskforces import services as tf_services

from .factories import make_referral

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"


@pytest.fixture
def worker(make_user):
    return make_user(Role.OFFICE_HEAD, full_name="Pekerja Sosial Dua")


@pytest.fixture
def visit(cm, planned, worker):
    return s.follow_up_schedule(
        actor=cm,
        case=planned,
        kind=t.FollowUpKind.HOME_VISIT,
        starts_at=timezone.now() + dt.timedelta(hours=5),
        owner=worker,
    )


def _feed(user) -> bytes:
    token = tf_services.calendar_feed_create(actor=user)
    return Client().get(reverse("taskforces:calendar_feed", args=[token])).content


def _feed_events(user):
    return {str(e["uid"]): e for e in Calendar.from_ical(_feed(user)).walk("VEVENT")}


def test_moving_a_follow_up_reminds_again_for_the_new_time_once_and_tells_the_owner(cm, visit, worker):
    assert s.follow_up_reminders_send() == 1  # reminded for the old time
    later = timezone.now() + dt.timedelta(hours=20)
    moved = s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=later)
    assert (moved.starts_at, moved.sequence, moved.reminded_at) == (later, 1, None)
    assert s.follow_up_reminders_send() == 1  # the new time gets its own reminder ...
    assert s.follow_up_reminders_send() == 0  # ... once
    assert Notification.objects.filter(recipient=worker, kind="follow_up_changed").count() == 1
    assert Notification.objects.filter(recipient=worker, kind="follow_up_reminder").count() == 2
    assert AuditEvent.objects.filter(action="case.follow_up_rescheduled").count() == 1
    assert TimelineEntry.objects.filter(case=visit.case, kind=TimelineEntry.Kind.FOLLOW_UP).count() == 2


def test_a_new_owner_and_the_old_one_are_told_the_actor_is_not(cm, visit, worker, make_user):
    other = make_user(Role.OFFICE_HEAD, full_name="Konselor Tiga")
    s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=visit.starts_at, owner=other)
    told = set(Notification.objects.filter(kind="follow_up_changed").values_list("recipient", flat=True))
    assert told == {worker.pk, other.pk}
    visit.refresh_from_db()
    assert visit.owner == other


def test_bad_moves_are_refused_and_nothing_changes(cm, visit, other_tenant, make_user):
    for starts_at, owner in (
        (timezone.now() - dt.timedelta(hours=1), None),  # the past
        (timezone.now() + dt.timedelta(days=3 * 365), None),  # too far
        (visit.starts_at, None),  # nothing changes
        (visit.starts_at + dt.timedelta(hours=1), make_user(tenant=other_tenant)),  # an owner of another regency
    ):
        with pytest.raises(ValidationError):
            s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=starts_at, owner=owner)
    fresh = FollowUp.objects.get(pk=visit.pk)
    assert (fresh.starts_at, fresh.sequence, fresh.owner_id) == (visit.starts_at, 0, visit.owner_id)
    assert not AuditEvent.objects.filter(action="case.follow_up_rescheduled").exists()


def test_cancelling_needs_a_reason_sends_no_reminder_and_cannot_be_moved_after(cm, visit, worker):
    with pytest.raises(ValidationError):
        s.follow_up_cancel(actor=cm, follow_up=visit, reason="  ")
    s.follow_up_cancel(actor=cm, follow_up=visit, reason="Keluarga pindah sementara")
    assert s.follow_up_reminders_send() == 0
    with pytest.raises(ValidationError):
        s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=visit.starts_at + dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        s.follow_up_cancel(actor=cm, follow_up=visit, reason="lagi")
    visit.refresh_from_db()
    assert (visit.is_cancelled, visit.sequence, visit.cancel_reason) == (True, 1, "Keluarga pindah sementara")
    assert Notification.objects.filter(recipient=worker, kind="follow_up_changed").count() == 1


def test_the_ics_copy_counts_up_its_sequence_and_shows_a_cancellation(cm, visit, worker):
    uid = f"follow-up-{visit.pk}@sinergi"
    assert int(_feed_events(worker)[uid]["sequence"]) == 0
    s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=visit.starts_at + dt.timedelta(hours=2))
    event = _feed_events(worker)[uid]
    assert int(event["sequence"]) == 1
    assert str(event["status"]) == "CONFIRMED"
    s.follow_up_cancel(actor=cm, follow_up=visit, reason="Sidang ditunda pengadilan")
    event = _feed_events(worker)[uid]
    assert (int(event["sequence"]), str(event["status"])) == (2, "CANCELLED")
    assert b"Sidang ditunda" not in _feed(worker)  # the reason never reaches a calendar app


def test_html_move_and_cancel_with_errors_shown_and_outsiders_get_404(
    cm, planned, visit, client_for, dinsos, dinsos_officer, outsider_head
):
    client = client_for(cm)
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    move_url = reverse("cases:follow_up_reschedule", args=[planned.pk, visit.pk])
    cancel_url = reverse("cases:follow_up_cancel", args=[planned.pk, visit.pk])
    assert move_url in page
    assert cancel_url in page
    prefix = f"fu-{visit.pk}"
    bad = client.post(move_url, {f"{prefix}-starts_at": "2001-01-01T09:00", f"{prefix}-owner": cm.pk})
    assert bad.status_code == 400
    assert f'id="id_{prefix}-starts_at_error"' in bad.content.decode()
    new_time = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(move_url, {f"{prefix}-starts_at": new_time, f"{prefix}-owner": cm.pk}).status_code == 302
    visit.refresh_from_db()
    assert visit.owner == cm
    assert visit.sequence == 1
    make_referral(cm, planned, dinsos)
    for user in (dinsos_officer, outsider_head):
        assert client_for(user).post(cancel_url, {f"fu-cancel-{visit.pk}-reason": "Tidak jadi"}).status_code == 404
    done = client.post(cancel_url, {f"fu-cancel-{visit.pk}-reason": "Tidak jadi"})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.is_cancelled
    # A cancelled follow-up leaves the case page's list and the summary.
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    assert cancel_url not in page


def test_the_move_and_cancel_forms_open_on_demand_with_and_without_htmx(cm, planned, visit, client_for, outsider_head):
    client = client_for(cm)
    move_url = reverse("cases:follow_up_reschedule", args=[planned.pk, visit.pk])
    cancel_url = reverse("cases:follow_up_cancel", args=[planned.pk, visit.pk])
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    prefix = f"fu-{visit.pk}"
    assert f'hx-get="{move_url}"' in page
    assert f'hx-get="{cancel_url}"' in page
    assert f'name="{prefix}-starts_at"' not in page  # not built until opened
    assert f'name="fu-cancel-{visit.pk}-reason"' not in page
    slot = f"slot-follow-up-{visit.pk}"
    opened = client.get(move_url, headers={"HX-Request": "true", "HX-Target": slot})
    assert opened.status_code == 200
    body = opened.content.decode()
    assert f'name="{prefix}-starts_at"' in body
    assert f'name="{prefix}-owner"' in body
    assert "<html" not in body  # the form only, for its slot
    cancel = client.get(cancel_url, headers={"HX-Request": "true"}).content.decode()
    assert f'name="fu-cancel-{visit.pk}-reason"' in cancel
    assert f'name="{prefix}-starts_at"' not in cancel
    # Without JavaScript the link is the case page with that form open.
    full = client.get(move_url).content.decode()
    assert "<html" in full
    assert f'name="{prefix}-starts_at"' in full
    assert client_for(outsider_head).get(move_url).status_code == 404


def test_api_moves_and_cancels_under_the_case_policy(cm, planned, visit, client_for, dinsos, dinsos_officer):
    client = client_for(cm)
    url = f"{API}{planned.pk}/follow-ups/{visit.pk}/"
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    moved = client.patch(url, {"starts_at": later}, content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["sequence"] == 1
    assert (
        client.patch(url, {"starts_at": "2001-01-01T00:00:00+07:00"}, content_type="application/json").status_code
        == 400
    )
    make_referral(cm, planned, dinsos)
    officer = client_for(dinsos_officer)
    assert officer.patch(url, {"starts_at": later}, content_type="application/json").status_code == 404
    assert officer.post(f"{url}cancel/", {"reason": "Tidak jadi"}, content_type="application/json").status_code == 404
    assert client.post(f"{url}cancel/", {"reason": "x"}, content_type="application/json").status_code == 400
    cancelled = client.post(f"{url}cancel/", {"reason": "Tidak jadi"}, content_type="application/json")
    assert cancelled.status_code == 200
    assert cancelled.json()["is_cancelled"] is True
    assert FollowUp.objects.get(pk=visit.pk).sequence == 2


def test_a_reminder_read_before_a_move_or_cancel_is_not_sent_for_the_old_row(cm, visit, worker, monkeypatch):
    """Two workers: one reads the due follow-up, the other's change commits before the first marks it."""
    from sinergi.cases.services import plan as plan_services

    stale = FollowUp.objects.get(pk=visit.pk)  # what the reminder loop read
    s.follow_up_reschedule(actor=cm, follow_up=visit, starts_at=visit.starts_at + dt.timedelta(hours=1))

    class _Stale:
        def __init__(self, rows):
            self.rows = rows

        def exclude(self, **kwargs):
            return self

        def select_related(self, *args):
            return self

        def iterator(self, chunk_size=None):
            return iter(self.rows)

    real_filter = FollowUp.objects.filter
    calls = {"n": 0}

    def fake_filter(*args, **kwargs):
        calls["n"] += 1
        return _Stale([stale]) if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(plan_services.FollowUp.objects, "filter", fake_filter)
    assert s.follow_up_reminders_send() == 0  # the old reading is not reminded ...
    monkeypatch.undo()
    assert s.follow_up_reminders_send() == 1  # ... the next run reminds the new time
    assert FollowUp.objects.get(pk=visit.pk).reminded_at is not None


def test_an_owner_whose_access_ended_is_neither_reminded_nor_told(cm, planned, dinsos, dinsos_officer, worker):
    referral = make_referral(cm, planned, dinsos)
    follow_up = s.follow_up_schedule(
        actor=cm,
        case=planned,
        kind="monitoring",
        starts_at=timezone.now() + dt.timedelta(hours=3),
        owner=dinsos_officer,
    )
    s.referral_cancel(actor=cm, referral=referral, reason="Salah lembaga")
    s.follow_up_reschedule(actor=cm, follow_up=follow_up, starts_at=follow_up.starts_at, owner=worker)
    assert not Notification.objects.filter(recipient=dinsos_officer, kind="follow_up_changed").exists()
    assert Notification.objects.filter(recipient=worker, kind="follow_up_changed").count() == 1
    other = s.follow_up_schedule(
        actor=cm, case=planned, kind="monitoring", starts_at=timezone.now() + dt.timedelta(hours=4), owner=worker
    )
    FollowUp.objects.filter(pk=other.pk).update(owner=dinsos_officer)  # an owner from before access ended
    s.follow_up_reminders_send()
    assert not Notification.objects.filter(recipient=dinsos_officer).filter(kind="follow_up_reminder").exists()


def test_the_cancel_reason_is_stored_encrypted(cm, visit):
    from django.db import connection

    s.follow_up_cancel(actor=cm, follow_up=visit, reason="Anak dirawat di RS Umum")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cancel_reason FROM cases_followup WHERE id = %s",
            [visit.pk.hex if connection.vendor == "sqlite" else visit.pk],
        )
        stored = cursor.fetchone()[0]
    assert "dirawat" not in stored
    assert FollowUp.objects.get(pk=visit.pk).cancel_reason == "Anak dirawat di RS Umum"


def test_the_forms_of_a_cancelled_follow_up_do_not_open(cm, planned, visit, client_for):
    """A cancelled follow-up has left the case page: its move and cancel URLs are a 404, not a form (nor,
    through htmx, a server error for a follow-up missing from the plan)."""
    s.follow_up_cancel(actor=cm, follow_up=visit, reason="Keluarga pindah sementara")
    client = client_for(cm)
    for name in ("cases:follow_up_reschedule", "cases:follow_up_cancel"):
        url = reverse(name, args=[planned.pk, visit.pk])
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
        assert client.get(url).status_code == 404
