from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


# No huey retries: SMTP failures are recorded per row and retried by the periodic re-send.
@db_task()
def send_notification_emails(ids: list[str]) -> int:
    return services.notification_send_emails(notification_ids=ids)


@db_periodic_task(crontab(minute="*/5"))
def resend_notification_emails() -> int:
    return services.notification_resend_emails()


# Every quarter of an hour: each recipient's summary leaves in their own tenant's morning (WIB/WITA/WIT).
@db_periodic_task(crontab(minute="*/15"))
def send_notification_digests() -> int:
    return services.notification_send_digests()
