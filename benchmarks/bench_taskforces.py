"""Task forces under load: 5,000 meetings and 50,000 agreements owned by 20 agencies in one kabupaten,
then server time and SQL queries of the secretariat's matrix and of an agency's home (its commitments),
the UANG table (completeness per body for a year), and the time to render one invitation PDF and one
follow-up report PDF.

Run with `make bench` (SQLite) or `DATABASE_URL=postgres://… make bench`. Sizes: BENCH_TF_MEETINGS
(default 5000), BENCH_TF_AGREEMENTS (default 50000). Repetitions: BENCH_REPEAT (default 30).
Results: benchmarks/results/taskforces_<vendor>.json and .md.
"""

import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from faker import Faker

pytestmark = pytest.mark.benchmark

N_MEETINGS = int(os.environ.get("BENCH_TF_MEETINGS", "5000"))
N_AGREEMENTS = int(os.environ.get("BENCH_TF_AGREEMENTS", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
WARMUP = 3
TARGET_P95_MS = 150.0
RESULTS = Path(__file__).resolve().parent / "results"
WITA = ZoneInfo("Asia/Makassar")


def _seed(tenant, secretariat):
    from sinergi.taskforces import services
    from sinergi.taskforces.models import Agreement, AgreementStatus, Attendance, Invitation, Meeting
    from sinergi.tenants.models import Agency, Signatory
    from sinergi.tenants.tests.factories import AgencyFactory

    random.seed(0)
    Faker.seed(0)
    tenant.timezone = "Asia/Makassar"
    tenant.save()
    Signatory.objects.create(
        tenant=tenant, name="Kepala Dinas (bench)", position="Kepala Dinas", nip="197001011990031001", is_default=True
    )
    kinds = [Agency.Kind.DINSOS, Agency.Kind.DISDIK, Agency.Kind.DINKES, Agency.Kind.DISDUKCAPIL, Agency.Kind.OTHER]
    agencies = [
        AgencyFactory(tenant=tenant, kind=kinds[i % len(kinds)], name=f"Dinas {i}", short_name=f"OPD {i:02d}")
        for i in range(20)
    ]
    body = services.body_create(actor=secretariat, tenant=tenant, kind="gugus_tugas_kla", name="Gugus Tugas KLA")
    members = [
        services.member_add(actor=secretariat, body=body, agency=a, contact_email=f"opd{i}@example.test")
        for i, a in enumerate(agencies)
    ]
    start = dt.datetime(2022, 1, 3, 9, 0, tzinfo=WITA)
    meetings = [
        Meeting(
            tenant=tenant,
            body=body,
            type="rakor",
            status="held",
            title=f"Rakor {i}",
            starts_at=start + dt.timedelta(hours=9 * i),
            venue="Ruang Rapat",
        )
        for i in range(N_MEETINGS)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=m, member=members[(i + k) % len(members)])
            for i, m in enumerate(meetings)
            for k in range(3)
        ],
        batch_size=2000,
    )
    statuses = [s.value for s in AgreementStatus]
    per_meeting = max(1, N_AGREEMENTS // N_MEETINGS)
    rows = []
    for i, meeting in enumerate(meetings):
        for n in range(1, per_meeting + 1):
            status = random.choice(statuses)
            due = meeting.starts_at.date() + dt.timedelta(days=random.randint(14, 180))
            rows.append(
                Agreement(
                    tenant=tenant,
                    meeting=meeting,
                    number=n,
                    text=f"Kesepakatan {i}.{n}",
                    owner=agencies[random.randrange(len(agencies))],
                    due_on=due,
                    status=status,
                    dropped_reason="Tidak relevan" if status == "dropped" else "",
                    progress=100 if status == "done" else random.randint(0, 90),
                    done_on=due - dt.timedelta(days=random.randint(-10, 10)) if status == "done" else None,
                )
            )
    Agreement.objects.bulk_create(rows, batch_size=2000)
    # UANG evidence for the UANG table: a letter on half the meetings, minutes on a third, attendance on a
    # quarter (photos are documents with encrypted blobs: not seeded here, their query is measured anyway).
    issued = [m for i, m in enumerate(meetings) if i % 2 == 0]
    for m in issued:
        m.letter_number = f"005/{m.title}"
    Meeting.objects.bulk_update(issued, ["letter_number"], batch_size=1000)
    minuted = [m for i, m in enumerate(meetings) if i % 3 == 0]
    for m in minuted:
        m.minutes_saved_at = m.starts_at
    Meeting.objects.bulk_update(minuted, ["minutes_saved_at"], batch_size=1000)
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=m, identity=f"n:peserta {k}", name=f"Peserta {k}", method="manual", checked_in_at=m.starts_at
            )
            for i, m in enumerate(meetings)
            if i % 4 == 0
            for k in range(5)
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: planner statistics and the visibility map (index-only
        # scans). Possible because this test commits (transaction=True). SQLite gets no ANALYZE.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return agencies, meetings


def _measure(call, *, expect: int = 200) -> dict:
    for _ in range(WARMUP):
        assert call().status_code == expect
    times, queries = [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == expect
        queries.append(len(ctx.captured_queries))
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "queries": max(queries),
        "queries_min": min(queries),
    }


def _time(call, n: int = 5) -> float:
    call()
    t0 = time.perf_counter()
    for _ in range(n):
        call()
    return round((time.perf_counter() - t0) * 1000 / n, 1)


@pytest.mark.django_db(transaction=True)
def test_matrix_and_agency_home_at_50000_agreements(tenant, make_user, client_for):
    from sinergi.accounts.roles import Role
    from sinergi.taskforces import selectors, services
    from sinergi.taskforces.models import Agreement

    secretariat = make_user(Role.TASKFORCE_SECRETARIAT)
    t0 = time.perf_counter()
    agencies, meetings = _seed(tenant, secretariat)
    seed_s = round(time.perf_counter() - t0, 1)
    staff = make_user(Role.SERVICE_PROVIDER, agency=agencies[3])
    secretariat_client, staff_client = client_for(secretariat), client_for(staff)
    results = {
        "matrix (secretariat)": _measure(lambda: secretariat_client.get(reverse("taskforces:matrix"))),
        "matrix 2023 (secretariat)": _measure(
            lambda: secretariat_client.get(reverse("taskforces:matrix") + "?year=2023")
        ),
        "matrix API (secretariat)": _measure(lambda: secretariat_client.get("/api/v1/taskforces/matrix/")),
        "UANG table 2023 (secretariat)": _measure(
            lambda: secretariat_client.get(reverse("taskforces:uang") + "?year=2023")
        ),
        "agency home / commitments (agency staff)": _measure(
            lambda: staff_client.get(reverse("taskforces:commitments"))
        ),
        "agreements API ?mine (agency staff)": _measure(
            lambda: staff_client.get("/api/v1/taskforces/agreements/?mine=true")
        ),
    }
    meeting = meetings[-1]
    services.invitation_issue(actor=secretariat, meeting=meeting)
    meeting.refresh_from_db()
    agreements = selectors.agreements_for_meeting(user=secretariat, meeting=meeting)
    pdf = {
        "invitation_pdf_ms": _time(lambda: services.invitation_pdf(meeting=meeting)),
        "followup_report_pdf_ms": _time(
            lambda: services.followup_report_pdf(
                meeting=meeting, agreements=selectors.agreements_for_meeting(user=secretariat, meeting=meeting)
            )
        ),
        "followup_report_agreements": len(agreements),
    }
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.strip()
    payload = {
        "commit": commit,
        "vendor": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "meetings": len(meetings),
        "agreements": Agreement.objects.count(),
        "seed_s": seed_s,
        "repeat": REPEAT,
        "pages": results,
        **pdf,
    }
    RESULTS.mkdir(exist_ok=True)
    name = f"taskforces_{connection.vendor}"
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2))
    lines = [
        f"# Task forces benchmark ({connection.vendor}, commit {commit})",
        "",
        f"{payload['meetings']:,} meetings, {payload['agreements']:,} agreements, 20 agencies; {payload['machine']}; "
        f"{REPEAT} runs after {WARMUP} warm-ups.",
        "",
        f"| page | p50 ms | p95 ms | max ms | SQL queries | p95 ≤ {TARGET_P95_MS:.0f} ms |",
        "|---|---|---|---|---|---|",
    ]
    for page, r in results.items():
        ok = "yes" if r["p95_ms"] <= TARGET_P95_MS else "**no**"
        lines.append(f"| {page} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['queries']} | {ok} |")
    lines += [
        "",
        f"Invitation PDF: {pdf['invitation_pdf_ms']} ms each; follow-up report PDF "
        f"({pdf['followup_report_agreements']} agreements): {pdf['followup_report_pdf_ms']} ms each.",
        "",
    ]
    (RESULTS / f"{name}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    for page, r in results.items():
        assert r["queries"] == r["queries_min"], f"{page}: the query count varies between runs"
