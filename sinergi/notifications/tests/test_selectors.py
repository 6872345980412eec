import uuid

import pytest
from django.http import Http404
from django.utils import timezone

from sinergi.notifications import selectors
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_a_user_only_lists_their_own_notifications(make_user, other_tenant):
    user = make_user()
    own = NotificationFactory.create_batch(2, recipient=user)
    NotificationFactory(recipient=make_user())
    NotificationFactory(recipient=make_user(tenant=other_tenant))

    listed = list(selectors.notification_list_for_user(user=user))

    assert {n.pk for n in listed} == {n.pk for n in own}


def test_unread_filter_and_count(make_user):
    user = make_user()
    NotificationFactory.create_batch(2, recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())

    assert selectors.unread_count_for_user(user=user) == 2
    assert selectors.notification_list_for_user(user=user, unread_only=True).count() == 2
    assert selectors.notification_list_for_user(user=user).count() == 3


def test_newest_first(make_user):
    user = make_user()
    old = NotificationFactory(recipient=user, created_at=timezone.now() - timezone.timedelta(days=1))
    new = NotificationFactory(recipient=user)
    assert list(selectors.notification_list_for_user(user=user)) == [new, old]


def test_someone_elses_notification_is_not_found(make_user, other_tenant):
    notification = NotificationFactory(recipient=make_user())
    for intruder in (make_user(), make_user(tenant=other_tenant)):
        with pytest.raises(Http404):
            selectors.notification_get_for_user(user=intruder, pk=notification.pk)
    with pytest.raises(Http404):
        selectors.notification_get_for_user(user=notification.recipient, pk=uuid.uuid4())


def test_a_notification_left_behind_in_a_former_tenant_is_hidden(make_user, other_tenant):
    user = make_user()
    notification = NotificationFactory(recipient=user)
    user.tenant = other_tenant
    user.save()

    assert selectors.unread_count_for_user(user=user) == 0
    with pytest.raises(Http404):
        selectors.notification_get_for_user(user=user, pk=notification.pk)
