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


# ---- Helpers for journeys (new tests use these; older files still carry their own copies) ----------


def totp_token(device) -> str:
    """The code an authenticator app shows now for a django-otp TOTP device."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(page, base_url: str, username: str, password: str, *, device=None, next_path: str = "/") -> None:
    """Sign in through the login page, and pass the TOTP step when `device` is given."""
    import re

    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(password)
    page.locator("main form[action$='/accounts/login/'] button[type='submit']").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
        page.locator("main input[name='token']").fill(totp_token(device))
        page.locator("main form[action$='/accounts/2fa/verify/'] button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


def assert_fits(page, width: int = MOBILE["width"]) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            "w => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w)"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
            width,
        )
        print("overflowing:", culprits)
    assert scroll_width <= width, f"horizontal overflow at {width}px: scrollWidth={scroll_width} on {page.url}"


def assert_no_csp_violations(page) -> None:
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], violations
