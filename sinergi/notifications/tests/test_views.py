import time

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.notifications.models import Notification
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user()


@pytest.fixture
def notification(owner):
    return NotificationFactory(recipient=owner, title="Kasus UPTD/2026/0001 ditugaskan")


def test_the_list_requires_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_owner_sees_their_notification(owner, notification, client_for):
    response = client_for(owner).get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Kasus UPTD/2026/0001 ditugaskan" in response.content.decode()
    assert response.templates[0].name == "notifications/list.html"


def test_a_colleague_never_sees_someone_elses_notification(make_user, notification, client_for):
    colleague = make_user(Role.OFFICE_HEAD)
    NotificationFactory(recipient=colleague, title="Rapat Gugus Tugas")
    response = client_for(colleague).get(reverse("notifications:list"))
    body = response.content.decode()
    assert "Rapat Gugus Tugas" in body
    assert "Kasus UPTD/2026/0001" not in body


def test_the_unread_filter(owner, client_for):
    NotificationFactory(recipient=owner, title="Sudah dibaca", read_at=timezone.now())
    NotificationFactory(recipient=owner, title="Belum dibaca")
    body = client_for(owner).get(reverse("notifications:list") + "?unread=1").content.decode()
    assert "Belum dibaca" in body
    assert "Sudah dibaca" not in body


def test_the_owner_marks_read_without_htmx(owner, notification, client_for):
    response = client_for(owner).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_with_htmx_swaps_the_row(owner, notification, client_for):
    response = client_for(owner).post(
        reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "notifications/partials/_row.html"
    body = response.content.decode()
    assert body.strip().startswith(f'<li id="notification-{notification.pk}"')
    assert "<html" not in body
    assert response["HX-Trigger"] == "notifications-changed"


@pytest.mark.parametrize("same_tenant", [True, False])
def test_others_get_404_when_marking_read(make_user, other_tenant, notification, client_for, same_tenant):
    intruder = make_user() if same_tenant else make_user(tenant=other_tenant)
    response = client_for(intruder).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_requires_post(owner, notification, client_for):
    response = client_for(owner).get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read(owner, notification, make_user, client_for):
    theirs = NotificationFactory(recipient=make_user())
    NotificationFactory(recipient=owner)
    response = client_for(owner).post(reverse("notifications:mark_all_read"), follow=True)
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "2" in response.content.decode()  # "2 notifications marked as read."


def test_the_badge_shows_only_the_unread_count(owner, client_for):
    NotificationFactory.create_batch(3, recipient=owner)
    NotificationFactory(recipient=owner, read_at=timezone.now())
    response = client_for(owner).get(reverse("notifications:badge"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="badge">3</span>' in body
    assert 'name="poll"' in body
    assert "<html" not in body


def test_the_badge_poll_does_not_count_as_activity(owner, client_for):
    """The idle-timeout middleware ignores requests whose HX-Trigger-Name is "poll" (the badge's name)."""
    client = client_for(owner)
    session = client.session
    session["last_activity"] = int(time.time()) - 600
    session.save()

    client.get(reverse("notifications:badge"), HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="poll")
    assert client.session["last_activity"] < int(time.time()) - 500

    client.get(reverse("notifications:list"))
    assert client.session["last_activity"] >= int(time.time()) - 5


def test_the_badge_poll_ends_an_idle_session(owner, client_for, settings):
    client = client_for(owner)
    session = client.session
    session["last_activity"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 10
    session.save()
    response = client.get(reverse("notifications:badge"), HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="poll")
    # A full navigation to the login page, so that the page behind it leaves the screen.
    redirect_to = response.headers.get("HX-Redirect") or response.headers.get("Location", "")
    assert reverse("accounts:login") in redirect_to
    assert "_auth_user_id" not in client.session


def test_an_unverified_identity_reader_is_sent_to_2fa(owner, client):
    client.force_login(owner)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_a_link_is_rendered_only_as_a_relative_path(owner, client_for):
    NotificationFactory(recipient=owner, url="/cases/123/", title="Ada tautan")
    body = client_for(owner).get(reverse("notifications:list")).content.decode()
    assert '<a href="/cases/123/">Ada tautan</a>' in body


def test_the_list_is_paginated(owner, client_for):
    NotificationFactory.create_batch(30, recipient=owner)
    client = client_for(owner)
    first = client.get(reverse("notifications:list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("notifications:list") + "?page=2")
    assert len(second.context["page"].object_list) == 5
