"""Notifications people read: grouped alerts, a channel per kind, and a daily summary in the local morning."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.notifications import selectors, services
from sinergi.notifications.models import DigestLog, Notification, NotificationPreference

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

# 07.00 WITA on 5 January 2023 is 23.00 UTC on the 4th; in WIB it is only 06.00 then.
SEVEN_WITA = dt.datetime(2023, 1, 4, 23, 0, tzinfo=dt.UTC)
SEVEN_WIB = dt.datetime(2023, 1, 5, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def user(make_user):
    return make_user(Role.CASE_MANAGER, email="rina@example.go.id")


def test_unread_alerts_of_one_kind_are_one_group(user, make_user):
    for _ in range(12):
        NotificationFactory(recipient=user, kind="referral_overdue")
    single = NotificationFactory(recipient=user, kind="case_assigned", title="Kasus untuk Anda", url="/cases/x/")
    NotificationFactory(recipient=user, kind="case_assigned", read_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    NotificationFactory(recipient=make_user(), kind="referral_overdue")

    groups = {g.kind: g for g in selectors.unread_groups_for_user(user=user)}

    assert groups["referral_overdue"].count == 12
    assert groups["referral_overdue"].label == "12 referrals overdue"
    assert groups["referral_overdue"].url == "/cases/?overdue=on"
    assert groups["case_assigned"].single == single
    assert (groups["case_assigned"].label, groups["case_assigned"].url) == ("Kasus untuk Anda", "/cases/x/")


def test_an_unregistered_kind_groups_under_the_notification_list(user):
    NotificationFactory(recipient=user, kind="something_new")
    NotificationFactory(recipient=user, kind="something_new")
    (group,) = selectors.unread_groups_for_user(user=user)
    assert group.label == "2 notifications"
    assert group.url == reverse("notifications:list") + "?unread=1&kind=something_new"


def test_the_channel_chosen_per_kind_decides_the_email(user, django_capture_on_commit_callbacks):
    services.notification_preferences_set(actor=user, channels={"referral_overdue": "in_app"})
    services.notification_preferences_set(actor=user, channels={"case_assigned": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], kind="referral_overdue", title="Rujukan terlambat")
        services.notify(recipients=[user], kind="case_assigned", title="Kasus untuk Anda")
        services.notify(recipients=[user], kind="referral_received", title="Rujukan baru")  # default: e-mail
    assert [m.subject for m in mail.outbox] == ["[Sinergi] Rujukan baru"]
    rows = {n.kind: n for n in Notification.objects.filter(recipient=user)}
    assert not rows["referral_overdue"].is_email_wanted
    assert not rows["referral_overdue"].is_digest_wanted
    assert rows["case_assigned"].is_digest_wanted
    assert all(n.read_at is None for n in rows.values())  # every kind still shows in the app


def test_unknown_kinds_and_channels_are_refused(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.notification_preferences_set(actor=user, channels={"no_such_kind": "email"})
    with pytest.raises(ValidationError):
        services.notification_preferences_set(actor=user, channels={"referral_overdue": "sms"})
    assert not NotificationPreference.objects.exists()


def test_the_digest_leaves_in_the_recipients_local_morning_once(user, make_user, other_tenant):
    other_tenant.timezone = "Asia/Jakarta"
    other_tenant.save(update_fields=["timezone"])
    user.tenant.timezone = "Asia/Makassar"
    user.tenant.save(update_fields=["timezone"])
    wib_user = make_user(Role.CASE_MANAGER, tenant=other_tenant, email="wib@example.go.id")
    for person in (user, wib_user):
        services.notification_preferences_set(actor=person, channels={"referral_overdue": "digest"})
        for i in range(3):
            services.notify(recipients=[person], kind="referral_overdue", title=f"Rujukan terlambat {i}")
    Notification.objects.update(created_at=SEVEN_WITA - dt.timedelta(hours=5))
    mail.outbox.clear()

    assert services.notification_send_digests(now=SEVEN_WITA - dt.timedelta(minutes=15)) == 0  # 06.45 WITA
    assert services.notification_send_digests(now=SEVEN_WITA) == 1
    assert services.notification_send_digests(now=SEVEN_WITA + dt.timedelta(minutes=15)) == 0  # not twice
    assert [m.to for m in mail.outbox] == [["rina@example.go.id"]]
    assert "3 rujukan terlambat" in mail.outbox[0].body  # e-mails go out in the site language
    assert services.notification_send_digests(now=SEVEN_WIB) == 1  # 07.00 WIB: the other regency's turn
    assert [m.to for m in mail.outbox][-1] == ["wib@example.go.id"]
    assert not Notification.objects.filter(is_digest_wanted=True, digested_at__isnull=True).exists()
    assert DigestLog.objects.count() == 2


def test_a_failed_digest_is_sent_on_the_next_run(user, monkeypatch):
    services.notification_preferences_set(actor=user, channels={"referral_overdue": "digest"})
    services.notify(recipients=[user], kind="referral_overdue", title="Rujukan terlambat")
    Notification.objects.update(created_at=SEVEN_WIB - dt.timedelta(hours=1))

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    assert services.notification_send_digests(now=SEVEN_WIB) == 0
    assert Notification.objects.filter(digested_at__isnull=True).count() == 1
    monkeypatch.undo()
    assert services.notification_send_digests(now=SEVEN_WIB + dt.timedelta(minutes=15)) == 1
    assert len(mail.outbox) == 1


def test_settings_page_and_api(user, client_for, make_user):
    client = client_for(user)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    response = client.post(
        reverse("notifications:preferences"), {"referral_overdue": "digest", "case_assigned": "in_app"}
    )
    assert response.status_code == 302
    channels = client.get("/api/v1/notifications/preferences/").json()["channels"]
    assert channels["referral_overdue"] == "digest"
    assert channels["case_assigned"] == "in_app"
    assert channels["referral_received"] == "email"
    put = client.put(
        "/api/v1/notifications/preferences/", {"channels": {"case_assigned": "email"}}, content_type="application/json"
    )
    assert put.json()["channels"]["case_assigned"] == "email"
    bad = client.put(
        "/api/v1/notifications/preferences/", {"channels": {"case_assigned": "sms"}}, content_type="application/json"
    )
    assert bad.status_code == 400
    # Preferences are per person: someone else's are untouched.
    assert not NotificationPreference.objects.exclude(user=user).exists()
    NotificationFactory(recipient=user, kind="referral_overdue")
    NotificationFactory(recipient=user, kind="referral_overdue")
    groups = client.get("/api/v1/notifications/groups/").json()
    assert groups == [
        {
            "kind": "referral_overdue",
            "count": 2,
            "latest_at": groups[0]["latest_at"],
            "label": "2 rujukan terlambat",  # the reader's language: Indonesian by default
            "url": "/cases/?overdue=on",
        }
    ]


def test_the_dashboard_widget_counts_every_unread_notification_beyond_the_groups_it_shows(user, client_for):
    for i in range(7):  # seven kinds: more than the widget's five groups
        NotificationFactory(recipient=user, kind=f"kind_{i}")
        NotificationFactory(recipient=user, kind=f"kind_{i}")
    NotificationFactory(recipient=user, kind="kind_0", read_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    groups, unread = selectors.unread_summary_for_user(user=user, limit=5)
    assert len(groups) == 5
    assert unread == 14 == selectors.unread_count_for_user(user=user)
    page = client_for(user).get(reverse("core:home")).content.decode()
    assert "(14 belum dibaca)" in page or "(14 unread)" in page
