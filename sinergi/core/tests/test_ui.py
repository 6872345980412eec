"""The UI shell: login gate, strict CSP, language switch, navigation, and the health probe."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.core import services
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.inline_handlers: list[tuple[str, str]] = []
        self.style_attrs: list[str] = []
        self.style_tags = 0
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.style_tags += 1
        if "style" in attributes:
            self.style_attrs.append(tag)
        self.inline_handlers += [(tag, name) for name in attributes if name.startswith("on")]


def _parse(response) -> _Collector:
    collector = _Collector()
    collector.feed(response.content.decode())
    return collector


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


@pytest.fixture
def case_manager(make_user):
    return make_user(Role.CASE_MANAGER, full_name="Rina Kartika")


def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_requires_the_second_factor_for_identity_readers(case_manager, client):
    client.force_login(case_manager)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/")


def test_home_renders_for_a_verified_user(case_manager, client_for):
    response = client_for(case_manager).get(reverse("core:home"))
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url_name", ["core:home", "notifications:list"])
def test_csp_is_strict_and_every_script_is_external_or_nonced(case_manager, client_for, url_name):
    response = client_for(case_manager).get(reverse(url_name))
    csp = _csp(response)
    assert "'self'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["style-src"] == ["'self'"]
    nonces = {v.removeprefix("'nonce-").rstrip("'") for v in csp["script-src"] if v.startswith("'nonce-")}

    page = _parse(response)
    assert page.scripts, "the page loads htmx and sinergi.js"
    for script in page.scripts:
        assert script.get("src") or script.get("nonce") in nonces, script
        if script.get("src"):
            assert script["src"].startswith("/static/"), "no CDN"
    assert page.inline_handlers == []
    assert page.style_attrs == []
    assert page.style_tags == 0


def test_the_login_page_has_no_inline_script_either(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = _parse(response)
    assert all(s.get("src") for s in page.scripts)
    assert page.inline_handlers == []
    assert page.style_attrs == []


def test_htmx_is_configured_for_the_csp(case_manager, client_for):
    body = client_for(case_manager).get(reverse("core:home")).content.decode()
    assert '"includeIndicatorStyles": false' in body
    assert '"allowEval": false' in body
    assert 'src="/static/django_htmx/htmx-2.min.js"' in body
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]+\"\}'>", body)


def test_the_default_language_is_indonesian(case_manager, client_for):
    response = client_for(case_manager).get(reverse("core:home"))
    assert _parse(response).html_lang == "id"
    assert "Dasbor" in response.content.decode()


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _parse(response).html_lang == "id"
    assert response["Content-Language"] == "id"


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert _parse(client.get(reverse("accounts:login"))).html_lang == "id"


def test_the_language_switch_changes_the_interface(case_manager, client_for):
    client = client_for(case_manager)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    english = client.get(reverse("core:home"))
    assert _parse(english).html_lang == "en"
    assert "<h1>Dashboard</h1>" in english.content.decode()

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    indonesian = client.get(reverse("core:home"))
    assert _parse(indonesian).html_lang == "id"
    assert "<h1>Dasbor</h1>" in indonesian.content.decode()


def test_the_language_switch_works_before_login(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert _parse(client.get(reverse("accounts:login"))).html_lang == "en"


def test_the_language_switch_refuses_a_foreign_next_url(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_the_layout_has_the_accessibility_landmarks(case_manager, client_for):
    body = client_for(case_manager).get(reverse("core:home")).content.decode()
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert 'role="status"' in body
    assert "<header>" in body
    assert "<footer>" in body


def test_the_header_names_the_users_own_agency_else_the_tenant_office(case_manager, dinsos_officer, client_for):
    """A Dinsos officer's header shows Dinsos, not the DPPPA; a user without an agency sees the office."""
    case_manager.agency = None
    case_manager.save(update_fields=["agency"])
    body = client_for(case_manager).get(reverse("core:home")).content.decode()
    assert f"<small>{case_manager.tenant.office_short_name}</small>" in body
    body = client_for(dinsos_officer).get(reverse("core:home")).content.decode()
    assert f"<small>{dinsos_officer.agency.short_name}</small>" in body
    assert f"<small>{dinsos_officer.tenant.office_short_name}</small>" not in body


def test_logout_is_a_post_form_not_a_link(case_manager, client_for):
    body = client_for(case_manager).get(reverse("core:home")).content.decode()
    logout_url = reverse("accounts:logout")
    assert f'<form method="post" action="{logout_url}">' in body
    assert f'href="{logout_url}"' not in body


