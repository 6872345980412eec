"""The deployment admin sees notification metadata of every tenant, never titles or bodies."""

import pytest

from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/notifications/notification/"


@pytest.fixture
def foreign_notification(make_user, other_tenant):
    return NotificationFactory(
        recipient=make_user(tenant=other_tenant),
        kind="referral-received",
        title="Rujukan baru PPA/6401/2026/00042",
        body="Catatan tim kasus PPA/6401/2026/00042",
        url="/cases/referrals/",
    )


def test_the_list_shows_metadata_but_no_title(client_for, sysadmin, foreign_notification):
    response = client_for(sysadmin).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "referral-received" in html
    assert f"{foreign_notification.pk}/change/" in html
    assert "PPA/6401/2026/00042" not in html
    assert "Rujukan baru" not in html


def test_the_detail_and_delete_pages_show_no_title_or_body(client_for, sysadmin, foreign_notification):
    client = client_for(sysadmin)
    for page in ("change", "delete"):
        response = client.get(f"{LIST}{foreign_notification.pk}/{page}/")
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "referral-received" in html, page
        assert "PPA/6401/2026/00042" not in html, page


def test_a_search_cannot_probe_titles(client_for, sysadmin, foreign_notification):
    client = client_for(sysadmin)
    link = f"{foreign_notification.pk}/change/"
    assert link in client.get(LIST, {"q": "referral-received"}).content.decode()
    assert link not in client.get(LIST, {"q": "PPA/6401/2026/00042"}).content.decode()
