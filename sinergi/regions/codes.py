"""Kemendagri region codes (Kepmendagri 300.2.2-2138/2025): parsing and small pure helpers.

Dotted codes only: `PP` province, `PP.KK` kabupaten/kota, `PP.KK.CC` kecamatan, `PP.KK.CC.NNNN`
desa/kelurahan. BPS codes (7-digit kecamatan, 3-digit desa suffix) are a different scheme and are rejected.
"""

import re
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    PROVINCE = "province"
    REGENCY = "regency"
    DISTRICT = "district"
    VILLAGE = "village"


_LEVELS = (Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE)
# [0-9], not \d: \d also matches non-ASCII digits.
_CODE_RE = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")

# First digit of a desa/kelurahan segment (Kepmendagri 300.2.2-2138/2025).
VILLAGE_KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}


@dataclass(frozen=True)
class RegionCode:
    """A parsed dotted code; `segments` holds 1 to 4 digit strings."""

    segments: tuple[str, ...]

    @property
    def level(self) -> Level:
        return _LEVELS[len(self.segments) - 1]

    @property
    def code(self) -> str:
        return ".".join(self.segments)

    @property
    def province_code(self) -> str:
        return self.segments[0]

    @property
    def regency_code(self) -> str | None:
        return ".".join(self.segments[:2]) if len(self.segments) >= 2 else None

    @property
    def district_code(self) -> str | None:
        return ".".join(self.segments[:3]) if len(self.segments) >= 3 else None

    @property
    def parent_code(self) -> str | None:
        return ".".join(self.segments[:-1]) or None

    def __str__(self) -> str:
        return self.code


def is_region_code(value: object, *, level: Level | None = None) -> bool:
    """True when `value` is a well-formed dotted code (of `level`, when given)."""
    if not isinstance(value, str) or not _CODE_RE.fullmatch(value):
        return False
    return level is None or len(value.split(".")) == _LEVELS.index(level) + 1


def parse_region_code(value: str) -> RegionCode:
    """Parse a dotted Kemendagri code; raise ValueError for anything else (BPS codes, spaces...)."""
    if not isinstance(value, str) or not _CODE_RE.fullmatch(value):
        raise ValueError(f"Not a Kemendagri region code: {value!r}")
    return RegionCode(segments=tuple(value.split(".")))


def village_kind_from_code(code: str) -> str:
    """`kelurahan`, `desa` or `desa_adat`, from the first digit of the last segment."""
    parsed = parse_region_code(code)
    if parsed.level != Level.VILLAGE:
        raise ValueError(f"Not a desa/kelurahan code: {code!r}")
    try:
        return VILLAGE_KIND_BY_DIGIT[parsed.segments[-1][0]]
    except KeyError:
        raise ValueError(f"Unknown desa/kelurahan kind digit in {code!r}") from None
