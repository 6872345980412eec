"""Password links: the self-service reset, the welcome link of a new account, and the admin's reset.

A link only sets a password. It never signs anyone in: after it the user signs in with the new password
and then passes their second factor as always. A lost second factor is reset only by an administrator,
with a recorded reason (users.user_admin_reset_otp).

Django's token generator signs the user's id, password hash, last login and e-mail: the link stops
working once used, once the password changes otherwise, and after PASSWORD_RESET_TIMEOUT. The token is
made in the worker when the e-mail is sent and never stored (not in the mailer's table either).
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record
from sinergi.core import clock

from ..models import ApiToken, User

logger = logging.getLogger(__name__)

PURPOSES = ("reset", "welcome")
ERR_LINK = _("This link is invalid or has expired. Ask for a new one.")

EVENT_REQUESTED = "account.password_reset_requested"
EVENT_RESET = "account.password_reset"


def _subject(purpose: str) -> str:
    site = settings.SINERGI_SITE_NAME
    if purpose == "welcome":
        return gettext("[%(site)s] Your new account: set your password") % {"site": site}
    return gettext("[%(site)s] Set a new password") % {"site": site}


def password_link_path(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def password_link_send(*, user_id: Any, purpose: str) -> bool:
    """Worker: e-mail a fresh password link to an active user with an address; False when there is none."""
    user = User.objects.filter(pk=user_id, is_active=True).select_related("tenant").first()
    if user is None or not user.email or purpose not in PURPOSES:
        return False
    context = {
        "user": user,
        "purpose": purpose,
        "site_name": settings.SINERGI_SITE_NAME,
        "link": settings.SINERGI_BASE_URL + password_link_path(user=user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "tenant": user.tenant,
    }
    with translation.override(settings.LANGUAGE_CODE), clock.override_tenant(user.tenant):
        subject = _subject(purpose)
        text = render_to_string("accounts/email/password_link.txt", context)
        html = render_to_string("accounts/email/password_link.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
    return True


@transaction.atomic
def password_reset_request(*, email: str) -> int:
    """Someone asked for a reset link for `email`: queue one for each active account with that address.

    The caller answers the same whatever this finds (no account oracle); the e-mail is built and sent in
    the worker, so the response takes the same time too. Returns the number of links queued.
    """
    email = (email or "").strip()[:254]
    users = list(User.objects.filter(email__iexact=email, is_active=True)) if email else []
    for user in users:
        record(actor=AnonymousUser(), action=EVENT_REQUESTED, obj=user, extra={"self_service": True})
        _queue(user=user)
    if not users:
        # Never the typed address: it may be anyone's, or a typo of a real one.
        record(actor=AnonymousUser(), action=EVENT_REQUESTED, extra={"self_service": True, "unknown_address": True})
    return len(users)


def _queue(*, user: User) -> None:
    from .. import tasks

    user_id = str(user.pk)
    transaction.on_commit(lambda: tasks.send_password_link(user_id, "reset"))


def password_link_user(*, uidb64: str, token: str) -> User | None:
    """The active user a password link is for, when the link is still valid; else None."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.filter(pk=pk, is_active=True).first()
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_complete(*, uidb64: str, token: str, new_password: str) -> User:
    """Set the new password through a valid link; every session and API token of the account ends."""
    user = password_link_user(uidb64=uidb64, token=token)
    if user is None:
        raise ValidationError(ERR_LINK, code="invalid_link")
    user = User.objects.select_for_update().get(pk=user.pk)
    if not default_token_generator.check_token(user, token):  # used by a concurrent request meanwhile
        raise ValidationError(ERR_LINK, code="invalid_link")
    password_validation.validate_password(new_password, user=user)
    user.set_password(new_password)
    user.session_generation = F("session_generation") + 1
    user.save(update_fields=["password", "session_generation"])
    user.refresh_from_db(fields=["session_generation"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=user, action=EVENT_RESET, obj=user, fields=["password"], extra={"tokens_revoked": revoked})
    return user
