"""Shared set-up of the browser journeys (Playwright driving Debian's chromium, never a download)."""

import os
import re
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


DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000


def totp_token(device) -> str:
    """The current code of a TOTP device, as the user's authenticator app would show it."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def submit_login(page, user, device=None) -> None:
    """Fill and send the login form the page shows; with a TOTP device, also the second factor."""
    from sinergi.accounts.tests.factories import TEST_PASSWORD

    page.locator("main input[name='username']").fill(user.username)
    page.locator("main input[name='password']").fill(TEST_PASSWORD)
    page.locator("main form[action$='/accounts/login/'] button[type='submit']").click()
    if device is not None:
        page.wait_for_url(re.compile(r"/accounts/2fa/verify/"))
        page.locator("main input[name='token'], main input[name='otp_token']").fill(totp_token(device))
        page.locator("main form[action$='/accounts/2fa/verify/'] button[type='submit']").click()


def log_in(page, base_url: str, user, next_path: str, device=None) -> None:
    """Log in through the login page and land on `next_path`."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    submit_login(page, user, device)
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


def assert_no_csp_violations(page, console: list[str] | None = None) -> None:
    """No CSP violation was reported (CSP_LISTENER), nor, with `console`, a CSP message or page error."""
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], violations
    if console is not None:
        csp_messages = [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")]
        assert csp_messages == [], csp_messages


def assert_fits(page, width: int = MOBILE["width"]) -> None:
    """No horizontal scrolling at `width` (360 px, a small phone, by default)."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"horizontal overflow at {width}px: scrollWidth={scroll_width} on {page.url}"


def with_totp(user):
    """A confirmed TOTP device for `user` (the code comes from totp_token)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def axe_violations(page, base_url: str) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core (vendored, static/vendor/axe-core) finds on the open page."""
    page.add_script_tag(url=base_url + "/static/vendor/axe-core/axe.min.js")
    return page.evaluate(AXE_RUN)
