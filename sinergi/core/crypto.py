"""Field-level encryption (MultiFernet) and keyed blind indexes (HMAC-SHA256).

Keys come from the environment: SINERGI_FIELD_KEYS (Fernet keys, newest first; older keys keep
decrypting until `manage.py rotate_field_keys` re-encrypts every row with the newest) and
SINERGI_BLIND_INDEX_KEY (HMAC key, separate from the encryption keys and from SECRET_KEY).
"""

import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

CIPHERTEXT_PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    if not keys:
        raise ImproperlyConfigured("SINERGI_FIELD_KEYS is empty: field encryption needs at least one key.")
    try:
        return tuple(Fernet(k.encode()) for k in keys)
    except (ValueError, TypeError) as exc:  # never echo the key itself
        raise ImproperlyConfigured("SINERGI_FIELD_KEYS holds a value that is not a Fernet key.") from exc


def _configured_keys() -> tuple[str, ...]:
    # Tolerate stray spaces and a trailing comma in the environment variable.
    return tuple(k.strip() for k in settings.SINERGI_FIELD_KEYS if k and k.strip())


def fernet() -> MultiFernet:
    return MultiFernet(list(_fernets(_configured_keys())))


def newest_fernet() -> Fernet:
    """The key every new ciphertext is written with (the first of SINERGI_FIELD_KEYS)."""
    return _fernets(_configured_keys())[0]


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def encrypt_str(value: str) -> str:
    return CIPHERTEXT_PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_str(value: str) -> str:
    token = _token(value)
    try:
        return fernet().decrypt(token).decode("utf-8")
    except InvalidToken as exc:  # wrong/missing key: fail loudly, never return ciphertext as text
        raise ImproperlyConfigured("Cannot decrypt a field: is the right key in SINERGI_FIELD_KEYS?") from exc


def _token(value: str) -> bytes:
    if not value.startswith(CIPHERTEXT_PREFIX):
        raise ValueError("Value is not Sinergi ciphertext.")
    return value[len(CIPHERTEXT_PREFIX) :].encode("ascii")


def rotate_str(value: str) -> str:
    """Re-encrypt a stored ciphertext under the newest key."""
    return CIPHERTEXT_PREFIX + rotate_bytes(_token(value)).decode("ascii")


def is_current_str(value: str) -> bool:
    """True when a stored ciphertext is already encrypted under the newest key."""
    return is_current_bytes(_token(value))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured("Cannot decrypt a file: is the right key in SINERGI_FIELD_KEYS?") from exc


def rotate_bytes(token: bytes) -> bytes:
    try:
        return fernet().rotate(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured("Cannot re-encrypt: no key in SINERGI_FIELD_KEYS decrypts it.") from exc


def is_current_bytes(token: bytes) -> bool:
    try:
        newest_fernet().decrypt(token)
    except InvalidToken:
        return False
    return True


# ---- Blind index -----------------------------------------------------------------------------

_PUNCT_RE = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """NFKC, casefold, strip punctuation, collapse whitespace: 'Siti  Nur-Aini' == 'siti nuraini'."""
    value = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    value = _PUNCT_RE.sub("", value)
    # Removing characters can bring composable letters together (Hangul jamo): compose again so that
    # normalize_text(normalize_text(x)) == normalize_text(x).
    value = unicodedata.normalize("NFKC", value)
    return _SPACE_RE.sub(" ", value).strip()


def normalize_digits(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())


def blind_index(value: str | None, *, purpose: str) -> str:
    """HMAC of an already-normalised value, domain-separated by `purpose` (e.g. 'nik')."""
    if not value:
        return ""
    key = settings.SINERGI_BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("SINERGI_BLIND_INDEX_KEY is not set.")
    mac = hmac.new(key.encode(), f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def nik_index(nik: str | None) -> str:
    digits = normalize_digits(nik or "")
    return blind_index(digits, purpose="nik") if digits else ""


def name_birth_index(name: str | None, birth_date) -> str:
    """Exact-match key for 'same normalised name and same birth date'."""
    normalized = normalize_text(name or "")
    if not normalized or not birth_date:
        return ""
    return blind_index(f"{normalized}|{birth_date.isoformat()}", purpose="name_dob")


# ---- Model field -----------------------------------------------------------------------------


class EncryptedTextField(models.TextField):
    """Stores Fernet ciphertext; Python code sees plaintext. Only `isnull` lookups are allowed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull",):
            raise FieldError(f"EncryptedTextField does not support '{lookup_name}' lookups; use a blind index.")
        return super().get_lookup(lookup_name)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "sinergi.core.crypto.EncryptedTextField", args, kwargs
