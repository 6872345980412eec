import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from sinergi.accounts.roles import Role
from sinergi.notifications import services
from sinergi.notifications.models import Notification
from sinergi.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_it_creates_one_notification_per_recipient_in_their_tenant(make_user, other_tenant):
    alice = make_user()
    bob = make_user(Role.SERVICE_PROVIDER)
    outsider = make_user(tenant=other_tenant)

    created = services.notify(recipients=[alice, bob, alice, outsider], kind="case-assigned", title="Kasus baru")

    assert len(created) == 3
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(rows) == {alice.pk, bob.pk, outsider.pk}
    assert rows[alice.pk].tenant_id == alice.tenant_id
    assert rows[outsider.pk].tenant_id == other_tenant.pk


def test_it_skips_inactive_users_and_users_without_tenant(make_user):
    active = make_user()
    inactive = make_user(is_active=False)
    platform_admin = make_user(tenant=None, agency=None)

    created = services.notify(recipients=[active, inactive, platform_admin], kind="info", title="Halo")

    assert [n.recipient_id for n in created] == [active.pk]


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "cases/1", "/\\evil.example", "/a b"],
)
def test_it_rejects_links_that_are_not_relative_paths(make_user, url):
    with pytest.raises(ValidationError):
        services.notify(recipients=[make_user()], kind="info", title="Halo", url=url)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("text", ["NIK 6402011203050001", "6402 0112 0305 0001", "6402-0112-0305-0001"])
def test_it_refuses_text_that_looks_like_a_nik(make_user, text):
    with pytest.raises(ValidationError):
        services.notify(recipients=[make_user()], kind="info", title="Kasus", body=text)
    with pytest.raises(ValidationError):
        services.notify(recipients=[make_user()], kind="info", title=text)


def test_it_rejects_an_empty_title_and_a_bad_kind(make_user):
    user = make_user()
    with pytest.raises(ValidationError):
        services.notify(recipients=[user], kind="info", title="   ")
    with pytest.raises(ValidationError):
        services.notify(recipients=[user], kind="not a slug!", title="Halo")


def test_it_emails_recipients_after_commit(make_user, django_capture_on_commit_callbacks):
    alice = make_user()
    bob = make_user()
    no_email = make_user(email="")

    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(
            recipients=[alice, bob, no_email],
            kind="referral-received",
            title="Rujukan baru UPTD/2026/0007",
            body="Isi rahasia",
            url="/cases/referrals/",
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    message = mail.outbox[0]
    assert "Rujukan baru UPTD/2026/0007" in message.subject
    assert "Isi rahasia" not in message.body  # the body stays behind the login
    emailed = {n.recipient_id: n.emailed_at for n in Notification.objects.filter(pk__in=[n.pk for n in created])}
    assert emailed[alice.pk] is not None
    assert emailed[bob.pk] is not None
    assert emailed[no_email.pk] is None


def test_no_email_is_sent_before_the_transaction_commits(make_user, django_capture_on_commit_callbacks):
    user = make_user()  # (creating its agency queues the data map's cache refresh, not under test here)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[user], kind="info", title="Halo")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_it_does_not_email_when_asked_not_to(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipients=[user], kind="info", title="Halo", email=False)
    assert callbacks == []
    assert mail.outbox == []


def test_sending_twice_does_not_email_twice(make_user):
    notification = NotificationFactory(recipient=make_user())
    assert services.notification_send_emails(notification_ids=[str(notification.pk)]) == 1
    assert services.notification_send_emails(notification_ids=[str(notification.pk)]) == 0
    assert len(mail.outbox) == 1


def test_the_link_in_the_email_is_absolute_when_the_base_url_is_known(make_user, settings):
    settings.SINERGI_BASE_URL = "https://sinergi.example.go.id/"
    notification = NotificationFactory(recipient=make_user(), url="/cases/abc/")
    services.notification_send_emails(notification_ids=[str(notification.pk)])
    assert "https://sinergi.example.go.id/cases/abc/" in mail.outbox[0].body


def test_the_recipient_marks_a_notification_read(make_user):
    user = make_user()
    notification = NotificationFactory(recipient=user)

    services.notification_mark_read(actor=user, notification=notification)

    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_user_cannot_mark_it_read(make_user, other_tenant):
    notification = NotificationFactory(recipient=make_user())
    for intruder in (make_user(), make_user(tenant=other_tenant)):
        with pytest.raises(Http404):
            services.notification_mark_read(actor=intruder, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_only_touches_the_actors_notifications(make_user):
    user = make_user()
    colleague = make_user()
    mine = NotificationFactory.create_batch(3, recipient=user)
    theirs = NotificationFactory(recipient=colleague)

    assert services.notification_mark_all_read(actor=user) == 3

    assert all(n.read_at for n in Notification.objects.filter(pk__in=[n.pk for n in mine]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
