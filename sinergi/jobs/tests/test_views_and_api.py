"""Job pages and API: the requester follows and downloads; everyone else gets 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.jobs.models import Job

from .conftest import CONTENT, TEST_KIND

pytestmark = pytest.mark.django_db


def _urls(job: Job) -> dict[str, str]:
    return {
        "page": reverse("jobs:detail", kwargs={"pk": job.pk}),
        "download": reverse("jobs:download", kwargs={"pk": job.pk}),
        "api": reverse("jobs_api:detail", kwargs={"pk": job.pk}),
        "api_download": reverse("jobs_api:download", kwargs={"pk": job.pk}),
    }


def test_the_requester_downloads_the_result_audited_and_not_cached(behaviour, head, start, client_for):
    job = start(head)
    client = client_for(head)
    for url in (_urls(job)["download"], _urls(job)["api_download"]):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Cache-Control"] == "no-store, private"
        assert response["Content-Disposition"] == 'attachment; filename="laporan-uji.txt"'
        assert response["X-Content-Type-Options"] == "nosniff"
    events = AuditEvent.objects.filter(action="job.result_downloaded", actor=head, object_id=str(job.pk))
    assert events.count() == 2


@pytest.mark.parametrize(
    "persona",
    ["office_head_same_tenant", "case_manager_same_tenant", "office_head_other_tenant"],
)
def test_anyone_else_gets_404_on_the_job_and_its_download(
    behaviour, head, start, client_for, make_user, other_tenant, persona
):
    job = start(head)
    other = {
        "office_head_same_tenant": lambda: make_user(Role.OFFICE_HEAD),
        "case_manager_same_tenant": lambda: make_user(Role.CASE_MANAGER),
        "office_head_other_tenant": lambda: make_user(Role.OFFICE_HEAD, tenant=other_tenant),
    }[persona]()
    client = client_for(other)
    for url in _urls(job).values():
        assert client.get(url).status_code == 404, url
    assert str(job.pk) not in client.get(reverse("jobs:list")).content.decode()
    assert client.get(reverse("jobs_api:list")).json()["results"] == []
    assert not AuditEvent.objects.filter(action="job.result_downloaded").exists()


def test_anonymous_users_are_sent_to_log_in(behaviour, head, start, client):
    job = start(head)
    assert client.get(_urls(job)["download"]).status_code == 302
    assert client.get(_urls(job)["api_download"]).status_code in (401, 403)


def test_the_page_polls_while_running_and_stops_when_done(behaviour, head, start, client_for):
    job = start(head, run=False)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40, progress_message="step 40")
    client = client_for(head)
    page = client.get(_urls(job)["page"]).content.decode()
    assert f'hx-get="{_urls(job)["page"]}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert '<progress value="40" max="100"' in page
    assert "step 40" in page
    assert "<script>" not in page
    assert " style=" not in page
    partial = client.get(_urls(job)["page"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="job-status"')
    assert "<html" not in partial

    job.delete()
    done = start(head)
    partial = client.get(_urls(done)["page"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert '<progress value="100" max="100"' in partial
    assert _urls(done)["download"] in partial


def test_a_failed_job_shows_its_error(behaviour, head, start, client_for):
    from sinergi.jobs.kinds import JobError

    behaviour.fail_with = JobError("Tidak ada data pada periode ini.")
    job = start(head)
    page = client_for(head).get(_urls(job)["page"]).content.decode()
    assert "Tidak ada data pada periode ini." in page
    assert 'hx-trigger="every 2s"' not in page
    assert _urls(job)["download"] not in page


def test_an_expired_result_is_gone_with_a_clear_message(behaviour, head, start, client_for):
    job = start(head)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = client_for(head)
    response = client.get(_urls(job)["download"])
    assert response.status_code == 410
    assert "kedaluwarsa" in response.content.decode()  # the page speaks Indonesian
    api = client.get(_urls(job)["api_download"])
    assert api.status_code == 410
    assert api.json()["error"]["code"] == "result_expired"
    assert client.get(_urls(job)["api"]).json()["download_url"] is None
    assert not AuditEvent.objects.filter(action="job.result_downloaded").exists()


def test_my_jobs_lists_only_mine(behaviour, head, start, client_for, make_user):
    mine = start(head)
    theirs = start(make_user(Role.OFFICE_HEAD))
    client = client_for(head)
    body = client.get(reverse("jobs:list")).content.decode()
    assert _urls(mine)["page"] in body
    assert _urls(theirs)["page"] not in body
    results = client.get(reverse("jobs_api:list")).json()["results"]
    assert [r["id"] for r in results] == [str(mine.pk)]
    assert results[0]["status"] == "done"
    assert results[0]["progress"] == 100
    assert results[0]["download_url"] == _urls(mine)["api_download"]


def test_the_api_starts_a_job(behaviour, head, client_for, django_capture_on_commit_callbacks):
    client = client_for(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs_api:list"), {"kind": TEST_KIND, "parameters": {"size": 2}}, content_type="application/json"
        )
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    status = client.get(body["url"]).json()
    assert status["status"] == "done"
    assert status["parameters"] == {"size": 2}


def test_the_api_refuses_what_the_kind_does_not_allow(behaviour, make_user, client_for):
    client = client_for(make_user(Role.SATGAS_VOLUNTEER))
    response = client.post(reverse("jobs_api:list"), {"kind": TEST_KIND}, content_type="application/json")
    assert response.status_code == 403
    response = client.post(reverse("jobs_api:list"), {"kind": "no_such_kind"}, content_type="application/json")
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_the_statistics_page_says_the_xlsx_is_a_job(head, client_for):
    body = client_for(head).get(reverse("cases:statistics"), {"year": 2025}).content.decode()
    assert "berkas XLSX disiapkan di latar belakang" in body
    assert f'href="{reverse("jobs:list")}"' in body
