"""A walk through every page the demo personas can reach, as they would click it: following the links,
the htmx fragments (hx-get) and the forms' GET actions of each page, in Indonesian.

What a user would notice and no unit test of one page catches: a server error behind a link, a select
that offers "---------", an English word left in the Indonesian interface, a link that points at a page
that does not exist."""

import io
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings

from sinergi.accounts.models import User

pytestmark = [pytest.mark.django_db]

SEED_CODES = "64.02,64.01,16.08,35.71"
PERSONAS = ("kadis", "kasus", "dinsos", "satgas", "sekretariat", "opd", "humas", "analis", "admin")
MAX_PAGES_PER_PERSONA = 160

# Pages that change state on GET (none should) or hand out files rather than pages.
SKIP = re.compile(
    r"^/(?:api/|admin/|static/|media/|i18n/|accounts/logout|metrics|health)"
    r"|\.(?:pdf|csv|xlsx|docx|zip|ics|json|svg|png|jpe?g)(?:$|\?)"
    r"|/(?:download|unduh|pdf|export|ics|feed|letter|surat|file|thumbnail|preview|blurred)/?(?:$|\?)"
)
LINK = re.compile(r'\s(?:href|hx-get)="([^"#][^"]*)"')
GET_FORM = re.compile(r'<form(?![^>]*method="post")[^>]*\saction="([^"]+)"', re.IGNORECASE)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TAG = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.DOTALL | re.IGNORECASE)

# English interface words that have an Indonesian translation everywhere in the catalogue: if one of
# them shows as a whole word in an Indonesian page's visible text, a string escaped translation.
ENGLISH = re.compile(
    r"\b(?:Save|Submit|Cancel|Search|Delete|Edit|Back|Next|Previous|Choose|Select|Trafficking|Unknown"
    r"|Yes|None|Close|Download|Upload|Created|Updated|Details|Actions?|Filter|Apply|Reset"
    r"|Required|Optional|Loading|Page|of)\b"
)


def _interface_text(html: str) -> list[str]:
    parts = re.findall(
        r"<(?:label|button|th|h[1-4]|legend|summary|option)\b[^>]*>(.*?)</(?:label|button|th|h[1-4]|legend|summary|option)>",
        html,
        re.DOTALL | re.IGNORECASE,
    )
    return [" ".join(TAG.sub(" ", p).split()) for p in parts]


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_regions", "--only", SEED_CODES, stdout=out)
    call_command("demo_seed", "--cases", "24", stdout=out, stderr=io.StringIO())


def _crawl(client) -> dict[str, tuple[int, str, str]]:
    """Every page reached: url -> (status, html, the page that linked to it)."""
    seen: dict[str, tuple[int, str, str]] = {}
    queue = deque([("/", "")])
    while queue and len(seen) < MAX_PAGES_PER_PERSONA:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="id", follow=False)
        body = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        seen[url] = (response.status_code, body, referrer)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append((response["Location"], url))
        for raw in LINK.findall(body) + GET_FORM.findall(body):
            target = urldefrag(urljoin(url, raw.replace("&amp;", "&")))[0]
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or SKIP.search(target):
                continue
            if target not in seen:
                queue.append((target, url))
    return seen


@override_settings(SINERGI_AUDIT_STRICT_EVENTS=True)
def test_every_reachable_page_is_indonesian_without_dashes_or_server_errors(demo, client_for):
    problems = []
    for username in PERSONAS:
        pages = _crawl(client_for(User.objects.get(username=username)))
        assert len(pages) > 5, f"{username} reached only {sorted(pages)}"
        for url, (status, body, referrer) in pages.items():
            where = f"{username} {url}"
            if status >= 500:
                problems.append(f"{where}: HTTP {status}")
            # A notice outlives the access it announced (a declined referral, a report given to a
            # colleague): its link may answer 404 by design. Every other dead link is a bug.
            if status == 404 and not referrer.startswith("/notifications/"):
                problems.append(f"{where}: linked from {referrer}, does not exist")
            if "---------" in body:
                problems.append(f"{where}: a '---------' placeholder")
            for text in _interface_text(body):
                match = ENGLISH.search(text)
                if match:
                    problems.append(f"{where}: English {match.group(0)!r} in {text[:80]!r}")
    # One line per kind of page: the same placeholder on 24 indicator pages is one finding.
    problems = sorted({UUID.sub("<id>", p) for p in problems})
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])
