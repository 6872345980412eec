"""Background jobs with progress and an encrypted, expiring result file.

`parameters` hold what the job is about (a period, a format), NEVER identity data: they are shown on
the job page and kept after the result expires. `error` is a short text safe to show to the requester;
the exception itself goes to the log only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.SlugField(max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    # Worker runs so far; the stale-job sweep re-queues a job left "running" until SINERGI_JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Last sign of life: set when queued, claimed and at every progress write.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    # Random name of the encrypted result under SINERGI_PRIVATE_STORAGE/jobs/; empty once purged.
    result_blob = models.CharField(max_length=64, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="jobs_job_requester_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="jobs_job_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="jobs_job_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.purged_at is not None or (self.expires_at is not None and self.expires_at <= now)

    @property
    def has_result(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_blob) and not self.is_expired()
