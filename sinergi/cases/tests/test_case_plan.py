"""The case plan: goals, tasks with an owner, follow-ups with reminders, the timeline and the ICS feed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from sinergi.accounts.roles import Role
from sinergi.cases import plan_selectors
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import FollowUp, PlanTask, TimelineEntry
from sinergi.notifications.models import Notification
from sinergi.taskforces import services as tf_services

from .factories import make_case, make_referral

pytestmark = pytest.mark.django_db

API = "/api/v1/cases/"


def test_the_plan_starts_at_the_intervention_plan_stage(cm, tenant):
    case = make_case(cm, tenant)
    with pytest.raises(ValidationError):
        s.plan_goal_add(actor=cm, case=case, text="Anak kembali bersekolah")
    assert not case.plan_goals.exists()


def test_a_task_has_exactly_one_owner_of_this_tenant(cm, planned, dinsos, make_user, other_tenant):
    due = dt.date.today() + dt.timedelta(days=7)
    with pytest.raises(ValidationError):
        s.plan_task_add(actor=cm, case=planned, title="Asesmen", due_on=due)
    with pytest.raises(ValidationError):
        s.plan_task_add(actor=cm, case=planned, title="Asesmen", due_on=due, owner_agency=dinsos, owner_user=cm)
    stranger = make_user(tenant=other_tenant)
    with pytest.raises(ValidationError):
        s.plan_task_add(actor=cm, case=planned, title="Asesmen", due_on=due, owner_user=stranger)
    with pytest.raises(ValidationError):
        s.plan_task_add(
            actor=cm, case=planned, title="Asesmen", due_on=dt.date.today() - dt.timedelta(days=1), owner_user=cm
        )
    assert not PlanTask.objects.exists()


def test_open_plan_tasks_lists_only_open_and_in_progress_tasks(cm, planned, dinsos):
    due = dt.date.today() + dt.timedelta(days=7)
    goal = s.plan_goal_add(actor=cm, case=planned, text="Anak aman di rumah")
    first = s.plan_task_add(actor=cm, case=planned, title="Kunjungan", due_on=due, owner_user=cm, goal=goal)
    second = s.plan_task_add(actor=cm, case=planned, title="Rehabilitasi", due_on=due, owner_agency=dinsos)
    third = s.plan_task_add(actor=cm, case=planned, title="Konseling", due_on=due, owner_user=cm)
    s.plan_task_set_status(actor=cm, task=second, status=t.PlanTaskStatus.IN_PROGRESS)
    s.plan_task_set_status(actor=cm, task=third, status=t.PlanTaskStatus.DONE)
    assert list(plan_selectors.open_plan_tasks(case=planned)) == [first, second]
    kinds = list(
        TimelineEntry.objects.filter(case=planned, kind=TimelineEntry.Kind.PLAN).values_list("summary", flat=True)
    )
    assert len(kinds) == 6  # goal, three tasks, two status changes


def test_a_reminder_goes_once_to_the_owner_of_a_follow_up(cm, planned, make_user):
    worker = make_user(Role.OFFICE_HEAD)
    soon = timezone.now() + dt.timedelta(hours=5)
    later = timezone.now() + dt.timedelta(days=5)
    s.follow_up_schedule(actor=cm, case=planned, kind=t.FollowUpKind.HOME_VISIT, starts_at=soon, owner=worker)
    s.follow_up_schedule(actor=cm, case=planned, kind=t.FollowUpKind.COURT_HEARING, starts_at=later, owner=worker)
    assert s.follow_up_reminders_send() == 1
    assert s.follow_up_reminders_send() == 0  # a second run (or a second worker) sends nothing more
    reminders = Notification.objects.filter(recipient=worker, kind="follow_up_reminder")
    assert reminders.count() == 1
    assert planned.number in reminders.get().title
    assert FollowUp.objects.filter(reminded_at__isnull=False).count() == 1
    # The follow-up is on the case timeline.
    assert TimelineEntry.objects.filter(case=planned, kind=TimelineEntry.Kind.FOLLOW_UP).count() == 2


def test_an_owner_who_cannot_open_the_case_is_refused_a_referred_agency_officer_is_not(
    cm, planned, make_user, dinsos, dinsos_officer, disdik_officer
):
    soon = timezone.now() + dt.timedelta(days=1)
    colleague = make_user(Role.CASE_MANAGER)  # the case is assigned to cm, not to this colleague
    planned.assigned_to = cm
    planned.save(update_fields=["assigned_to"])
    for stranger in (colleague, disdik_officer, make_user(Role.ANALYST)):
        with pytest.raises(ValidationError):
            s.follow_up_schedule(actor=cm, case=planned, kind="monitoring", starts_at=soon, owner=stranger)
        with pytest.raises(ValidationError):
            s.plan_task_add(actor=cm, case=planned, title="Asesmen", due_on=soon.date(), owner_user=stranger)
    make_referral(cm, planned, dinsos)
    s.follow_up_schedule(actor=cm, case=planned, kind="monitoring", starts_at=soon, owner=dinsos_officer)
    assert FollowUp.objects.get().owner == dinsos_officer


def test_a_follow_up_in_the_past_is_refused(cm, planned):
    with pytest.raises(ValidationError):
        s.follow_up_schedule(
            actor=cm, case=planned, kind="monitoring", starts_at=timezone.now() - dt.timedelta(hours=1), owner=cm
        )


def test_the_owners_ics_feed_has_the_follow_up_in_the_tenants_zone_and_no_identity(cm, planned, head, tenant):
    tenant.timezone = "Asia/Makassar"
    tenant.save()
    starts = timezone.now() + dt.timedelta(days=2)
    s.follow_up_schedule(actor=cm, case=planned, kind="home_visit", starts_at=starts, owner=cm, note="Bertemu ibu")
    s.plan_task_add(actor=cm, case=planned, title="Asesmen lanjutan", due_on=starts.date(), owner_user=cm)
    token = tf_services.calendar_feed_create(actor=cm)
    body = Client().get(reverse("taskforces:calendar_feed", args=[token])).content
    events = [c for c in Calendar.from_ical(body).walk("VEVENT")]
    summaries = [str(e["summary"]) for e in events]
    assert f"Home visit · {planned.number}" in summaries or f"Kunjungan rumah · {planned.number}" in summaries
    assert any(planned.number in x and "rencana" in x for x in summaries)
    follow_up = next(e for e in events if str(e["uid"]).startswith("follow-up-"))
    assert str(follow_up["dtstart"].dt.tzinfo) == "Asia/Makassar"
    text = body.decode()
    for secret in ("Bertemu ibu", "Asesmen lanjutan", planned.people.filter(role="victim").first().full_name):
        assert secret not in text
    # Another user's feed does not carry it.
    other = tf_services.calendar_feed_create(actor=head)
    assert planned.number not in Client().get(reverse("taskforces:calendar_feed", args=[other])).content.decode()


def test_html_forms_add_a_task_and_a_follow_up(cm, planned, client_for, dinsos):
    client = client_for(cm)
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    assert 'id="case-plan"' in page
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("cases:plan_task_add", args=[planned.pk]),
        {"task-title": "Pendampingan ke sekolah", "task-owner_agency": dinsos.pk, "task-due_on": due},
    )
    assert response.status_code == 302
    task = PlanTask.objects.get()
    assert task.owner_agency == dinsos
    bad = client.post(reverse("cases:plan_task_add", args=[planned.pk]), {"task-title": "X", "task-due_on": due})
    assert bad.status_code == 400
    assert 'id="id_task-owner_agency_error"' in bad.content.decode()
    starts = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:follow_up_schedule", args=[planned.pk]),
        {"follow_up-kind": "counselling", "follow_up-starts_at": starts, "follow_up-owner": cm.pk},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().owner == cm
    done = client.post(reverse("cases:plan_task_status", args=[planned.pk, task.pk]), {"status": "done"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"


def test_the_api_covers_the_plan_and_agencies_and_outsiders_get_404(
    cm, planned, client_for, dinsos, dinsos_officer, outsider_head
):
    make_referral(cm, planned, dinsos)
    client = client_for(cm)
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    goal = client.post(f"{API}{planned.pk}/plan/goals/", {"text": "Pulih"}, content_type="application/json")
    assert goal.status_code == 201
    task = client.post(
        f"{API}{planned.pk}/plan/tasks/",
        {"title": "Konseling", "due_on": due, "owner_user": str(cm.pk), "goal": goal.json()["id"]},
        content_type="application/json",
    )
    assert task.status_code == 201
    both = client.post(
        f"{API}{planned.pk}/plan/tasks/",
        {"title": "X", "due_on": due, "owner_user": str(cm.pk), "owner_agency": str(dinsos.pk)},
        content_type="application/json",
    )
    assert both.status_code == 400
    patched = client.patch(
        f"{API}{planned.pk}/plan/tasks/{task.json()['id']}/", {"status": "in_progress"}, content_type="application/json"
    )
    assert patched.json()["status"] == "in_progress"
    starts = (timezone.now() + dt.timedelta(days=1)).isoformat()
    follow = client.post(
        f"{API}{planned.pk}/follow-ups/",
        {"kind": "court_hearing", "starts_at": starts, "owner": str(cm.pk)},
        content_type="application/json",
    )
    assert follow.status_code == 201
    plan = client.get(f"{API}{planned.pk}/plan/").json()
    assert (len(plan["goals"]), len(plan["tasks"]), len(plan["follow_ups"])) == (1, 1, 1)
    # The referred agency sees its referral, but the plan is case-team data: 404, like an outsider.
    for user in (dinsos_officer, outsider_head):
        assert client_for(user).get(f"{API}{planned.pk}/plan/").status_code == 404
        response = client_for(user).post(reverse("cases:plan_goal_add", args=[planned.pk]), {"goal-text": "X"})
        assert response.status_code == 404


def test_closing_lists_the_open_plan_tasks_and_the_summary_shows_the_next_follow_up(cm, planned, client_for):
    due = dt.date.today() + dt.timedelta(days=7)
    s.plan_task_add(actor=cm, case=planned, title="Kunjungan rumah pertama", due_on=due, owner_user=cm)
    done = s.plan_task_add(actor=cm, case=planned, title="Konseling selesai", due_on=due, owner_user=cm)
    s.plan_task_set_status(actor=cm, task=done, status=t.PlanTaskStatus.DONE)
    s.follow_up_schedule(
        actor=cm,
        case=planned,
        kind=t.FollowUpKind.choices[0][0],
        starts_at=timezone.now() + dt.timedelta(days=3),
        owner=cm,
    )
    client = client_for(cm)
    response = client.get(reverse("cases:case_close", args=[planned.pk]))
    assert response.status_code == 200, response
    close = response.content.decode().split('id="closure-open-items"', 1)[1].split("</form>", 1)[0]
    assert "Kunjungan rumah pertama" in close
    assert "Konseling selesai" not in close
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    assert "Next follow-up" in page or "Tindak lanjut berikutnya" in page


def test_the_plan_forms_are_links_until_opened_and_keep_the_permission(
    cm, planned, client_for, dinsos, dinsos_officer, outsider_head, make_user, tenant
):
    client = client_for(cm)
    page = client.get(reverse("cases:detail", args=[planned.pk])).content.decode()
    task_url = reverse("cases:plan_task_add", args=[planned.pk])
    assert f'href="{task_url}#slot-plan-task"' in page
    assert f'hx-get="{task_url}"' in page
    # Not rendered until opened: the task form lists every agency and user of the tenant.
    assert 'name="task-owner_agency"' not in page
    assert 'name="follow_up-owner"' not in page
    fragment = client.get(task_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert 'name="task-owner_agency"' in body
    assert dinsos.name in body
    assert "<h1" not in body
    assert body.count("<form") == 1
    full = client.get(reverse("cases:follow_up_schedule", args=[planned.pk])).content.decode()
    assert "<h1" in full
    assert 'name="follow_up-owner"' in full
    assert 'name="task-owner_agency"' not in full
    # A referred agency and an outsider: 404; the case team outside the plan stages: 403.
    make_referral(cm, planned, dinsos)
    for user in (dinsos_officer, outsider_head):
        assert client_for(user).get(task_url).status_code == 404
    early = make_case(cm, tenant)
    assert client.get(reverse("cases:plan_goal_add", args=[early.pk])).status_code == 403
