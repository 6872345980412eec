"""The public ILA page served as a whole cached response (sinergi.maps.page_cache): what a citizen gets
from the cache is what the full stack gives, without SQL, and it changes as soon as the data does."""

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_case
from sinergi.core.clock import tenant_today
from sinergi.maps import public
from sinergi.maps.tasks import ila_warm
from sinergi.regions.models import District
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PER_REQUEST = {"X-Request-ID"}


@pytest.fixture
def memory_cache(settings):
    """A cache outside the database (Redis in production), so that a query count shows the page's SQL."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year(tenant):
    return tenant_today(tenant).year - 1


@pytest.fixture
def cases(tenant, make_user, year, fixtures_committed):
    """24 cases in one kecamatan, 12 of two public groups each: no count is small, every figure shown."""
    worker = make_user(Role.CASE_MANAGER)
    district = District.objects.filter(regency_id=tenant.regency_id).order_by("code").first()
    made = [
        make_case(
            worker,
            tenant,
            category=t.Category.VIOLENCE_CHILD if i % 2 else t.Category.DOMESTIC,
            reported_on=dt.date(year, 2, 1 + i),
            incident_on=dt.date(year, 1, 1 + i),
            district_code=district.code,
        )
        for i in range(24)
    ]
    fixtures_committed()
    return made


def _page(tenant):
    return f"/ila/{tenant.code}/"


def _year_total(response, year: int) -> str:
    """The grand total of the table of the whole year."""
    body = response.content.decode()
    found = re.search(rf"<caption>(?:Tahun|Year) {year}</caption>.*?<tfoot>.*?<strong>([^<]+)</strong>", body, re.S)
    return found.group(1)


def _headers(response) -> dict:
    return {name: value for name, value in response.items() if name not in PER_REQUEST}


def test_second_request_is_served_from_the_cache_without_sql(
    memory_cache, tenant, cases, year, django_assert_num_queries
):
    citizen = Client()
    first = citizen.get(_page(tenant))
    assert first.status_code == 200
    assert "figures-preparing" not in first.content.decode()
    with django_assert_num_queries(0):
        second = Client().get(_page(tenant))
    assert second.status_code == 200
    assert second.content == first.content
    assert _year_total(second, year) == "24"


def test_cached_response_has_the_same_headers_as_the_rendered_one(memory_cache, tenant, cases):
    first = Client().get(_page(tenant))
    second = Client().get(_page(tenant))
    assert _headers(second) == _headers(first)
    assert second["X-Request-ID"] != first["X-Request-ID"]  # still one id per request
    csp = second["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "nonce-" not in csp  # no inline script or style: no per-request nonce to replay
    assert "<script" not in second.content.decode()
    assert "style=" not in second.content.decode()
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Content-Type-Options"] == "nosniff"
    assert second["Content-Language"] == "id"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in second["Vary"].split(",")}
    assert second["Cache-Control"] == "public, max-age=300"
    assert not second.cookies  # no session, no CSRF cookie
    assert "Set-Cookie" not in second


def test_a_case_change_through_the_service_shows_in_the_next_response(
    memory_cache, tenant, cases, make_user, year, django_capture_on_commit_callbacks
):
    assert _year_total(Client().get(_page(tenant)), year) == "24"
    assert _year_total(Client().get(_page(tenant)), year) == "24"  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        make_case(
            make_user(Role.CASE_MANAGER),
            tenant,
            category=t.Category.DOMESTIC,
            reported_on=dt.date(year, 2, 27),
            district_code=cases[0].district_id,
        )
    assert _year_total(Client().get(_page(tenant)), year) == "25"


def test_an_agency_change_shows_in_the_next_response(memory_cache, tenant, cases, django_capture_on_commit_callbacks):
    assert "Pos Sahabat Anak" not in Client().get(_page(tenant)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        AgencyFactory(tenant=tenant, kind=Agency.Kind.UPTD_PPA, name="UPTD PPA Pos Sahabat Anak")
    assert "Pos Sahabat Anak" in Client().get(_page(tenant)).content.decode()


def test_the_english_page_is_cached_apart(memory_cache, tenant, cases, django_assert_num_queries):
    indonesian = Client().get(_page(tenant))
    english_client = Client()
    english_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get(_page(tenant))
    assert english["Content-Language"] == "en"
    assert "Child-friendly information" in english.content.decode()
    assert "Child-friendly information" not in indonesian.content.decode()
    with django_assert_num_queries(0):
        again = english_client.get(_page(tenant))
        indonesian_again = Client().get(_page(tenant))
    assert again.content == english.content
    assert indonesian_again.content == indonesian.content


def test_figures_still_being_prepared_are_never_served_from_the_cache(memory_cache, tenant, cases, year):
    today = tenant_today(tenant)
    with translation.override("id"):  # the page's language
        for y in range(today.year, today.year - public.YEARS_SHOWN, -1):
            cache.add(f"{public._year_key(tenant, y)}:refreshing", 1, 600)  # the worker "is busy"
    preparing = Client().get(_page(tenant))
    assert "figures-preparing" in preparing.content.decode()
    assert "figures-preparing" in Client().get(_page(tenant)).content.decode()
    with translation.override("id"):
        ila_warm.call_local()  # the worker is done
    ready = Client().get(_page(tenant)).content.decode()
    assert "figures-preparing" not in ready
    assert _year_total(Client().get(_page(tenant)), year) == "24"


def test_office_staff_with_a_session_get_the_full_stack(memory_cache, tenant, cases, year, client_for, head):
    Client().get(_page(tenant))  # cached for citizens
    staff = client_for(head)
    response = staff.get(_page(tenant))
    assert response.status_code == 200
    assert response.wsgi_request.user == head  # the session was read: not a replay
    assert _year_total(response, year) == "24"


def test_other_tenants_page_is_its_own(memory_cache, tenant, other_tenant, cases, year):
    assert _year_total(Client().get(_page(tenant)), year) == "24"
    other = Client().get(_page(other_tenant)).content.decode()
    assert other_tenant.name in other
    assert tenant.name not in other
    assert Client().get("/ila/99.99/").status_code == 404


def test_a_host_outside_allowed_hosts_is_refused_from_the_cache_too(memory_cache, tenant, cases, year):
    """The full stack answers a Host header outside ALLOWED_HOSTS with a 400 (DisallowedHost); the cached
    page must not answer it with a 200 (DNS rebinding, a poisoned Host reaching a shared proxy)."""
    assert Client().get(_page(tenant), HTTP_HOST="evil.example").status_code == 400  # rendered: refused
    assert Client().get(_page(tenant)).status_code == 200  # now cached
    assert Client().get(_page(tenant), HTTP_HOST="evil.example").status_code == 400
    assert _year_total(Client().get(_page(tenant)), year) == "24"


def test_a_query_string_is_not_a_separate_cache_entry(memory_cache, tenant, cases, year):
    Client().get(_page(tenant))
    response = Client().get(_page(tenant), {"x": "1"})
    assert response.status_code == 200
    assert _year_total(response, year) == "24"


def test_the_cached_page_is_not_throttled_per_ip(memory_cache, tenant, cases):
    citizen = Client(REMOTE_ADDR="203.0.113.9")
    statuses = {citizen.get(_page(tenant)).status_code for _ in range(150)}
    assert statuses == {200}
