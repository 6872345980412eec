from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import mailer, services


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


# Mail to addresses that are not users: claimed and marked per delivery (sinergi.notifications.mailer).
@db_task()
def send_mail_message(message_id: str) -> int:
    return mailer.mail_deliver(message_id=message_id)


@db_periodic_task(crontab(minute="*/5"))
def retry_mail_deliveries() -> int:
    return mailer.mail_retry_pending()
