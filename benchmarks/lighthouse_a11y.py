"""Lighthouse accessibility scores of the main pages of a running demo (`make demo`), per role, at phone
and desktop width. Not part of `make test` (it needs Node.js and the npm package `lighthouse`, installed
on demand into var/lighthouse); run it by hand:

    .venv/bin/python benchmarks/lighthouse_a11y.py [--url http://127.0.0.1:8000]

It signs each demo user in by writing a verified session (password and second factor done) into the
demo database, so Lighthouse reads the pages as that user would see them. Demo users only: it refuses
any account that is not one of the fictional demo logins. Results: benchmarks/results/lighthouse.json/.md.
"""

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from sinergi.accounts.models import User  # noqa: E402
from sinergi.demo.people import DEMO_USERNAMES  # noqa: E402

LIGHTHOUSE_VERSION = "12"
TOOL_DIR = ROOT / "var" / "lighthouse"
PAGES = [
    ("", "/accounts/login/"),
    ("", "/lapor/"),
    ("", "/ila/64.02/"),
    ("kasus", "/"),
    ("kasus", "/cases/"),
    ("kasus", "/cases/new/"),
    ("kasus", "<first case>"),
    ("dinsos", "/cases/referrals/"),
    ("sekretariat", "/taskforces/"),
    ("opd", "/kla/"),
    ("humas", "/publications/"),
    ("kadis", "/maps/"),
    ("kadis", "/audit/"),
]


def lighthouse_bin() -> Path:
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            sys.exit("npm is needed (Node.js) to install lighthouse")
        TOOL_DIR.mkdir(parents=True, exist_ok=True)
        npm = ["npm", "install", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"]
        subprocess.run(npm, cwd=TOOL_DIR, check=True)  # noqa: S603 — fixed arguments
    return binary


def session_cookie(username: str) -> str:
    if username not in DEMO_USERNAMES:
        raise SystemExit(f"{username} is not a demo login")
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that loads users (the first is django-axes' lockout check, which loads nobody).
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def first_case_path(username: str) -> str:
    from sinergi.cases.selectors import case_queryset_for_user

    case = case_queryset_for_user(user=User.objects.get(username=username)).order_by("-reported_on").first()
    return f"/cases/{case.pk}/"


def run(url: str, binary: Path, path: str, cookie: str, phone: bool) -> dict:
    args = [
        str(binary),
        url.rstrip("/") + path,
        "--only-categories=accessibility",
        "--output=json",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--throttling-method=provided",
    ]
    if not phone:
        args.append("--preset=desktop")
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=240)  # noqa: S603
    if out.returncode != 0:
        return {"error": out.stderr[-500:]}
    report = json.loads(out.stdout)
    failed = [
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    return {
        "score": round(report["categories"]["accessibility"]["score"] * 100),
        "failed_audits": failed,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    options = parser.parse_args()
    binary = lighthouse_bin()
    rows = []
    for username, path in PAGES:
        cookie = session_cookie(username) if username else ""
        if path == "<first case>":
            path = first_case_path(username)
        for phone in (True, False):
            result = run(options.url, binary, path, cookie, phone)
            row = {"user": username or "(public)", "path": path, "viewport": "phone" if phone else "desktop", **result}
            print(json.dumps(row), flush=True)
            rows.append(row)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()  # noqa: S603
    results = ROOT / "benchmarks" / "results"
    meta = {"lighthouse": version, "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    (results / "lighthouse.json").write_text(json.dumps({**meta, "pages": rows}, indent=2) + "\n")
    lines = [
        "# Lighthouse accessibility (running demo)",
        "",
        f"- lighthouse {version}, Debian chromium, {meta['written_at']}",
        "",
        "| user | page | viewport | score | failed audits |",
        "|---|---|---|---:|---|",
    ]
    for row in rows:
        failed = ", ".join(row.get("failed_audits", [])) or row.get("error", "")[:80]
        shown = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", row["path"])
        lines.append(f"| {row['user']} | `{shown}` | {row['viewport']} | {row.get('score', '—')} | {failed} |")
    (results / "lighthouse.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
