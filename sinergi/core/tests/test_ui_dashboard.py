"""The home dashboard: role-aware cards from the widget registry."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.core import dashboard
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

COMING = "Coming in a later release"


def _home(client_for, user) -> str:
    client = client_for(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def _templates(user) -> list[str]:
    return [w["template"] for w in dashboard.widgets_for(user)]


def test_the_welcome_card_names_the_user_role_and_agency(make_user, client_for):
    user = make_user(Role.CASE_MANAGER, full_name="Rina Kartika")
    body = _home(client_for, user)
    assert "Welcome, Rina Kartika" in body
    assert "Case manager (UPTD PPA)" in body
    assert user.agency.name in body
    assert user.tenant.name in body


def test_the_notifications_card_groups_unread_alerts_by_kind(make_user, client_for):
    user = make_user()
    for i in range(12):
        NotificationFactory(recipient=user, kind="referral_overdue", title=f"Rujukan terlambat nomor {i}")
    NotificationFactory(
        recipient=user, kind="case_assigned", title="Kasus PPA/6402/2026/00001 untuk Anda", url="/cases/"
    )
    NotificationFactory(recipient=user, kind="case_assigned", title="Sudah dibaca", read_at=timezone.now())
    NotificationFactory(recipient=make_user(), kind="case_assigned", title="Milik orang lain")

    body = _home(client_for, user)

    # One line for twelve alerts, leading to the filtered list; a single alert shows itself.
    assert "12 referrals overdue" in body
    assert 'href="/cases/?overdue=on"' in body
    assert "Rujukan terlambat nomor" not in body
    assert "Kasus PPA/6402/2026/00001 untuk Anda" in body
    assert "Sudah dibaca" not in body
    assert "Milik orang lain" not in body
    assert "All notifications (13 unread)" in body


def test_a_case_manager_gets_help_but_no_placeholder_cards(make_user, client_for):
    body = _home(client_for, make_user(Role.CASE_MANAGER))
    assert "What you can do here" in body
    assert "Register reports and manage cases" in body
    assert COMING not in body


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        # The task forces, the PPRA checker and the KLA workspace have landed: no placeholder card for them any more.
        (Role.COMMUNICATIONS_OFFICER, ["Data map"], ["KLA evaluation workspace"]),
        (Role.ANALYST, ["Data map"], ["PPRA checker", "KLA evaluation workspace"]),
        (Role.TASKFORCE_SECRETARIAT, [], ["PPRA checker", "Data map", "KLA evaluation workspace"]),
        (Role.SATGAS_VOLUNTEER, [], ["PPRA checker", "KLA evaluation workspace", "Data map", "Task forces"]),
        (Role.SYSTEM_ADMIN, ["Data map"], ["KLA evaluation workspace"]),
    ],
)
def test_placeholders_appear_for_the_roles_that_will_use_them(make_user, client_for, role, expected, absent):
    body = _home(client_for, make_user(role))
    for title in expected:
        assert title in body
    for title in absent:
        assert title not in body
    assert body.count(COMING) == len(expected)


def test_a_placeholder_says_which_roles_use_it(make_user, client_for):
    body = _home(client_for, make_user(Role.COMMUNICATIONS_OFFICER))
    assert "Used by: Analyst (aggregates only), Communications officer, Office head (kepala dinas)" in body


def test_every_role_has_a_help_card():
    assert set(dashboard.ROLE_HELP) == set(Role)


def test_widgets_come_in_registry_order(make_user):
    templates = _templates(make_user(Role.SYSTEM_ADMIN))
    assert templates[0] == "core/widgets/_welcome.html"
    assert templates[1] == "notifications/partials/_widget.html"
    assert templates[-1] == "core/widgets/_placeholder.html"


def test_registering_a_provider_twice_keeps_one_and_none_hides_it(make_user):
    user = make_user()
    before = len(dashboard.widgets_for(user))

    def extra(user):
        return {"template": "core/widgets/_welcome.html", "name": "x"}

    def hidden(user):
        return None

    try:
        dashboard.register(50)(extra)
        dashboard.register(50)(extra)
        dashboard.register(51)(hidden)
        assert len(dashboard.widgets_for(user)) == before + 1
    finally:
        dashboard._providers[:] = [p for p in dashboard._providers if p[2] not in (extra, hidden)]
