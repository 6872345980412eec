"""Place names from the vendored region data (sinergi/regions/data), read once per process.

Village (desa/kelurahan) names are identity proxies for a child (PPRA pasal 1); kecamatan, kabupaten and
province names are the usual safe level. Read straight from the vendored CSVs (no database), so the
command-line checker works before `load_regions` has run.
"""

from dataclasses import dataclass
from functools import lru_cache

from sinergi.regions.sources import iter_region_rows

from .text import fold


@dataclass(frozen=True)
class Gazetteer:
    villages: frozenset[str]  # folded names
    safe_places: frozenset[str]  # kecamatan, kabupaten/kota, province names (folded)
    max_words: int


def _clean(name: str) -> str:
    return " ".join(fold(name).replace("(", " ").replace(")", " ").split())


def _regency_name(name: str) -> str:
    for prefix in ("kabupaten ", "kota adm. ", "kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@lru_cache(maxsize=1)
def _national() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Villages by regency code, and every safe (kecamatan and above) place name."""
    by_regency: dict[str, set[str]] = {}
    for code, _parent, name in iter_region_rows("villages"):
        by_regency.setdefault(code[:5], set()).add(_clean(name))
    safe: set[str] = set()
    for table in ("provinces", "regencies", "districts"):
        for _code, _parent, name in iter_region_rows(table):
            clean = _clean(name)
            safe.add(clean)
            safe.add(_regency_name(clean))
    return {k: frozenset(v) for k, v in by_regency.items()}, frozenset(safe)


@lru_cache(maxsize=64)
def gazetteer(regency_code: str | None = None) -> Gazetteer:
    """Villages of one kabupaten/kota (or of the whole country when no code is given)."""
    by_regency, safe = _national()
    villages = by_regency.get(regency_code, frozenset()) if regency_code else frozenset().union(*by_regency.values())
    # A name that is also a kecamatan is ambiguous: kecamatan level is safe, so it is not a village hit.
    villages = frozenset(v for v in villages if v not in safe and len(v) > 3)
    return Gazetteer(
        villages=villages, safe_places=safe, max_words=max((v.count(" ") + 1 for v in villages), default=1)
    )
