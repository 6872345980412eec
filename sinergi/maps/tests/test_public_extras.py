"""The public page never runs the cold computation in a visitor's request; sections other apps add
(the KLA summary) appear only when they have data; the protection width is a tenant setting."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases.tests.factories import make_case
from sinergi.core import plugins
from sinergi.core.clock import tenant_today
from sinergi.maps import page_cache, public, tasks
from sinergi.maps.models import PublishedRelease

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year_cases(tenant, make_user):
    worker = make_user(Role.CASE_MANAGER)
    year = tenant_today(tenant).year - 1
    return [make_case(worker, tenant, reported_on=dt.date(year, 2, 1 + i)) for i in range(6)]


@pytest.fixture
def no_worker(monkeypatch):
    """The worker is busy: what the task queue would receive is kept, not run."""
    queued = []
    monkeypatch.setattr(public, "_refresh_later", lambda tenant, year, version: queued.append(year))
    return queued


def test_cold_figures_are_prepared_by_the_worker_not_in_the_request(client, tenant, last_year_cases, no_worker):
    page = client.get(reverse("ila:page", args=[tenant.code]))
    assert page.status_code == 200
    assert 'id="figures-preparing"' in page.content.decode()
    assert not PublishedRelease.objects.exists()  # no LP audit ran in the request
    assert tenant_today(tenant).year - 1 in no_worker
    assert client.get(reverse("ila:json", args=[tenant.code])).json()["preparing"]

    tasks.ila_warm.call_local()
    assert PublishedRelease.objects.filter(tenant=tenant).exists()
    page = client.get(reverse("ila:page", args=[tenant.code])).content.decode()
    assert 'id="figures-preparing"' not in page
    assert str(tenant_today(tenant).year - 1) in page


def test_protection_width_setting_changes_the_published_rules(tenant, last_year_cases):
    assert public.public_figures(tenant=tenant)["rules"]["protection"] == tenant.small_count_threshold
    tenant.small_count_protection = 7
    tenant.save()
    assert public.public_figures(tenant=tenant)["rules"]["protection"] == 7


@pytest.fixture
def kla_section(tmp_path, settings):
    (tmp_path / "kla_test.html").write_text('<section id="kla-summary">KLA {{ section.rank }}</section>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path)]}]
    data: dict = {}
    plugins.public_section("kla-test", "kla_test.html", lambda tenant: data.get(tenant.pk), order=10)
    yield data
    plugins._public_sections.pop("kla-test", None)


def test_kla_summary_hook_renders_only_with_data(client, tenant, kla_section):
    url = reverse("ila:page", args=[tenant.code])
    assert 'id="kla-summary"' not in client.get(url).content.decode()
    kla_section[tenant.pk] = {"rank": "Madya"}
    # The page is cached whole (page_cache): a section's change shows after PAGE_SECONDS, or at once
    # after a bump of the tenant's page.
    page_cache.public_page_bump(tenant.pk)
    html = client.get(url).content.decode()
    assert '<section id="kla-summary">KLA Madya</section>' in html


def test_a_failing_section_does_not_take_the_page_down(client, tenant):
    def broken(tenant):
        raise RuntimeError("boom")

    plugins.public_section("broken-test", "nothing.html", broken)
    try:
        assert client.get(reverse("ila:page", args=[tenant.code])).status_code == 200
    finally:
        plugins._public_sections.pop("broken-test", None)
