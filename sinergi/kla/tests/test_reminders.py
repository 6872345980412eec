"""Deadline reminders and escalations from the worker: once per OPD and stage, whatever the reruns."""

import datetime as dt

import pytest

from sinergi.kla.models import DeadlineKind, DeadlineNotice
from sinergi.kla.services import workspace as s
from sinergi.kla.services.reminders import deadline_notices_send
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 1, 20, 2, 0, tzinfo=dt.UTC)


def test_reminder_then_escalation_once_per_opd_and_stage(kla):
    s.deadline_set(actor=kla.secretariat, year=kla.year, kind=DeadlineKind.COLLECTION, due_on=dt.date(2026, 1, 31))
    assert deadline_notices_send(now=NOW) == {"reminder": 2, "escalation": 0}
    assert deadline_notices_send(now=NOW) == {"reminder": 0, "escalation": 0}  # a rerun after a killed worker
    assert Notification.objects.filter(recipient=kla.dinsos_officer, kind="kla_deadline_reminder").count() == 1
    later = NOW + dt.timedelta(days=12)
    assert deadline_notices_send(now=later) == {"reminder": 0, "escalation": 2}
    assert deadline_notices_send(now=later) == {"reminder": 0, "escalation": 0}
    assert Notification.objects.filter(recipient=kla.secretariat, kind="kla_deadline_escalation").count() == 2
    assert DeadlineNotice.objects.count() == 4


def test_no_notice_far_from_the_deadline(kla):
    s.deadline_set(actor=kla.secretariat, year=kla.year, kind=DeadlineKind.SUBMISSION, due_on=dt.date(2026, 6, 30))
    assert deadline_notices_send(now=NOW) == {"reminder": 0, "escalation": 0}
