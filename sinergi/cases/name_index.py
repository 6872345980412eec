"""The blind index of people's names: keyed digests of normalised name tokens, never the names.

A person's full name is normalised (case, diacritics, punctuation, spacing, a few common Indonesian
spelling variants: old spelling "oe"/"dj"/"tj"/"nj"/"sj"/"ch", "Moh."/"Muh."/"Mohammad" → "muhammad",
"Noer"/"Noor" → "nur") and stored as HMAC digests (`sinergi.core.crypto.blind_index`, the project's blind
index key, its own purposes): one for the whole name and one per token. Equality is the only question the
index answers: "Siti Nur-Aini" and "SITI  NURAINI" are one name; "Siti" is not "Siti Aminah".

Each digest row records the fingerprint of the key it was made with, so that a changed
SINERGI_BLIND_INDEX_KEY is picked up by `manage.py rotate_field_keys` (see services.name_index).
"""

import hashlib
import re
import unicodedata

from django.conf import settings

from sinergi.core.crypto import blind_index

PURPOSE_FULL = "person_name"
PURPOSE_TOKEN = "person_name_token"  # noqa: S105 (an HMAC purpose label)
MAX_TOKENS = 12  # a name longer than this is cut: the index is for look-up, not for prose

_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_APOSTROPHES = re.compile(r"['’`ʼ]")
_SPACES = re.compile(r"\s+")
# Ejaan lama → EYD, applied inside a token (Soekarno → sukarno, Djoko → joko, Tjipto → cipto).
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))
# Whole-token variants of very common name parts.
_TOKEN_VARIANTS = {
    "m": "muhammad",
    "mhd": "muhammad",
    "moh": "muhammad",
    "muh": "muhammad",
    "mochammad": "muhammad",
    "mohammad": "muhammad",
    "mohamad": "muhammad",
    "muhamad": "muhammad",
    "mukhammad": "muhammad",
    "mokhammad": "muhammad",
    "mohamed": "muhammad",
    "noer": "nur",
    "noor": "nur",
    "nuur": "nur",
    "sitti": "siti",
}


def _fold(value: str) -> str:
    """NFKD without combining marks, casefolded: 'Ráfi' → 'rafi'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _token(raw: str) -> str:
    if raw in _TOKEN_VARIANTS:
        return _TOKEN_VARIANTS[raw]
    for old, new in _OLD_SPELLING:
        raw = raw.replace(old, new)
    return _TOKEN_VARIANTS.get(raw, raw)  # "mochammad" → "mokhammad" → "muhammad"


def name_tokens(name: str | None) -> list[str]:
    """The normalised tokens of a name, in order: 'Moh. Rizky  Djoyo-Koesoemo' → muhammad rizky joyo kusumo.

    An apostrophe joins (Ma'ruf → maruf); any other punctuation separates (Nur-Aini → nur aini).
    """
    if not name:
        return []
    value = _APOSTROPHES.sub("", _fold(name))
    value = _NON_WORD.sub(" ", value)
    tokens = [_token(part) for part in _SPACES.split(value.strip()) if part]
    return tokens[:MAX_TOKENS]


def normalize_name(name: str | None) -> str:
    return " ".join(name_tokens(name))


def full_name_digest(name: str | None) -> str:
    """Digest of the whole normalised name ("" when there is none)."""
    normalized = normalize_name(name)
    return blind_index(normalized, purpose=PURPOSE_FULL) if normalized else ""


def token_digests(name: str | None) -> list[str]:
    """One digest per distinct token, in the order they first appear."""
    seen: dict[str, None] = {}
    for token in name_tokens(name):
        seen.setdefault(blind_index(token, purpose=PURPOSE_TOKEN), None)
    return list(seen)


def key_fingerprint() -> str:
    """Which blind-index key the digests were made with (not the key: a one-way, separated hash of it)."""
    key = settings.SINERGI_BLIND_INDEX_KEY or ""
    return hashlib.sha256(b"sinergi-name-index-key\x00" + key.encode()).hexdigest()[:12]


def name_digests(name: str | None) -> list[tuple[str, str]]:
    """(kind, digest) rows of one name: ("full", …) then ("token", …) per distinct token; [] without a name."""
    full = full_name_digest(name)
    if not full:
        return []
    return [("full", full), *(("token", digest) for digest in token_digests(name))]
