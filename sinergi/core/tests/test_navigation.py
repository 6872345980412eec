"""The main navigation is rendered from the registry (sinergi.core.plugins.nav_entry): each role sees
the links its permissions allow, in the registered order, the current page marked."""

import re

import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.core import plugins

LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>')
# Registered by the test-only plug-in app (tests/plugin_app), not part of the shipped navigation.
TEST_ONLY = {"/visits/"}


def _links(client, url: str) -> list[tuple[str, bool]]:
    html = client.get(url).content.decode()
    nav = html.split('aria-label="Navigasi utama"', 1)[1].split("</nav>", 1)[0]
    return [(href, bool(current)) for href, current in LINK.findall(nav) if href not in TEST_ONLY]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.OFFICE_HEAD,
            [
                *("/", "/cases/", "/cases/referrals/", "/cases/reports/statistics/", "/taskforces/", "/kla/"),
                "/maps/",
                "/publications/",
                "/agencies/",
                *("/notifications/", "/users/", "/settings/", "/audit/", "/accounts/"),
            ],
        ),
        (
            Role.SERVICE_PROVIDER,
            [
                "/",
                "/cases/",
                "/cases/referrals/",
                "/taskforces/",
                "/agencies/",
                "/notifications/",
                "/accounts/",
            ],
        ),
        # The API docs link is on the account page of token holders (issue 19), not in the header.
        (Role.SATGAS_VOLUNTEER, ["/", "/cases/", "/agencies/", "/notifications/", "/accounts/"]),
        (
            Role.SYSTEM_ADMIN,
            [
                *("/", "/publications/", "/agencies/", "/notifications/", "/users/", "/settings/", "/audit/"),
                "/accounts/",
            ],
        ),
    ],
)
def test_each_role_sees_the_links_its_permissions_allow_in_order(make_user, client_for, role, expected):
    links = [href for href, _current in _links(client_for(make_user(role)), reverse("core:home"))]
    assert links == expected


def test_the_current_page_is_marked_but_the_dashboard_only_on_itself(make_user, client_for):
    links = dict(_links(client_for(make_user(Role.OFFICE_HEAD)), reverse("audit:list")))
    assert links["/audit/"] is True
    assert links["/"] is False
    assert "/api/docs/" not in links


def test_the_notifications_link_carries_the_unread_badge(make_user, client_for):
    html = client_for(make_user(Role.CASE_MANAGER)).get(reverse("core:home")).content.decode()
    assert re.search(r'<a href="/notifications/">[^<]+ <output name="poll" id="nav-unread"', html)


def test_nobody_signed_out_sees_the_navigation(db, client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "/audit/" not in html.split("</nav>", 1)[0]


def test_a_key_is_registered_for_one_url_only():
    with pytest.raises(plugins.PluginError):
        plugins.nav_entry("audit", "Elsewhere", "core:home", order=1)


def test_a_url_prefix_is_mounted_once():
    with pytest.raises(plugins.PluginError):
        plugins.url_include("cases/", "sinergi.other.urls")
