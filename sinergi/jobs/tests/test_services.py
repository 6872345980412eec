"""The job runner: progress, notification, at-least-once delivery, retries of killed workers, purge."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.jobs import services, storage, tasks
from sinergi.jobs.kinds import JobError
from sinergi.jobs.models import Job
from sinergi.notifications.models import Notification

from .conftest import CONTENT

pytestmark = pytest.mark.django_db


def _result(job: Job) -> bytes:
    return b"".join(storage.read_decrypted(job.result_blob))


def test_a_job_runs_with_progress_to_100_and_notifies_the_requester(behaviour, head, start):
    job = start(head, params={"size": 3})
    assert behaviour.seen_progress == [25, 50, 75]  # each report reached the database while it ran
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.parameters == {"size": 3}
    assert job.result_name == "laporan-uji.txt"
    assert job.result_size == len(CONTENT)
    assert _result(job) == CONTENT
    assert job.expires_at == job.finished_at + dt.timedelta(hours=24)
    notification = Notification.objects.get()
    assert notification.recipient == head
    assert notification.kind == "job_done"
    assert notification.url == reverse("jobs:detail", kwargs={"pk": job.pk})
    assert AuditEvent.objects.filter(action="job.started", actor=head, object_id=str(job.pk)).exists()


def test_progress_writes_are_throttled(behaviour, head, start, settings):
    settings.SINERGI_JOB_PROGRESS_INTERVAL = 3600
    behaviour.steps = list(range(1, 99))
    start(head)
    # Only the first of 98 reports within the interval is written.
    assert set(behaviour.seen_progress) == {1}


def test_the_result_is_encrypted_at_rest(behaviour, head, start, settings):
    job = start(head)
    path = storage.blob_path(job.result_blob)
    assert path.is_relative_to(settings.SINERGI_PRIVATE_STORAGE)
    raw = path.read_bytes()
    assert b"Laporan" not in raw
    assert len(raw) > len(CONTENT)


def test_running_the_task_twice_gives_one_result_and_one_notification(behaviour, head, start):
    job = start(head)
    tasks.run_job(str(job.pk))  # a re-sent queue message
    assert services.job_run(job_id=job.pk) is None
    assert behaviour.runs == 1
    assert len(list(storage.blob_files())) == 1
    assert Notification.objects.count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


def _kill_worker(job: Job, *, minutes_ago: int = 60, attempts: int = 1) -> None:
    """What a worker killed mid-run leaves behind: the job claimed, running, silent since then."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        attempts=attempts,
        progress=40,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_a_killed_workers_job_is_retried_once_and_finishes(behaviour, head, start, django_capture_on_commit_callbacks):
    job = start(head, run=False)
    _kill_worker(job)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep_stale() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert behaviour.runs == 1
    assert _result(job) == CONTENT
    assert Notification.objects.filter(kind="job_done").count() == 1
    # Done jobs are left alone by later sweeps.
    assert services.jobs_sweep_stale(now=timezone.now() + dt.timedelta(days=1)) == {"requeued": 0, "failed": 0}


def test_a_job_still_reporting_is_not_retried(behaviour, head, start):
    job = start(head, run=False)
    _kill_worker(job, minutes_ago=1)
    assert services.jobs_sweep_stale() == {"requeued": 0, "failed": 0}
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_lost_queue_message_is_sent_again(behaviour, head, start, django_capture_on_commit_callbacks):
    job = start(head, run=False)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.jobs_sweep_stale()
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_a_job_interrupted_max_attempts_times_fails(behaviour, head, start, settings):
    job = start(head, run=False)
    _kill_worker(job, attempts=settings.SINERGI_JOB_MAX_ATTEMPTS)
    assert services.jobs_sweep_stale() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(services.ERR_INTERRUPTED)
    assert Notification.objects.get().kind == "job_failed"


def test_a_run_that_lost_its_claim_stops_and_keeps_no_file(behaviour, head, start):
    def sweep_took_it_over(job):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)

    behaviour.during_run = sweep_took_it_over
    job = start(head)
    assert job.status == Job.Status.QUEUED  # for the next run to pick up
    assert list(storage.blob_files()) == []
    assert not Notification.objects.exists()


