from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import lockout, services


@db_periodic_task(crontab(minute="*/30"))
def login_throttle_purge() -> None:
    lockout.login_throttle_purge()


# A failed send is retried by huey; a link sent twice is harmless (the first one used ends both).
@db_task(retries=3, retry_delay=60)
def send_password_link(user_id: str, purpose: str) -> bool:
    return services.password_link_send(user_id=user_id, purpose=purpose)