def test_the_data_credits_are_on_the_about_page_linked_from_the_footer(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert reverse("core:about") in body
    assert "ODbL" not in body  # the footer of every (public) page stays short
    about = client.get(reverse("core:about"))
    assert about.status_code == 200  # public: no login needed
    text = about.content.decode()
    assert "idn-area-data" in text
    assert "ODbL" in text
    assert "cahyadsn/wilayah_boundaries" in text


def test_the_nav_shows_the_unread_count_with_a_polling_badge(case_manager, client_for):
    NotificationFactory.create_batch(2, recipient=case_manager)
    body = client_for(case_manager).get(reverse("core:home")).content.decode()
    badge = re.search(r'<output name="poll" id="nav-unread"[^>]*>(.*?)</output>', body, re.S)
    assert badge, "the polling element must be named 'poll' so the idle timeout ignores it"
    assert '<span class="badge">2</span>' in badge.group(1)
    assert 'hx-get="/notifications/badge/"' in badge.group(0)


def test_the_dashboard_badge_reuses_the_widgets_total_and_other_pages_count(case_manager, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    NotificationFactory.create_batch(3, recipient=case_manager)
    NotificationFactory.create_batch(2)  # someone else's: in neither number
    client = client_for(case_manager)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("core:home")).content.decode()
    badge = re.search(r'<output name="poll" id="nav-unread"[^>]*>(.*?)</output>', body, re.S)
    assert '<span class="badge">3</span>' in badge.group(1)
    counted = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1, counted  # the widget's summary only
    assert "GROUP BY" in counted[0]
    # A page without the widget counts for the badge itself, and a later request is not served a stale total.
    NotificationFactory(recipient=case_manager)
    body = client.get(reverse("cases:list")).content.decode()
    badge = re.search(r'<output name="poll" id="nav-unread"[^>]*>(.*?)</output>', body, re.S)
    assert '<span class="badge">4</span>' in badge.group(1)


def test_the_nav_marks_the_current_page(case_manager, client_for):
    body = client_for(case_manager).get(reverse("notifications:list")).content.decode()
    assert 'href="/notifications/" aria-current="page"' in body
    assert 'href="/" aria-current="page"' not in body


def test_anonymous_pages_show_no_navigation_links(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/notifications/"' not in body
    assert 'action="/i18n/setlang/"' in body


def _render_can(user, perm: str) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load sinergi_tags %}{% can perm as allowed %}{% if allowed %}yes{% else %}no{% endif %}")
    return template.render(Context({"request": request, "perm": perm}))


def test_the_can_tag_asks_the_policy(case_manager):
    assert _render_can(case_manager, "notifications.view_notification_list") == "yes"
    assert _render_can(case_manager, "no_such_app.no_such_permission") == "no"


def test_the_can_tag_refuses_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert _render_can(AnonymousUser(), "notifications.view_notification_list") == "no"


def test_the_audit_link_follows_the_policy(make_user, client_for):
    head_body = client_for(make_user(Role.OFFICE_HEAD)).get(reverse("core:home")).content.decode()
    worker_body = client_for(make_user(Role.CASE_MANAGER)).get(reverse("core:home")).content.decode()
    try:
        audit_url = reverse("audit:list")
    except NoReverseMatch:
        pytest.skip("audit:list is not routed yet")
    assert f'href="{audit_url}"' in head_body
    assert f'href="{audit_url}"' not in worker_body


def test_the_cases_link_follows_the_policy(make_user, client_for):
    try:
        cases_url = reverse("cases:case_list")
    except NoReverseMatch:
        pytest.skip("cases:case_list is not routed yet")
    body = client_for(make_user(Role.CASE_MANAGER)).get(reverse("core:home")).content.decode()
    assert f'href="{cases_url}"' in body
    no_agency = make_user(Role.ANALYST, agency=None)
    body = client_for(no_agency).get(reverse("core:home")).content.decode()
    assert f'href="{cases_url}"' not in body


def test_healthz_is_ok_when_the_worker_heartbeat_is_fresh(client):
    services.worker_heartbeat_record()
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "worker", "queue", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["age_seconds"] <= 5


def test_healthz_is_503_without_a_heartbeat(client):
    cache.delete(services.HEARTBEAT_KEY)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"] == {"ok": False, "last_seen": None, "age_seconds": None}


def test_healthz_is_503_when_the_heartbeat_is_stale(client, settings):
    stale = timezone.now() - timezone.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 60)
    cache.set(services.HEARTBEAT_KEY, stale.isoformat())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_healthz_reveals_no_data_and_is_not_cached(client, case_manager):
    services.worker_heartbeat_record()
    response = client.get(reverse("healthz"))
    assert case_manager.username not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_nightly_database_maintenance_runs_on_this_database():
    from sinergi.core.tasks import database_maintenance

    database_maintenance.call_local()
