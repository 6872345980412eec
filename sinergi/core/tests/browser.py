"""Shared set-up of the browser journeys (Playwright driving Debian's chromium, never a download)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE = {"width": 360, "height": 640}

# Recorded before any page script runs (Playwright init scripts are not subject to the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def chromium_launch_args(base: dict) -> dict:
    """Launch options for Debian's chromium; without it a failure on CI, a skip elsewhere."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: run `make browser` (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} not installed (run `make browser`).")
    return {**base, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
