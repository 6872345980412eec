"""Notification e-mails are delivered at least once, marked per message, never twice in the normal path.

The send and re-send steps are driven explicitly, with a mail backend that fails (or "kills the worker")
at a chosen message, and the clock moved past the re-send delay.
"""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from sinergi.notifications import services, tasks
from sinergi.notifications.models import Notification
from sinergi.notifications.tests.backends import FaultyBackend, WorkerKilled
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def faulty_backend(settings):
    settings.EMAIL_BACKEND = "sinergi.notifications.tests.backends.FaultyBackend"
    settings.SINERGI_EMAIL_RETRY_AFTER = 600
    settings.SINERGI_EMAIL_MAX_ATTEMPTS = 3
    FaultyBackend.reset()
    yield FaultyBackend
    FaultyBackend.reset()


@pytest.fixture
def ten(make_user) -> list[Notification]:
    created_at = timezone.now()
    return [NotificationFactory(recipient=make_user(), created_at=created_at) for _ in range(10)]


def _deliveries() -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in mail.outbox:
        counts[message.to[0]] = counts.get(message.to[0], 0) + 1
    return counts


def _later(minutes: int):
    return freeze_time(timezone.now() + timedelta(minutes=minutes), tick=True)


def _ids(rows) -> list[str]:
    return [str(n.pk) for n in rows]


def test_the_normal_path_sends_each_once_over_one_connection(ten):
    assert services.notification_send_emails(notification_ids=_ids(ten)) == 10
    assert FaultyBackend.opened == 1
    assert sorted(_deliveries().values()) == [1] * 10
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Neither the periodic re-send nor a repeated task e-mails anyone again.
    with _later(60):
        assert services.notification_resend_emails() == 0
    assert services.notification_send_emails(notification_ids=_ids(ten)) == 0
    assert len(mail.outbox) == 10


def test_a_worker_killed_mid_batch_loses_no_email_and_marks_each_sent_one(ten):
    FaultyBackend.fail_at, FaultyBackend.failure, FaultyBackend.deliver_then_fail = 4, WorkerKilled(), True
    with pytest.raises(WorkerKilled):
        services.notification_send_emails(notification_ids=_ids(ten))
    assert len(mail.outbox) == 4
    # Marked exactly as far as delivered, message by message (not "all or nothing" per batch).
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3
    FaultyBackend.fail_at = None

    # Right away the re-send leaves the rows alone: the normal path might still be working on them.
    assert services.notification_resend_emails() == 0
    with _later(11):
        assert services.notification_resend_emails() == 7
    deliveries = _deliveries()
    assert set(deliveries) == {n.recipient.email for n in ten}  # nobody lost
    assert sorted(deliveries.values()) == [1] * 9 + [2]  # at least once: only the one in flight twice
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_smtp_failure_is_recorded_and_retried_later(ten):
    FaultyBackend.fail_at, FaultyBackend.failure = 3, smtplib.SMTPServerDisconnected("gone")
    assert services.notification_send_emails(notification_ids=_ids(ten)) == 2
    failed = Notification.objects.get(email_error="SMTPServerDisconnected")
    assert failed.email_attempts == 1
    assert failed.emailed_at is None
    assert failed.email_given_up_at is None
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 8

    with _later(11):
        assert services.notification_resend_emails() == 8
    assert sorted(_deliveries().values()) == [1] * 10
    failed.refresh_from_db()
    assert failed.emailed_at is not None
    assert failed.email_error == ""


def test_a_refused_address_does_not_stop_the_others(ten):
    FaultyBackend.fail_at, FaultyBackend.failure = 2, smtplib.SMTPRecipientsRefused({})
    assert services.notification_send_emails(notification_ids=_ids(ten)) == 9
    assert Notification.objects.get(emailed_at__isnull=True).email_error == "SMTPRecipientsRefused"


def test_it_gives_up_after_the_last_attempt_and_records_it(make_user, caplog):
    notification = NotificationFactory(recipient=make_user())
    FaultyBackend.fail_always, FaultyBackend.failure = True, smtplib.SMTPDataError(554, "rejected")
    services.notification_send_emails(notification_ids=_ids([notification]))
    for step in range(1, 6):
        with _later(11 * step):
            services.notification_resend_emails()
    notification.refresh_from_db()
    assert notification.email_attempts == 3  # SINERGI_EMAIL_MAX_ATTEMPTS
    assert notification.email_given_up_at is not None
    assert notification.email_error == "SMTPDataError"
    assert FaultyBackend.handed == 3
    assert "given up" in caplog.text


def test_a_claim_abandoned_by_a_dead_worker_is_used_up_then_given_up(make_user):
    notification = NotificationFactory(recipient=make_user())
    Notification.objects.filter(pk=notification.pk).update(email_attempts=3, email_attempted_at=timezone.now())
    with _later(11):
        assert services.notification_resend_emails() == 0
    notification.refresh_from_db()
    assert notification.email_given_up_at is not None
    assert notification.email_error == "too_many_attempts"
    assert mail.outbox == []


def test_a_row_claimed_by_another_worker_is_not_sent_again(ten):
    first = ten[0]
    # Another worker claimed it a moment ago and is sending it now.
    assert services._email_claim(notification_id=first.pk, now=timezone.now())
    assert not services._email_claim(notification_id=first.pk, now=timezone.now())
    assert services.notification_send_emails(notification_ids=_ids(ten)) == 9
    with _later(5):
        assert services.notification_resend_emails() == 0  # its claim is still fresh
    assert first.recipient.email not in _deliveries()


def test_notifications_without_email_are_never_swept(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[make_user()], kind="info", title="Halo", email=False)
        services.notify(recipients=[make_user(email="")], kind="info", title="Halo")
    with _later(60):
        assert services.notification_resend_emails() == 0
    assert mail.outbox == []


def test_an_inactive_recipient_is_given_up_not_retried(make_user):
    user = make_user()
    notification = NotificationFactory(recipient=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert services.notification_send_emails(notification_ids=_ids([notification])) == 0
    notification.refresh_from_db()
    assert notification.email_given_up_at is not None
    with _later(60):
        assert services.notification_resend_emails() == 0
    assert mail.outbox == []


def test_the_worker_runs_the_resend_every_five_minutes(make_user):
    periodic = tasks.resend_notification_emails.task_class()
    assert periodic.validate_datetime(timezone.now().replace(minute=5))
    assert not periodic.validate_datetime(timezone.now().replace(minute=7))
    NotificationFactory(recipient=make_user(), created_at=timezone.now() - timedelta(minutes=30))
    assert tasks.resend_notification_emails.call_local() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_never_send_the_same_notification(make_user):
    """Two senders (threads, each with its own database connection) get every pending row; no row twice."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    rows = [NotificationFactory(recipient=make_user()) for _ in range(40)]
    ids = _ids(rows)
    barrier = threading.Barrier(2)
    claimed: dict[str, list[str]] = {}

    def sender(name: str) -> None:
        try:
            barrier.wait()
            now = timezone.now()
            claimed[name] = [pk for pk in ids if services._email_claim(notification_id=pk, now=now)]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed["a"] + claimed["b"]) == sorted(ids)
    assert not set(claimed["a"]) & set(claimed["b"])
