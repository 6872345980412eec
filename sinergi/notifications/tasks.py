from huey.contrib.djhuey import db_task

from . import services


@db_task(retries=3, retry_delay=60)
def send_notification_emails(ids: list[str]) -> int:
    return services.notification_send_emails(notification_ids=ids)
