from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .services.reminders import deadline_notices_send


@db_periodic_task(crontab(minute="40", hour="*/3"))
@lock_task("kla-deadline-notices")
def kla_deadline_notices() -> None:
    deadline_notices_send()