def test_a_failure_keeps_the_message_safe(behaviour, head, start):
    behaviour.fail_with = RuntimeError("NIK 6402015103150002 could not be read")
    job = start(head)
    assert job.status == Job.Status.FAILED
    assert job.error == str(services.ERR_FAILED)
    assert "6402" not in job.error
    assert list(storage.blob_files()) == []
    assert Notification.objects.get().kind == "job_failed"


def test_a_job_error_message_is_shown(behaviour, head, start):
    behaviour.fail_with = JobError("Tidak ada data pada periode ini.")
    assert start(head).error == "Tidak ada data pada periode ini."


def test_starting_needs_the_kinds_permission(behaviour, make_user, start):
    with pytest.raises(PermissionDenied):
        start(make_user(Role.SATGAS_VOLUNTEER))
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="job.started").exists()


def test_an_unknown_kind_is_refused(head, start):
    with pytest.raises(ValidationError):
        start(head, kind="no_such_kind")


def test_the_permission_is_checked_again_in_the_worker(behaviour, head, start, django_capture_on_commit_callbacks):
    job = start(head, run=False)
    head.role = Role.SATGAS_VOLUNTEER
    head.save(update_fields=["role"])
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(services.ERR_NOT_ALLOWED)
    assert behaviour.runs == 0


def test_expired_results_are_purged(behaviour, head, start):
    job = start(head)
    kept = start(head)
    path = storage.blob_path(job.result_blob)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.job_results_purge() == {"purged": 1, "orphans": 0}
    job.refresh_from_db()
    assert not path.exists()
    assert job.purged_at is not None
    assert job.result_blob == ""
    assert job.status == Job.Status.DONE
    assert not job.has_result
    assert _result(Job.objects.get(pk=kept.pk)) == CONTENT
    with pytest.raises(services.ResultExpired):
        services.job_result_open(actor=head, job=job)


def test_files_no_job_refers_to_are_purged_after_a_grace_period(behaviour, head, start, tmp_path):
    source = tmp_path / "left-behind"
    source.write_bytes(b"x")
    orphan, _size = storage.store_encrypted(source)
    assert services.job_results_purge() == {"purged": 0, "orphans": 0}
    with freeze_time(timezone.now() + dt.timedelta(hours=25)):
        assert services.job_results_purge() == {"purged": 0, "orphans": 1}
    assert not storage.blob_path(orphan).exists()


def test_a_user_cannot_fill_the_queue(behaviour, head, start, settings):
    for _ in range(settings.SINERGI_JOB_MAX_ACTIVE_PER_USER):
        start(head, run=False)
    with pytest.raises(ValidationError) as refused:
        start(head, run=False)
    assert refused.value.code == "too_many_jobs"
    assert Job.objects.count() == settings.SINERGI_JOB_MAX_ACTIVE_PER_USER
    Job.objects.filter(requested_by=head).update(status=Job.Status.DONE)
    assert start(head).status == Job.Status.DONE  # finished jobs do not count


def test_the_sweep_does_not_fail_a_job_whose_worker_just_reported(behaviour, head, start, settings):
    job = start(head, run=False)
    _kill_worker(job, attempts=settings.SINERGI_JOB_MAX_ATTEMPTS)
    stale = Job.objects.get(pk=job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())  # the worker reports meanwhile
    cutoff = timezone.now() - dt.timedelta(seconds=settings.SINERGI_JOB_STALE_AFTER)
    assert not services._fail(stale, attempt=stale.attempts, error="x", silent_before=cutoff)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_missing_result_file_reads_as_expired(behaviour, head, start):
    job = start(head)
    storage.blob_path(job.result_blob).unlink()
    with pytest.raises(services.ResultExpired):
        services.job_result_open(actor=head, job=job)
    assert not AuditEvent.objects.filter(action="job.result_downloaded").exists()
