from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue() -> None:
    services.escalate_overdue()


@db_periodic_task(crontab(minute="*/10"))
def remind_follow_ups() -> None:
    services.follow_up_reminders_send()


@db_periodic_task(crontab(hour="2", minute="30"))
def purge_stale_intake_drafts() -> None:
    services.intake_drafts_purge()
