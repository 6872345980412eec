from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


# No huey retries: the stale sweep re-queues a job whose worker died, counting its attempts.
@db_task()
def run_job(job_id: str) -> None:
    services.job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*/5"))
def sweep_stale_jobs() -> dict:
    return services.jobs_sweep_stale()


@db_periodic_task(crontab(minute="7"))
def purge_job_results() -> dict:
    return services.job_results_purge()
