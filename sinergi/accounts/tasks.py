from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import lockout


@db_periodic_task(crontab(minute="*/30"))
def login_throttle_purge() -> None:
    lockout.login_throttle_purge()
