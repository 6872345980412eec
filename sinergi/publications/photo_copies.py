"""Blurred copies of checked photos, kept 15 minutes for the one-click download (encrypted, per user).

The checker stores nothing else; a child's photo must not sit in a cache in the clear, so the copy is
Fernet-encrypted (sinergi.core.crypto) under a random key that only the uploader's session knows."""

import secrets

from django.core.cache import cache

from sinergi.core.crypto import decrypt_bytes, encrypt_bytes

TTL_SECONDS = 15 * 60


def _key(user_id, token: str) -> str:
    return f"ppra-photo:{user_id}:{token}"


def keep(*, user_id, data: bytes) -> str:
    token = secrets.token_urlsafe(16)
    cache.set(_key(user_id, token), encrypt_bytes(data), TTL_SECONDS)
    return token


def take(*, user_id, token: str) -> bytes | None:
    stored = cache.get(_key(user_id, token))
    return decrypt_bytes(stored) if stored is not None else None
