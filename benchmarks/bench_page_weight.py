"""Page weight of the login and home pages: HTML plus every same-origin CSS/JS/image/link they load.

Budget: each page < 150 KB uncompressed (the office networks and phones Sinergi targets are slow).
Assets are read through the staticfiles finders, i.e. exactly the files `collectstatic` would ship.
Writes benchmarks/results/page_weight.json and prints a table. Run with `make bench`.
"""

import gzip
import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.notifications.tests.factories import NotificationFactory

BUDGET_BYTES = 150_000

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]


class _AssetCollector(HTMLParser):
    """Collects the URLs a browser would fetch for the page: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("href"):
            rel = (attributes.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel):
                self.urls.append(attributes["href"])
        elif tag in ("script", "img", "source") and attributes.get("src"):
            self.urls.append(attributes["src"])


def _same_origin_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path


def _asset_bytes(path: str, client) -> bytes:
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        assert found, f"{path} is referenced but no static file provides it"
        return Path(found).read_bytes()
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content


def _weigh(name: str, client, url: str) -> dict:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    collector = _AssetCollector()
    collector.feed(html.decode())
    external = [u for u in collector.urls if _same_origin_path(u) is None]
    assert external == [], f"{name} loads third-party assets: {external}"
    assets = {}
    for asset_url in dict.fromkeys(collector.urls):
        assets[asset_url] = _asset_bytes(_same_origin_path(asset_url), client)
    total = len(html) + sum(len(b) for b in assets.values())
    gzipped = len(gzip.compress(html)) + sum(len(gzip.compress(b)) for b in assets.values())
    return {
        "page": name,
        "url": url,
        "html_bytes": len(html),
        "assets": {u: len(b) for u, b in assets.items()},
        "total_bytes": total,
        "total_gzip_bytes": gzipped,
        "budget_bytes": BUDGET_BYTES,
        "queries": len(queries),
    }


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - developer tool, fixed arguments
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent,
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def test_login_and_home_pages_stay_under_the_weight_budget(client, make_user, client_for, results_dir):
    user = make_user(Role.SYSTEM_ADMIN, full_name="Administrator Sistem Kabupaten")
    # A full dashboard: the notifications card shows its maximum of five items; every placeholder shows.
    NotificationFactory.create_batch(8, recipient=user)

    rows = [
        _weigh("login", client, reverse("accounts:login")),
        _weigh("home", client_for(user), reverse("core:home")),
    ]

    print(f"\n{'page':<8}{'html':>10}{'assets':>10}{'total':>10}{'gzip':>10}{'budget':>10}{'queries':>9}")
    for row in rows:
        assets = row["total_bytes"] - row["html_bytes"]
        print(
            f"{row['page']:<8}{row['html_bytes']:>10,}{assets:>10,}{row['total_bytes']:>10,}"
            f"{row['total_gzip_bytes']:>10,}{row['budget_bytes']:>10,}{row['queries']:>9}"
        )
        for asset, size in row["assets"].items():
            print(f"    {asset:<50}{size:>10,}")

    (results_dir / "page_weight.json").write_text(
        json.dumps({"commit": _commit(), "unit": "bytes, uncompressed", "pages": rows}, indent=2) + "\n"
    )
    for row in rows:
        assert row["total_bytes"] < BUDGET_BYTES, f"{row['page']} weighs {row['total_bytes']:,} bytes"
