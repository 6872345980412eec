"""Account lockout across addresses: an attacker with many addresses, an unknown name, the owner's browser."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from sinergi.accounts import lockout
from sinergi.accounts.models import LoginThrottle
from sinergi.accounts.tests.factories import TEST_PASSWORD
from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
START = "2026-03-02 10:00:00"


def _addresses(count: int, *, start: int = 1) -> list[str]:
    return [f"203.0.113.{n}" for n in range(start, start + count)]


def _attempt(username: str, password: str, address: str, *, client: Client | None = None, via_proxy: bool = False):
    client = client or Client()
    if via_proxy:
        # Behind our nginx the client address is the last X-Forwarded-For hop (SINERGI_TRUSTED_PROXIES=1).
        return client.post(
            LOGIN_URL,
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, {address}",
        )
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def _error_text(response) -> list[str]:
    return response.context["form"].non_field_errors()


def _lock(username: str, *, count: int = 12, via_proxy: bool = False):
    return [
        _attempt(username, f"guess-{n}", address, via_proxy=via_proxy) for n, address in enumerate(_addresses(count))
    ]


@pytest.mark.parametrize("via_proxy", [False, True], ids=["remote_addr", "trusted_proxy"])
def test_twelve_addresses_then_the_right_password_is_refused_until_the_cooloff_ends(
    analyst, settings, via_proxy, django_capture_on_commit_callbacks
):
    if via_proxy:
        settings.SINERGI_TRUSTED_PROXIES = 1
    with freeze_time(START) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            wrong = _lock(analyst.username, via_proxy=via_proxy)
        assert [r.status_code for r in wrong] == [200] * 12  # one failure per address: axes never triggers

        right = _attempt(analyst.username, TEST_PASSWORD, "203.0.113.99", via_proxy=via_proxy)
        assert right.status_code == 200
        assert not _logged_in(right)
        # Same answer as a wrong password: the form error, word for word, which says to try later.
        assert _error_text(right) == _error_text(wrong[0])
        assert "coba lagi nanti" in right.content.decode()

        clock.tick(timedelta(minutes=14, seconds=59))
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.98", via_proxy=via_proxy))

        clock.tick(timedelta(seconds=2))
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.97", via_proxy=via_proxy))

    notices = Notification.objects.filter(recipient=analyst, kind=lockout.NOTIFICATION_KIND)
    assert notices.count() == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="account.locked", object_id=str(analyst.pk)).count() == 1


def test_the_notice_carries_no_identity_data(analyst):
    with freeze_time(START):
        _lock(analyst.username)
    notice = Notification.objects.get(recipient=analyst, kind=lockout.NOTIFICATION_KIND)
    text = f"{notice.title} {notice.body} {notice.url}"
    for secret in (analyst.username, analyst.full_name, analyst.email, "203.0.113", "guess-"):
        assert secret not in text
    # In the site's language, not the one of whoever typed the passwords.
    assert "Masuk ke akun Anda" in notice.title


def test_the_lock_is_audited_once_with_its_end(analyst):
    with freeze_time(START):
        _lock(analyst.username, count=15)
    event = AuditEvent.objects.get(action="account.locked")
    assert event.object_id == str(analyst.pk)
    assert event.tenant_id == analyst.tenant_id
    assert event.extra["scope"] == "account"
    assert event.extra["failures"] == 10
    assert event.extra["locked_until"].startswith("2026-03-02T10:15:00")
    # The attempts made during the lock are audited as locked-out failures.
    assert AuditEvent.objects.filter(action="account.login_failed", extra__locked_out=True).count() == 6


def test_nine_failures_do_not_lock(analyst):
    with freeze_time(START):
        _lock(analyst.username, count=9)
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.50"))
    assert not Notification.objects.filter(kind=lockout.NOTIFICATION_KIND).exists()


def test_failures_outside_the_window_do_not_add_up(analyst):
    with freeze_time(START) as clock:
        _lock(analyst.username, count=9)
        clock.tick(timedelta(minutes=15))
        _lock(analyst.username, count=9)
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.50"))


def test_a_correct_password_starts_the_count_again(analyst):
    with freeze_time(START):
        _lock(analyst.username, count=9)
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.50"))
        _lock(analyst.username, count=9)
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.51"))


def test_attempts_during_the_lock_do_not_extend_it(analyst):
    with freeze_time(START) as clock:
        _lock(analyst.username, count=10)
        for minute in range(1, 15):
            clock.tick(timedelta(minutes=1))
            _attempt(analyst.username, "still-guessing", f"198.51.100.{minute}")
        clock.tick(timedelta(minutes=1, seconds=1))
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.50"))
    assert Notification.objects.filter(kind=lockout.NOTIFICATION_KIND).count() == 1


def test_the_owners_browser_still_logs_in_while_an_attacker_keeps_the_account_locked(analyst):
    owner = Client()
    with freeze_time(START) as clock:
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=owner))
        owner.post("/accounts/logout/")
        for round_ in range(3):  # the attacker re-locks the account at every cool-off
            _lock(analyst.username, count=10)
            assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.60"))
            assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=owner))
            owner.post("/accounts/logout/")
            clock.tick(timedelta(minutes=15, seconds=1 + round_))
    assert Notification.objects.filter(kind=lockout.NOTIFICATION_KIND).count() == 3


def test_the_owners_browser_has_its_own_limit(analyst):
    owner = Client()
    with freeze_time(START):
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=owner))
        owner.post("/accounts/logout/")
        # A stolen device cookie is no way around the lock: the browser locks after as many failures.
        for n in range(10):
            _attempt(analyst.username, f"guess-{n}", f"192.0.2.{20 + n}", client=owner)
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.40", client=owner))
        # ...and that lock is the browser's alone.
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.70"))
    assert AuditEvent.objects.get(action="account.locked").extra["scope"] == "device"


def test_log_out_everywhere_ends_the_trust_in_the_owners_old_browsers(analyst, client_for):
    lost_laptop = Client()
    with freeze_time(START):
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=lost_laptop))
        client_for(analyst).post("/accounts/logout-all/")
        _lock(analyst.username, count=10)
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=lost_laptop))


def test_a_device_cookie_of_one_account_does_not_open_another(analyst, make_user):
    colleague = make_user()
    shared = Client()
    with freeze_time(START):
        assert _logged_in(_attempt(colleague.username, TEST_PASSWORD, "192.0.2.10", client=shared))
        shared.post("/accounts/logout/")
        _lock(analyst.username, count=10)
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=shared))


def test_a_forged_device_cookie_is_ignored(analyst):
    forged = Client()
    forged.cookies[lockout.DEVICE_COOKIE] = '[["' + lockout.account_key(username=analyst.username)[:16] + '","x"]]'
    with freeze_time(START):
        _lock(analyst.username, count=10)
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=forged))


def test_the_device_cookie_is_http_only_and_holds_no_username(analyst):
    response = _attempt(analyst.username, TEST_PASSWORD, "192.0.2.10")
    cookie = response.cookies[lockout.DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/accounts/"
    assert analyst.username not in cookie.value
    assert analyst.username.casefold() not in cookie.value.casefold()


def test_an_unknown_name_is_locked_and_answered_exactly_like_a_real_one(analyst):
    with freeze_time(START):
        real = _lock(analyst.username)
        unknown = _lock("nobody-here")
        real_locked = _attempt(analyst.username, TEST_PASSWORD, "203.0.113.80")
        unknown_locked = _attempt("nobody-here", "anything", "203.0.113.81")
    for a, b in [*zip(real, unknown, strict=True), (real_locked, unknown_locked)]:
        assert a.status_code == b.status_code == 200
        assert _error_text(a) == _error_text(b)
        assert [t.name for t in a.templates] == [t.name for t in b.templates]
    unknown_event = AuditEvent.objects.get(action="account.locked", extra__unknown_username=True)
    assert unknown_event.object_id == ""
    assert "nobody-here" not in unknown_event.canonical_payload()
    assert not LoginThrottle.objects.filter(key__contains="nobody").exists()


def test_names_differing_in_case_or_spaces_share_one_counter(analyst):
    variants = [analyst.username, analyst.username.upper(), f"  {analyst.username} "]
    with freeze_time(START):
        for n, address in enumerate(_addresses(10)):
            _attempt(variants[n % 3], f"guess-{n}", address)
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "203.0.113.90"))


def test_a_locked_account_refuses_the_right_old_password_in_the_password_change(client_for, analyst):
    session = client_for(analyst)
    with freeze_time(START):
        _lock(analyst.username, count=10)
        response = session.post(
            "/accounts/password/",
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "Kupu-kupu Biru 2026",
                "new_password2": "Kupu-kupu Biru 2026",
            },
        )
    assert response.status_code == 200
    assert response.context["password_form"].has_error("old_password", "password_incorrect")
    analyst.refresh_from_db()
    assert analyst.check_password(TEST_PASSWORD)


def test_wrong_old_passwords_in_the_password_change_count_toward_the_lock(client_for, analyst):
    session = client_for(analyst)
    with freeze_time(START):
        for n in range(9):  # the password change allows 10 per hour
            session.post(
                "/accounts/password/",
                {"old_password": f"guess-{n}", "new_password1": "Kupu-kupu Biru 2026", "new_password2": "x"},
                REMOTE_ADDR=f"203.0.113.{n + 1}",
            )
        _attempt(analyst.username, "one-more", "198.51.100.1")
        assert not _logged_in(_attempt(analyst.username, TEST_PASSWORD, "198.51.100.2"))


def test_the_purge_keeps_running_locks_and_open_windows(analyst):
    with freeze_time(START) as clock:
        _lock(analyst.username, count=10)
        _lock("someone-else", count=3)
        clock.tick(timedelta(minutes=14))
        assert lockout.login_throttle_purge() == 0
        clock.tick(timedelta(minutes=2))
        assert lockout.login_throttle_purge() == 2


def test_a_password_change_ends_the_trust_in_old_browsers(analyst):
    old_browser = Client()
    with freeze_time(START):
        assert _logged_in(_attempt(analyst.username, TEST_PASSWORD, "192.0.2.10", client=old_browser))
        analyst.set_password("a-completely-new-passphrase-2026")
        analyst.save(update_fields=["password"])
        _lock(analyst.username, count=10)
        # The cookie of the old password no longer takes the attempt out of the account's lock.
        response = _attempt(analyst.username, "a-completely-new-passphrase-2026", "192.0.2.10", client=old_browser)
        assert not _logged_in(response)


def test_no_device_trust_before_the_second_factor(make_user):
    from sinergi.accounts.roles import Role

    manager = make_user(Role.CASE_MANAGER)  # reads identities: TOTP is mandatory
    response = _attempt(manager.username, TEST_PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert lockout.DEVICE_COOKIE not in response.cookies
