import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/notifications/"


@pytest.fixture
def owner(make_user):
    return make_user()


def test_the_url_names_match_the_documented_paths():
    assert reverse("notifications_api:list") == LIST_URL


def test_anonymous_requests_are_refused():
    response = APIClient().get(LIST_URL)
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_it_lists_only_the_callers_notifications(owner, make_user, other_tenant, client_for):
    mine = NotificationFactory(recipient=owner)
    NotificationFactory(recipient=make_user())
    NotificationFactory(recipient=make_user(tenant=other_tenant))

    response = client_for(owner).get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == str(mine.pk)
    assert set(body["results"][0]) == {"id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"}


def test_the_unread_filter_and_pagination(owner, client_for):
    NotificationFactory.create_batch(3, recipient=owner)
    NotificationFactory(recipient=owner, read_at=timezone.now())
    client = client_for(owner)

    assert client.get(LIST_URL + "?unread=true").json()["count"] == 3
    assert client.get(LIST_URL).json()["count"] == 4
    page = client.get(LIST_URL + "?page_size=2").json()
    assert len(page["results"]) == 2
    assert page["next"]


def test_an_invalid_filter_is_a_400(owner, client_for):
    response = client_for(owner).get(LIST_URL + "?unread=maybe")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_owner_marks_read(owner, client_for):
    notification = NotificationFactory(recipient=owner)
    response = client_for(owner).post(f"{LIST_URL}{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("same_tenant", [True, False])
def test_marking_someone_elses_notification_is_a_404(owner, make_user, other_tenant, client_for, same_tenant):
    notification = NotificationFactory(recipient=owner)
    intruder = make_user() if same_tenant else make_user(tenant=other_tenant)
    response = client_for(intruder).post(f"{LIST_URL}{notification.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None
