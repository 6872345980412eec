"""Self-service password reset: no account oracle, rate-limited, audited, one-time links, and the second
factor is still asked for afterwards."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import ApiToken, User
from sinergi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

RESET_URL = reverse("accounts:password_reset")
NEW_PASSWORD = "Kata-Sandi-Baru-2026!"


def _ask(client, email, callbacks, **extra):
    with callbacks(execute=True):
        return client.post(RESET_URL, {"email": email}, **extra)


def _link(message) -> str:
    return re.search(r"/accounts/password-reset/[\w-]+/[\w-]+/", message.body).group(0)


def test_the_login_page_links_to_the_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert RESET_URL in page
    assert "Lupa kata sandi?" in page


def test_a_known_and_an_unknown_address_get_the_same_answer(client, staff_member, django_capture_on_commit_callbacks):
    known = _ask(client, "DEWI@uptd.example.org", django_capture_on_commit_callbacks)
    unknown = _ask(client, "tidak-ada@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_sent")
    assert [m.to for m in mail.outbox] == [["dewi@uptd.example.org"]]
    events = AuditEvent.objects.filter(action="account.password_reset_requested")
    assert events.count() == 2
    assert events.filter(object_id=str(staff_member.pk)).count() == 1
    assert "tidak-ada" not in str(list(events.values_list("extra", flat=True)))


def test_an_inactive_account_gets_no_link(client, staff_member, django_capture_on_commit_callbacks):
    User.objects.filter(pk=staff_member.pk).update(is_active=False)
    response = _ask(client, "dewi@uptd.example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert mail.outbox == []


def test_requests_are_rate_limited_per_address_and_per_ip(client, staff_member, django_capture_on_commit_callbacks):
    for _ in range(3):
        assert _ask(client, "dewi@uptd.example.org", django_capture_on_commit_callbacks).status_code == 302
    assert _ask(client, "dewi@uptd.example.org", django_capture_on_commit_callbacks).status_code == 429
    assert len(mail.outbox) == 3
    other = Client()
    for n in range(5):
        assert (
            _ask(other, f"orang{n}@example.org", django_capture_on_commit_callbacks, REMOTE_ADDR="10.1.1.1").status_code
            == 302
        )
    assert (
        _ask(other, "orang9@example.org", django_capture_on_commit_callbacks, REMOTE_ADDR="10.1.1.1").status_code == 429
    )


def test_the_link_sets_the_password_once_and_ends_every_session_and_token(
    client, staff_member, client_for, django_capture_on_commit_callbacks
):
    other_session = client_for(staff_member)
    assert other_session.get("/").status_code == 200
    _ask(client, "dewi@uptd.example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    form = client.get(link)
    assert form.status_code == 200
    assert form["Referrer-Policy"] == "no-referrer"
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:login")
    staff_member.refresh_from_db()
    assert staff_member.check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(user=staff_member, revoked_at__isnull=True).exists()
    assert other_session.get("/").status_code == 302  # the session opened before the reset is over
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(staff_member.pk)).count() == 1
    # The link works once.
    again = client.post(link, {"new_password1": "Lain-Lagi-2026!x", "new_password2": "Lain-Lagi-2026!x"})
    assert again.status_code == 400
    staff_member.refresh_from_db()
    assert staff_member.check_password(NEW_PASSWORD)


def test_after_the_reset_the_second_factor_is_still_asked_for(client, staff_member, django_capture_on_commit_callbacks):
    _ask(client, "dewi@uptd.example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    fresh = Client()
    login = fresh.post(reverse("accounts:login"), {"username": "dewi-uptd", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("accounts:otp_verify"))
    home = fresh.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:otp_verify"))


def test_a_forged_or_tampered_link_is_refused(client, staff_member):
    response = client.get(reverse("accounts:password_reset_confirm", kwargs={"uidb64": "Zm9v", "token": "abc-def"}))
    assert response.status_code == 400
    post = client.post(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "Zm9v", "token": "abc-def"}),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert post.status_code == 400
    staff_member.refresh_from_db()
    assert not staff_member.check_password(NEW_PASSWORD)
