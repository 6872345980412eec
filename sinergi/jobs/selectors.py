"""Reads of jobs: each user sees only the jobs they started."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from sinergi.accounts.models import User
from sinergi.core import policy

from .models import Job


def job_list_for_user(*, user: User) -> QuerySet[Job]:
    return Job.objects.filter(requested_by=user, tenant_id=user.tenant_id).order_by("-created_at")


def job_get_for_user(*, user: User, pk: Any) -> Job:
    """The user's own job; 404 for anyone else, the same as for a job that does not exist."""
    job = get_object_or_404(job_list_for_user(user=user), pk=pk)
    policy.require_visible(user, "jobs.view_job", job)
    return job
