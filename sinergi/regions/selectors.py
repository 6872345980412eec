"""Reads of the region tables: lookups by code and name, tenant-scoped pickers, labels, boundaries.

Region reference data is public information; what is scoped is the picker used inside a tenant's
forms (`*_for_user`): a user only picks kecamatan and desa/kelurahan of their own kabupaten/kota.
"""

import json
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .codes import Level, is_region_code, parse_region_code
from .models import District, Province, Regency, Village
from .sources import BOUNDARIES_DIR, BOUNDARY_LEVELS, boundary_path, read_gzip_bytes

SEARCH_LIMIT = 20

ERROR_UNKNOWN_DISTRICT = _("Unknown kecamatan.")
ERROR_UNKNOWN_VILLAGE = _("Unknown desa/kelurahan.")
ERROR_DISTRICT_NOT_IN_REGENCY = _("This kecamatan is not in the selected kabupaten/kota.")
ERROR_VILLAGE_NOT_IN_DISTRICT = _("This desa/kelurahan is not in the selected kecamatan.")

# Indonesian administrative prefix, kept verbatim in every UI language (see Village.prefixed_name).
_DISTRICT_PREFIX = "Kec."


# ---- Lookups by code -------------------------------------------------------------------------


def province_get(*, code: str) -> Province | None:
    return Province.objects.filter(code=code).first() if is_region_code(code, level=Level.PROVINCE) else None


def regency_get(*, code: str) -> Regency | None:
    if not is_region_code(code, level=Level.REGENCY):
        return None
    return Regency.objects.select_related("province").filter(code=code).first()


def district_get(*, code: str) -> District | None:
    if not is_region_code(code, level=Level.DISTRICT):
        return None
    return District.objects.select_related("regency__province").filter(code=code).first()


def village_get(*, code: str) -> Village | None:
    if not is_region_code(code, level=Level.VILLAGE):
        return None
    return Village.objects.select_related("district__regency__province").filter(code=code).first()


# ---- Lists and name search (case-insensitive contains) ----------------------------------------


def _named(queryset: QuerySet, q: str | None) -> QuerySet:
    q = (q or "").strip()
    return queryset.filter(name__icontains=q) if q else queryset


def province_list(*, q: str | None = None) -> QuerySet[Province]:
    return _named(Province.objects.all(), q)


def regency_list(*, province_code: str | None = None, q: str | None = None) -> QuerySet[Regency]:
    queryset = Regency.objects.select_related("province")
    if province_code:
        queryset = queryset.filter(province_id=province_code)
    return _named(queryset, q)


def district_list(*, regency_code: str | None = None, q: str | None = None) -> QuerySet[District]:
    queryset = District.objects.select_related("regency")
    if regency_code:
        queryset = queryset.filter(regency_id=regency_code)
    return _named(queryset, q)


def village_list(
    *,
    district_code: str | None = None,
    regency_code: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Village]:
    queryset = Village.objects.select_related("district")
    if district_code:
        queryset = queryset.filter(district_id=district_code)
    if regency_code:
        queryset = queryset.filter(district__regency_id=regency_code)
    if kind:
        queryset = queryset.filter(kind=kind)
    return _named(queryset, q)


def regency_search(*, q: str, limit: int = SEARCH_LIMIT) -> list[Regency]:
    return list(regency_list(q=q)[:limit]) if q.strip() else []


def district_search(*, q: str, regency_code: str | None = None, limit: int = SEARCH_LIMIT) -> list[District]:
    return list(district_list(regency_code=regency_code, q=q)[:limit]) if q.strip() else []


def village_search(
    *, q: str, district_code: str | None = None, regency_code: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Village]:
    if not q.strip():
        return []
    return list(village_list(district_code=district_code, regency_code=regency_code, q=q)[:limit])


def districts_for_regency(*, regency_code: str) -> QuerySet[District]:
    return District.objects.filter(regency_id=regency_code)


def villages_for_district(*, district_code: str) -> QuerySet[Village]:
    return Village.objects.filter(district_id=district_code)


# ---- Tenant-scoped pickers (HTML forms): anything outside the user's regency is "not found" ---------


def user_regency_code(*, user: Any) -> str | None:
    tenant = getattr(user, "tenant", None) if getattr(user, "tenant_id", None) else None
    return tenant.regency_id if tenant is not None else None


