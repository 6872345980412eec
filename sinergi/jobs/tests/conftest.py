"""A small job kind for the tests of the jobs machinery itself (the SIMFONI kind is tested in cases)."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.jobs import kinds
from sinergi.jobs.kinds import JobOutput

TEST_KIND = "test_report"
CONTENT = b"Laporan uji: 1 2 3\n" * 1000


class Behaviour:
    """What the test kind's runner does: the steps it reports, and what the test watches."""

    def __init__(self) -> None:
        self.steps = [25, 50, 75]
        self.seen_progress: list[int] = []
        self.runs = 0
        self.fail_with: Exception | None = None
        self.during_run = None  # a callable run after the first progress report

    def run(self, *, job, params, progress, path) -> JobOutput:
        from sinergi.jobs.models import Job

        self.runs += 1
        for index, step in enumerate(self.steps):
            progress(step, f"step {step}")
            self.seen_progress.append(Job.objects.get(pk=job.pk).progress)
            if index == 0 and self.during_run is not None:
                self.during_run(job)
        if self.fail_with is not None:
            raise self.fail_with
        path.write_bytes(CONTENT)
        return JobOutput(name="laporan-uji.txt", content_type="text/plain; charset=utf-8")


@pytest.fixture
def behaviour(settings):
    settings.SINERGI_JOB_PROGRESS_INTERVAL = 0
    state = Behaviour()

    def prepare(*, actor, params):
        return {"size": int(params.get("size", 1))}

    kinds.register(TEST_KIND, label="Laporan uji", permission="cases.view_statistics", prepare=prepare, run=state.run)
    yield state
    kinds._KINDS.pop(TEST_KIND, None)


@pytest.fixture
def head(make_user):
    return make_user(Role.OFFICE_HEAD)


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a job and let the (immediate) worker run it when the transaction commits."""
    from sinergi.jobs import services

    def _start(actor, *, kind=TEST_KIND, params=None, run=True):
        if not run:
            return services.job_start(actor=actor, kind=kind, params=params or {})
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_start(actor=actor, kind=kind, params=params or {})
        job.refresh_from_db()
        return job

    return _start
