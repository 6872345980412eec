"""Worker jobs of the task forces: one-line calls into services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(minute="15"))
@lock_task("taskforces-agreements-remind")
def remind_agreements() -> dict:
    """Hourly: each tenant's reminders fall on its own date; each is sent once per due date."""
    return services.agreements_remind()
