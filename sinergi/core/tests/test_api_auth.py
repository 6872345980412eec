"""Every API endpoint requires authentication unless it is documented as public."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

# Endpoints that are public by design (documented as such in the OpenAPI document).
PUBLIC_API_PREFIXES = ("/api/v1/public/",)
FIXED_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _iter_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _iter_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


# Sample values a URL parameter can take (fixed: xdist workers must collect identical test names). A
# regex group (re_path) takes the first sample its expression matches; the path must then resolve, or
# the anonymous request would be a 404 that proves nothing.
SAMPLE_VALUES = ("64.02", "kecamatan", "2026", str(FIXED_ID), "x")
CONVERTER_VALUES = {"uuid": str(FIXED_ID), "int": "2026", "str": "64.02", "slug": "64.02", "path": "x"}


def _regex_sample(match: re.Match) -> str:
    expression = match.group(2)
    return next(value for value in SAMPLE_VALUES if re.fullmatch(expression, value))


def _api_paths():
    paths = []
    for route in _iter_patterns(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        path = "/" + re.sub(r"(?<!\[)\^|\$$", "", route)  # re_path anchors, not a negated class
        path = re.sub(r"\(\?P<(\w+)>([^()]*)\)", _regex_sample, path)
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_VALUES.get(m.group(1) or "str", "x"), path)
        paths.append(path.replace("\\.", "."))
    return sorted(set(paths))


def test_there_are_api_endpoints():
    assert len(_api_paths()) >= 3


def test_every_sample_path_resolves():
    for path in _api_paths():
        resolve(path)  # raises Resolver404 for a sample value its pattern refuses


@pytest.mark.django_db
@pytest.mark.parametrize("path", _api_paths())
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_request_is_refused(path, method):
    if path.startswith(PUBLIC_API_PREFIXES):
        pytest.skip("documented public endpoint")
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code in (401, 403, 405), (path, response.status_code)
    if response.status_code != 405:
        assert "error" in response.json()


@pytest.mark.django_db
def test_schema_requires_authentication():
    assert Client().get("/api/schema/").status_code in (401, 403)
