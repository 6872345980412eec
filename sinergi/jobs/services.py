"""Starting, running, sweeping and purging background jobs, and serving their results.

Delivery is at least once: the huey task may run twice (a re-sent message, the stale sweep), so every
state change is a conditional UPDATE on (status, attempts). Only the run that claimed the job moves it
on; a second run of a job that is already running or done does nothing, and a worker whose claim was
taken over by the sweep stops at its next progress report and throws its file away.
"""

import datetime as dt
import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.notifications.services import notify

from . import kinds, storage
from .models import Job
from .notification_kinds import JOB_DONE, JOB_FAILED

logger = logging.getLogger(__name__)

ERR_UNKNOWN_KIND = _("This kind of job does not exist.")
ERR_PARAMETERS = _("The job's parameters are too large or not valid.")
ERR_FAILED = _("The job failed. Please start it again; if it fails again, tell the system administrator.")
ERR_NOT_ALLOWED = _("You are no longer allowed to run this job.")
ERR_INTERRUPTED = _("The job was interrupted too many times and was stopped.")
ERR_TOO_MANY = _("You already have jobs waiting or running. Start this one when one of them has finished.")
MAX_PARAMETERS_BYTES = 2048

STARTED_ACTION = "job.started"
DOWNLOADED_ACTION = "job.result_downloaded"


class _ClaimLost(Exception):
    """Another run took the job over (the stale sweep re-queued it): stop without writing."""


def _enqueue(job_id: Any) -> None:
    from . import tasks

    job_id = str(job_id)
    transaction.on_commit(lambda: tasks.run_job(job_id))


def job_start(*, actor: User, kind: str, params: dict) -> Job:
    """Check the kind's permission and parameters (as its synchronous path would), record, enqueue."""
    try:
        job_kind = kinds.get(kind)
    except KeyError:
        raise ValidationError(ERR_UNKNOWN_KIND, code="unknown_kind") from None
    policy.require(actor, job_kind.permission, job_kind.target(actor, params))
    # Each job takes a worker for a while: a user cannot fill the queue for everyone else.
    active = Job.objects.filter(requested_by=actor, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    if active.count() >= settings.SINERGI_JOB_MAX_ACTIVE_PER_USER:
        raise ValidationError(ERR_TOO_MANY, code="too_many_jobs")
    with transaction.atomic():
        stored = job_kind.prepare(actor=actor, params=params)
        try:
            encoded = json.dumps(stored, sort_keys=True)
        except (TypeError, ValueError):
            raise ValidationError(ERR_PARAMETERS, code="bad_parameters") from None
        if len(encoded) > MAX_PARAMETERS_BYTES:
            raise ValidationError(ERR_PARAMETERS, code="bad_parameters")
        now = timezone.now()
        job = Job.objects.create(
            tenant=actor.tenant,
            requested_by=actor,
            kind=kind,
            parameters=stored,
            created_at=now,
            heartbeat_at=now,
        )
        audit(actor=actor, action=STARTED_ACTION, obj=job, extra={"kind": kind})
        _enqueue(job.pk)
    return job


class _Reporter:
    """The `progress(percent, message)` callback: at most one DB write per interval, and it renews the claim."""

    def __init__(self, job: Job, *, attempt: int) -> None:
        self.job = job
        self.attempt = attempt
        self.interval = dt.timedelta(seconds=settings.SINERGI_JOB_PROGRESS_INTERVAL)
        self.last_write: dt.datetime | None = None

    def __call__(self, percent: float, message: str = "") -> None:
        now = timezone.now()
        percent = max(0, min(99, int(percent)))  # 100 means done, and only the final write says so
        if self.last_write is not None and now - self.last_write < self.interval:
            return
        updated = Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING, attempts=self.attempt).update(
            progress=percent, progress_message=str(message)[:200], heartbeat_at=now
        )
        if not updated:
            raise _ClaimLost
        self.last_write = now


def _claim(job_id: Any) -> Job | None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        progress_message="",
    )
    if not claimed:
        return None
    return Job.objects.select_related("requested_by", "tenant").get(pk=job_id)


def _job_url(job: Job) -> str:
    return reverse("jobs:detail", kwargs={"pk": job.pk})


def _fail(job: Job, *, attempt: int, error: Any, silent_before: dt.datetime | None = None) -> bool:
    """Mark the job failed (only if this run still holds it) and tell the requester."""
    with transaction.atomic():
        qs = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=attempt)
        if silent_before is not None:  # the sweep: not if the worker reported in the meantime
            qs = qs.filter(heartbeat_at__lt=silent_before)
        failed = qs.update(status=Job.Status.FAILED, error=str(error)[:200], finished_at=timezone.now())
        if failed:
            notify(
                recipients=[job.requested_by],
                kind=JOB_FAILED,
                title=gettext("Failed: %(kind)s") % {"kind": kinds.label(job.kind)},
                url=_job_url(job),
            )
    return bool(failed)


