"""Account lockout across addresses (services for the sign-in throttle).

django-axes locks a username *per address*; an attacker with many addresses gets around it. Here every
failed password check for an account name counts, from any address: after
SINERGI_ACCOUNT_LOCKOUT_FAILURES failures within SINERGI_ACCOUNT_LOCKOUT_WINDOW the account refuses every
password, the right one included, for SINERGI_ACCOUNT_LOCKOUT_COOLOFF. The answer stays the generic
"incorrect username or password" (which always says to wait after many failures), so a lock is no oracle
for the password, and names that belong to no account are counted and locked the same way.

Attempts during a lock neither count nor extend it. So that an attacker who re-locks an account every
cool-off cannot keep its owner out, a browser where the owner signed in before carries a signed device
cookie ("device cookies", OWASP): its attempts are counted against that browser alone, not against the
account, and the account lock does not apply to it.
"""

import hmac
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from sinergi.audit.services import record

from .models import LoginThrottle, User

DEVICE_COOKIE = "sinergi_device"
NOTIFICATION_KIND = "account_locked"
_DEVICE_SALT = "sinergi.accounts.lockout.device-cookie"
_DEVICES_PER_BROWSER = 5  # accounts remembered per browser (shared office computers)
_TAG_LENGTH = 16


def _normalize(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def account_key(*, username: str) -> str:
    """The throttle key of an account name (a keyed hash: the typed text may be a password)."""
    return salted_hmac("sinergi.accounts.lockout.account", _normalize(username), algorithm="sha256").hexdigest()


def _device_key(*, nonce: str, account: str) -> str:
    return salted_hmac("sinergi.accounts.lockout.device", f"{nonce}:{account}", algorithm="sha256").hexdigest()


def _password_tag(password_hash: str) -> str:
    """A keyed fingerprint of the stored password hash: a password change ends the trust of old browsers."""
    return salted_hmac("sinergi.accounts.lockout.password", password_hash or "", algorithm="sha256").hexdigest()[:16]


def _device_entries(cookie: str | None) -> list[tuple[str, str, int, str]]:
    if not cookie:
        return []
    try:
        value = signing.loads(cookie, salt=_DEVICE_SALT, max_age=settings.SINERGI_DEVICE_COOKIE_AGE.total_seconds())  # type: ignore[arg-type]  # signing takes any number
    except signing.BadSignature:
        return []
    if not isinstance(value, list):
        return []
    entries = []
    for entry in value[:_DEVICES_PER_BROWSER]:
        if (
            isinstance(entry, list)
            and len(entry) == 4
            and isinstance(entry[0], str)
            and isinstance(entry[1], str)
            and isinstance(entry[2], int)
            and isinstance(entry[3], str)
        ):
            entries.append((entry[0], entry[1], entry[2], entry[3]))
    return entries


def throttle_key_for(*, username: str, device_cookie: str | None) -> str:
    """The key whose counter and lock apply to this attempt: the browser's own when it carries a device
    cookie for this account, issued since the owner last logged out everywhere; otherwise the account's."""
    account = account_key(username=username)
    for tag, nonce, generation, password_tag in _device_entries(device_cookie):
        if hmac.compare_digest(tag, account[:_TAG_LENGTH]):
            # A lost laptop keeps its cookie: "log out everywhere" (a new session generation) or a new
            # password ends its trust.
            current = (
                User.objects.filter(username__iexact=_normalize(username))
                .values_list("session_generation", "password")
                .first()
            )
            if current and current[0] == generation and hmac.compare_digest(_password_tag(current[1]), password_tag):
                return _device_key(nonce=nonce, account=account)
    return account


def device_cookie_value(*, user: User, device_cookie: str | None) -> str:
    """The device cookie to set after a correct password: this account (with a fresh nonce) first,
    then the other accounts this browser already held, at most five."""
    tag = account_key(username=user.get_username())[:_TAG_LENGTH]
    others = [[t, n, g, p] for t, n, g, p in _device_entries(device_cookie) if t != tag]
    entries = [
        [tag, secrets.token_urlsafe(18), user.session_generation, _password_tag(user.password)],
        *others,
    ][:_DEVICES_PER_BROWSER]
    return signing.dumps(entries, salt=_DEVICE_SALT)


def is_locked(*, key: str) -> bool:
    """Whether password checks under this key are refused right now."""
    return LoginThrottle.objects.filter(key=key, locked_until__gt=timezone.now()).exists()


def login_failure_register(*, key: str, username: str) -> bool:
    """Count one failed password check; lock when the limit is reached. Returns whether `key` is locked.

    The lock starts once (audited, the owner notified) and ends at a fixed time: attempts made while it
    lasts are not counted, and after it the count starts again from zero.
    """
    now = timezone.now()
    with transaction.atomic():
        row = _locked_row(key=key, now=now)
        if row.is_locked_at(now):
            return True
        if row.locked_until is not None or now - row.window_started_at >= settings.SINERGI_ACCOUNT_LOCKOUT_WINDOW:
            row.window_started_at, row.failures, row.locked_until = now, 0, None
        row.failures += 1
        locks = row.failures >= settings.SINERGI_ACCOUNT_LOCKOUT_FAILURES
        if locks:
            row.locked_until = now + settings.SINERGI_ACCOUNT_LOCKOUT_COOLOFF
        row.save(update_fields=["window_started_at", "failures", "locked_until"])
        if locks:
            _lock_started(row=row, username=username, is_device=key != account_key(username=username))
    return locks


def login_success_register(*, key: str) -> None:
    """A correct password under `key`: its failure count starts again."""
    LoginThrottle.objects.filter(key=key).exclude(locked_until__gt=timezone.now()).delete()


def login_throttle_purge() -> int:
    """Delete counters whose window and lock are over (the worker runs this every half hour)."""
    now = timezone.now()
    stale = LoginThrottle.objects.filter(window_started_at__lt=now - settings.SINERGI_ACCOUNT_LOCKOUT_WINDOW).exclude(
        locked_until__gt=now
    )
    deleted, _per_model = stale.delete()
    return deleted


def _locked_row(*, key: str, now: datetime) -> LoginThrottle:
    row = LoginThrottle.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginThrottle.objects.create(key=key, window_started_at=now, failures=0)
    except IntegrityError:  # a concurrent first failure created it
        return LoginThrottle.objects.select_for_update().get(key=key)


def _lock_started(*, row: LoginThrottle, username: str, is_device: bool) -> None:
    # Looked up for real and unknown names alike, so both take the same path up to the notice.
    user = User.objects.filter(username__iexact=_normalize(username)).first()
    extra = {
        "scope": "device" if is_device else "account",
        "failures": row.failures,
        "locked_until": row.locked_until.isoformat(),  # type: ignore[union-attr]  # set when locked
    }
    if user is None:
        extra["unknown_username"] = True
    record(actor=AnonymousUser(), action="account.locked", obj=user, extra=extra)
    if user is not None:
        _notify_owner(user=user)


def _notify_owner(*, user: User) -> None:
    from sinergi.notifications.services import notify

    minutes = int(settings.SINERGI_ACCOUNT_LOCKOUT_COOLOFF.total_seconds() // 60)
    # The notice goes to the owner, in the site's language (not the one chosen by whoever typed).
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Logging in to your account was paused after many failed attempts")
        body = gettext(
            "Someone typed a wrong password for your account many times. For %(minutes)d minutes no "
            "password is accepted, not even the right one; browsers where you signed in before still work. "
            "If it was not you, tell your system administrator and change your password."
        ) % {"minutes": minutes}
    notify(recipients=[user], kind=NOTIFICATION_KIND, title=title, body=body, url="/accounts/")
