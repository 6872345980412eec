"""Newsroom tokens: `Authorization: Newsroom <key>`, for a media partner's editorial system.

The request is not a user's: `request.user` stays anonymous and `request.auth` is the NewsroomToken.
Only the newsroom check endpoint accepts this class, so a newsroom token reaches nothing else (no case
data, no register cross-check), whatever the endpoint's own permission says.
"""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission

from .models import NewsroomToken

KEYWORD = "Newsroom"


class NewsroomTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = (
            NewsroomToken.objects.select_related("partner", "partner__tenant")
            .filter(token_hash=NewsroomToken.hash_key(key))
            .first()
        )
        if token is None or not token.is_active or not token.partner.tenant.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked newsroom token.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            NewsroomToken.objects.filter(pk=token.pk).update(last_used_at=now)
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), token

    def authenticate_header(self, request):
        return KEYWORD


class HasNewsroomToken(BasePermission):
    message = "A newsroom token is required."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, NewsroomToken)


class NewsroomTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sinergi.publications.authentication.NewsroomTokenAuthentication"
    name = "newsroomAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Newsroom token of a media partner (Publications → Media partners): send "
            "`Authorization: Newsroom <key>`. It reaches the newsroom check endpoint only.",
        }