def job_run(*, job_id: Any) -> Job | None:
    """Run a queued job once (the worker's task); None when it was not queued (done, running, failed)."""
    job = _claim(job_id)
    if job is None:
        return None
    attempt = job.attempts
    try:
        job_kind = kinds.get(job.kind)
    except KeyError:
        _fail(job, attempt=attempt, error=ERR_UNKNOWN_KIND)
        return job
    # The requester may have lost the permission while the job waited in the queue.
    if not policy.can(job.requested_by, job_kind.permission, job_kind.target(job.requested_by, job.parameters)):
        _fail(job, attempt=attempt, error=ERR_NOT_ALLOWED)
        return job

    workdir = Path(tempfile.mkdtemp(prefix="sinergi-job-"))
    blob_name = ""
    try:
        path = workdir / "result"
        with clock.override_tenant(job.tenant):
            output = job_kind.run(job=job, params=job.parameters, progress=_Reporter(job, attempt=attempt), path=path)
        blob_name, size = storage.store_encrypted(path)
    except _ClaimLost:
        logger.warning("Job %s was taken over by another run; attempt %s stops.", job.pk, attempt)
        return job
    except kinds.JobError as exc:
        _fail(job, attempt=attempt, error=str(exc))
        return job
    except Exception:
        logger.exception("Job %s (%s) failed on attempt %s", job.pk, job.kind, attempt)
        _fail(job, attempt=attempt, error=ERR_FAILED)
        return job
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    now = timezone.now()
    with transaction.atomic():
        done = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=attempt).update(
            status=Job.Status.DONE,
            progress=100,
            progress_message="",
            result_blob=blob_name,
            result_name=output.name[:200],
            result_content_type=output.content_type[:100],
            result_size=size,
            expires_at=now + dt.timedelta(seconds=settings.SINERGI_JOB_RESULT_TTL),
            finished_at=now,
            heartbeat_at=now,
            error="",
        )
        if done:
            notify(
                recipients=[job.requested_by],
                kind=JOB_DONE,
                title=gettext("Ready to download: %(kind)s") % {"kind": kinds.label(job.kind)},
                url=_job_url(job),
            )
    if not done:
        storage.remove(blob_name)
    job.refresh_from_db()
    return job


def jobs_sweep_stale(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Re-queue jobs whose worker went silent (killed, restarted) or whose queue message was lost.

    A job left "running" is retried until it has had SINERGI_JOB_MAX_ATTEMPTS runs, then failed.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SINERGI_JOB_STALE_AFTER)
    counts = {"requeued": 0, "failed": 0}
    stale = Job.objects.filter(
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING], heartbeat_at__lt=cutoff
    ).select_related("requested_by")
    for job in stale:
        if job.status == Job.Status.RUNNING and job.attempts >= settings.SINERGI_JOB_MAX_ATTEMPTS:
            if _fail(job, attempt=job.attempts, error=ERR_INTERRUPTED, silent_before=cutoff):
                counts["failed"] += 1
            continue
        with transaction.atomic():
            requeued = Job.objects.filter(
                pk=job.pk, status=job.status, attempts=job.attempts, heartbeat_at=job.heartbeat_at
            ).update(status=Job.Status.QUEUED, heartbeat_at=now, progress_message="")
            if requeued:
                counts["requeued"] += 1
                _enqueue(job.pk)
    return counts


def job_results_purge(*, now: dt.datetime | None = None, orphan_grace: dt.timedelta = dt.timedelta(hours=24)) -> dict:
    """Delete expired result files (the job stays, marked purged) and files no job refers to."""
    now = now or timezone.now()
    purged = 0
    expired = Job.objects.filter(status=Job.Status.DONE, purged_at__isnull=True, expires_at__lte=now)
    for job_id, blob_name in expired.values_list("pk", "result_blob"):
        if blob_name:
            storage.remove(blob_name)
        purged += Job.objects.filter(pk=job_id, purged_at__isnull=True).update(purged_at=now, result_blob="")
    # Files of runs that lost their claim or died between writing the file and recording it.
    cutoff = (now - orphan_grace).timestamp()
    candidates = [p for p in storage.blob_files() if p.stat().st_mtime < cutoff]
    orphans = 0
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        known = set(Job.objects.filter(result_blob__in=[p.name for p in batch]).values_list("result_blob", flat=True))
        for path in batch:
            if path.name not in known:
                path.unlink(missing_ok=True)
                orphans += 1
    return {"purged": purged, "orphans": orphans}


class ResultExpired(Exception):
    """The result existed but its retention is over (the page says so; the API answers 410)."""


def job_result_open(*, actor: User, job: Job) -> Iterator[bytes]:
    """The decrypted result, chunk by chunk, for its requester; records the download."""
    policy.require_visible(actor, "jobs.view_job", job)
    if job.status != Job.Status.DONE:
        raise PermissionDenied
    if job.is_expired() or not job.result_blob:
        raise ResultExpired
    chunks = storage.read_decrypted(job.result_blob)
    try:
        first = next(chunks)  # fail before the response starts if the file is missing or unreadable
    except FileNotFoundError:
        logger.error("The result file of job %s is missing.", job.pk)
        raise ResultExpired from None
    audit(actor=actor, action=DOWNLOADED_ACTION, obj=job, extra={"kind": job.kind, "size": job.result_size})

    def stream() -> Iterator[bytes]:
        yield first
        yield from chunks

    return stream()
