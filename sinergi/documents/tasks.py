from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="3", minute="20"))
def document_blobs_purge() -> None:
    services.document_blobs_purge()