def districts_for_user(*, user: Any, q: str | None = None) -> QuerySet[District]:
    regency_code = user_regency_code(user=user)
    if regency_code is None:
        return District.objects.none()
    return _named(districts_for_regency(regency_code=regency_code), q)


def district_get_for_user(*, user: Any, code: str) -> District | None:
    """The kecamatan if it lies in the user's kabupaten/kota, else None (callers answer 404)."""
    if not is_region_code(code, level=Level.DISTRICT):
        return None
    return districts_for_user(user=user).filter(code=code).first()


# ---- Labels ----------------------------------------------------------------------------------


def village_label(village: Village, *, with_district: bool = True) -> str:
    label = village.prefixed_name
    return f"{label}, {_DISTRICT_PREFIX} {village.district.name}" if with_district else label


def region_label(code: str, *, with_regency: bool = False) -> str:
    """Human label for any code: "Kel. X, Kec. Y" / "Desa X, Kec. Y" / "Kec. Y" / regency or province
    name. Unknown codes come back unchanged, so a label is never blank."""
    if not is_region_code(code):
        return code
    level = parse_region_code(code).level
    if level == Level.PROVINCE:
        province = province_get(code=code)
        return province.name if province else code
    if level == Level.REGENCY:
        regency = regency_get(code=code)
        return regency.name if regency else code
    if level == Level.DISTRICT:
        district = district_get(code=code)
        if district is None:
            return code
        label = f"{_DISTRICT_PREFIX} {district.name}"
        return f"{label}, {district.regency.name}" if with_regency else label
    village = village_get(code=code)
    if village is None:
        return code
    label = village_label(village)
    return f"{label}, {village.district.regency.name}" if with_regency else label


# ---- Validation helpers (for services and forms) ----------------------------------------------


def validate_district_in_regency(regency_code: str, district_code: str) -> District:
    """Return the kecamatan, or raise ValidationError if unknown or in another kabupaten/kota."""
    district = district_get(code=district_code)
    if district is None:
        raise ValidationError(ERROR_UNKNOWN_DISTRICT, code="unknown_district")
    if district.regency_id != regency_code:
        raise ValidationError(ERROR_DISTRICT_NOT_IN_REGENCY, code="district_not_in_regency")
    return district


def validate_village_in_district(district_code: str, village_code: str) -> Village:
    """Return the desa/kelurahan, or raise ValidationError if unknown or in another kecamatan."""
    village = village_get(code=village_code)
    if village is None:
        raise ValidationError(ERROR_UNKNOWN_VILLAGE, code="unknown_village")
    if village.district_id != district_code:
        raise ValidationError(ERROR_VILLAGE_NOT_IN_DISTRICT, code="village_not_in_district")
    return village


# ---- Boundaries (vendored GeoJSON, seed regencies only) ----------------------------------------


@lru_cache(maxsize=32)
def _boundary_bytes(level: str, regency_code: str) -> bytes | None:
    path = boundary_path(level=level, regency_code=regency_code, boundaries_dir=BOUNDARIES_DIR)
    if not path.exists():
        return None
    payload = read_gzip_bytes(path)
    if level != "kabupaten_kota":
        return payload
    # The regency outlines share one file: keep only the requested one.
    features = [f for f in json.loads(payload)["features"] if f["properties"]["code"] == regency_code]
    if not features:
        return None
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def boundaries_geojson_bytes(*, level: str, regency_code: str) -> bytes | None:
    """Raw GeoJSON (UTF-8) of one level of one regency, or None when it is not vendored. Cached."""
    if level not in BOUNDARY_LEVELS:
        raise ValueError(f"Unknown boundary level: {level!r}")
    if not is_region_code(regency_code, level=Level.REGENCY):
        raise ValueError(f"Not a kabupaten/kota code: {regency_code!r}")
    return _boundary_bytes(level, regency_code)


def boundaries_geojson(*, level: str, regency_code: str) -> dict:
    """GeoJSON FeatureCollection of `level` ("kabupaten_kota", "kecamatan" or "desa_kelurahan") for
    one regency; an empty FeatureCollection when none is vendored. Each call returns a fresh dict
    (safe to add properties for a choropleth); the decompressed file is cached."""
    payload = boundaries_geojson_bytes(level=level, regency_code=regency_code)
    if payload is None:
        return {"type": "FeatureCollection", "features": []}
    return json.loads(payload)
