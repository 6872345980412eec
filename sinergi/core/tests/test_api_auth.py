"""Every API endpoint requires authentication unless it is documented as public."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Endpoints that are public by design (documented as such in the OpenAPI document).
PUBLIC_API_PREFIXES = ("/api/v1/public/",)
FIXED_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _iter_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _iter_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _api_paths():
    paths = []
    for route in _iter_patterns(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        path = "/" + route
        # A fixed id: xdist workers must collect identical test names.
        path = re.sub(r"<uuid:[a-z_]+>", str(FIXED_ID), path)
        path = path.replace("<str:code>", "64.02").replace("<slug:code>", "64.02")
        # Any other converter: fill with a plausible value.
        path = re.sub(r"<[^>]+>", "x", path)
        paths.append(path.replace("^", "").replace("$", ""))
    return sorted(set(paths))


def test_there_are_api_endpoints():
    assert len(_api_paths()) >= 3


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
