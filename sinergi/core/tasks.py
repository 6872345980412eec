from huey import crontab
from huey.contrib.djhuey import close_db, db_periodic_task, on_startup

from . import services


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    services.worker_heartbeat_record()


@on_startup()
@close_db
def worker_started() -> None:
    # Report as soon as the consumer is up, not only at the next minute boundary.
    services.worker_heartbeat_record()


@db_periodic_task(crontab(hour="3", minute="15"))
def database_maintenance() -> None:
    services.database_maintenance()
