from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`; keys are stored hashed, so a DB leak yields no usable token."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = (
            ApiToken.objects.select_related("user", "user__tenant", "user__agency")
            .filter(token_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        user.is_verified = lambda: True  # tokens are only issued from a 2FA-verified session
        # Token requests are authenticated after the middleware ran: activate the tenant's zone here.
        from sinergi.core.clock import activate_for_user

        activate_for_user(user)
        return user, token

    def authenticate_header(self, request):
        return self.keyword
