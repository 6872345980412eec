"""Helper of scripts/rehearse_scale_out.sh (not run in CI): seed, huey worker with a marked task, load runs.

python scripts/rehearse_scale_out.py seed USERS.json COUNT   -> COUNT case managers with TOTP, one case each
python scripts/rehearse_scale_out.py worker                  -> a huey consumer that also knows `rehearsal_mark`
python scripts/rehearse_scale_out.py enqueue N
python scripts/rehearse_scale_out.py load URL USERS.json FIRST USERS SECONDS OUT.json [PID_TO_STOP_HALFWAY]
python scripts/rehearse_scale_out.py consistency URL USERS.json FIRST OUT.json

Every simulated user signs in like a browser (login form, then the TOTP step that case managers must
pass), from its own loopback address (127.0.1.N), so nginx's X-Forwarded-For and the app's trusted-proxy
setting give each user its own address for rate limits and lockouts, as in production.
"""

import json
import os
import re
import signal
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
PASSWORD = "Rehearsal-Pa55word-only!"  # noqa: S105 - throw-away users of a loopback rehearsal
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _django():
    import django

    django.setup()


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def _task():
    from huey.contrib.djhuey import HUEY

    @HUEY.task(name="rehearsal_mark")
    def rehearsal_mark(item: int) -> None:
        # Idempotent: counts each execution, marks the item done once (SET NX); a re-run changes nothing.
        r = _redis()
        r.incr(f"rehearsal:runs:{item}")
        time.sleep(0.05)
        r.set(f"rehearsal:done:{item}", "1", nx=True)

    return rehearsal_mark


def seed(out: str, count: int) -> None:
    """Case managers (a role that must pass TOTP) with a confirmed TOTP device and one case each."""
    _django()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sinergi.accounts.roles import Role
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.cases.tests.factories import make_case
    from sinergi.tenants.tests.factories import TenantFactory

    tenant = TenantFactory(code="64.02")
    rows = []
    for n in range(count):
        user = UserFactory(username=f"rh{n}", role=Role.CASE_MANAGER, tenant=tenant)
        user.set_password(PASSWORD)
        user.save()
        device = TOTPDevice.objects.create(user=user, name="rehearsal", confirmed=True)
        rows.append({"username": user.username, "totp_key": device.key, "case": str(make_case(user, tenant).pk)})
    path = Path(out)
    path.write_text(json.dumps(rows))
    path.chmod(0o600)  # TOTP keys of throw-away users, removed with the work folder
    print(f"{count} users, {count} cases")


def worker() -> None:
    _django()
    _task()
    from django.core.management import call_command

    call_command("run_huey", workers=2, worker_type="thread")


def enqueue(count: int) -> None:
    _django()
    task = _task()
    for item in range(count):
        task(item)


# ---- HTTP clients ------------------------------------------------------------------------------


def _session(n: int):
    """A browser of user n, connecting from its own loopback address 127.0.1.<n+1>."""
    import requests
    from requests.adapters import HTTPAdapter

    class _FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (f"127.0.1.{n + 1}", 0)
            super().init_poolmanager(*args, **kwargs)

    s = requests.Session()
    s.mount("http://", _FromAddress())
    return s


def _form_token(s, url: str) -> str:
    page = s.get(url, timeout=15)
    match = _CSRF_RE.search(page.text)
    if page.status_code != 200 or match is None:
        raise RuntimeError(f"GET {url}: {page.status_code}, no csrfmiddlewaretoken in the form")
    return match.group(1)


def _totp(key_hex: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def sign_in(s, base: str, user: dict) -> None:
    """Log in as a browser does: login form, then the TOTP step; raise if we do not end up signed in."""
    origin = {"Origin": base}  # a browser's POST carries Origin; Django checks it against the Host nginx passes
    login = f"{base}/accounts/login/"
    r = s.post(
        login,
        data={"username": user["username"], "password": PASSWORD, "csrfmiddlewaretoken": _form_token(s, login)},
        headers={**origin, "Referer": login},
        allow_redirects=False,
        timeout=15,
    )
    if r.status_code != 302 or "/accounts/2fa/verify/" not in r.headers.get("Location", ""):
        raise RuntimeError(f"login of {user['username']}: {r.status_code} {r.headers.get('Location')}")
    verify = f"{base}/accounts/2fa/verify/"
    r = s.post(
        verify,
        data={"token": _totp(user["totp_key"]), "next": "/", "csrfmiddlewaretoken": _form_token(s, verify)},
        headers={**origin, "Referer": verify},
        allow_redirects=False,
        timeout=15,
    )
    if r.status_code != 302 or "/accounts/" in r.headers.get("Location", "/accounts/"):
        raise RuntimeError(f"TOTP step of {user['username']}: {r.status_code} {r.headers.get('Location')}")
    r = s.get(f"{base}/cases/{user['case']}/", allow_redirects=False, timeout=15)
    if r.status_code != 200:
        raise RuntimeError(f"case page of {user['username']} after sign-in: {r.status_code}")


def _is_login_redirect(r) -> bool:
    return r.status_code in (301, 302) and "/accounts/" in r.headers.get("Location", "")


def _note(s, base: str, case: str, marker: str):
    return s.post(
        f"{base}/cases/{case}/notes/",
        data={"note-text": f"rehearsal {marker}"},
        headers={"X-CSRFToken": s.cookies.get("csrftoken"), "Origin": base, "Referer": f"{base}/cases/{case}/"},
        allow_redirects=False,
        timeout=15,
    )


def _timeline(s, base: str, case: str):
    # offset=0: the newest entries (the view's default offset is the "show more" page).
    return s.get(f"{base}/cases/{case}/timeline/?offset=0", allow_redirects=False, timeout=15)


def _drop_pin(s) -> None:
    """What the browser does once the read-your-own-writes cookie has expired (DATABASE_REPLICA_PIN_SECONDS)."""
    s.cookies.pop("sinergi_primary", None)


# ---- Database counters -------------------------------------------------------------------------


def _xacts() -> dict:
    """Committed transactions of the sinergi database on the primary and on the replica (pg_stat_database)."""
    import psycopg

    out = {}
    for name, env in (("primary", "DATABASE_URL"), ("replica", "DATABASE_REPLICA_URL")):
        with psycopg.connect(os.environ[env], autocommit=True) as conn:
            out[name] = conn.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()[0]
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[round(q * (len(ordered) - 1))] * 1000, 1)


# ---- Load --------------------------------------------------------------------------------------


def load(base: str, users_file: str, first: int, users: int, seconds: float, out: str, stop_pid: int = 0) -> None:
    """Half the users write (POST a note, then read the timeline and look for it: read-your-own-writes),
    half only read (their pin cookie expired: these reads may use the replica). All sign in first."""
    import requests

    accounts = json.loads(Path(users_file).read_text())[first : first + users]
    counters = (
        "requests",
        "errors",
        "writes",
        "reads_after_write",
        "stale_reads",
        "plain_reads",
        "lost_sessions",
    )
    results = dict.fromkeys(counters, 0)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    ready = threading.Barrier(len(accounts) + 1)
    go = threading.Event()
    window: dict[str, float] = {}
    failures: list[str] = []

    def run(n: int, account: dict) -> None:
        s = _session(first + n)
        try:
            sign_in(s, base, account)
        except Exception as exc:  # reported; the run counts it
            failures.append(str(exc))
            ready.wait()
            return
        is_writer = n % 2 == 0
        if not is_writer:
            _drop_pin(s)
        local = dict.fromkeys(counters, 0)
        times: list[float] = []
        codes: dict[str, int] = {}

        def timed(call, *args):
            started = time.perf_counter()
            r = call(s, base, account["case"], *args)
            times.append(time.perf_counter() - started)
            local["requests"] += 1
            code = f"{r.request.method} {r.status_code}"
            codes[code] = codes.get(code, 0) + 1
            return r

        ready.wait()
        go.wait()
        while time.monotonic() < window["end"]:
            try:
                if is_writer:
                    marker = uuid.uuid4().hex
                    r = timed(_note, marker)
                    if _is_login_redirect(r):
                        local["lost_sessions"] += 1
                        continue
                    if r.status_code != 302:
                        local["errors"] += 1
                        continue
                    local["writes"] += 1
                    r = timed(_timeline)
                    local["reads_after_write"] += 1
                    if _is_login_redirect(r):
                        local["lost_sessions"] += 1
                    elif r.status_code != 200:
                        local["errors"] += 1
                    elif marker not in r.text:
                        local["stale_reads"] += 1
                else:
                    r = timed(_timeline)
                    local["plain_reads"] += 1
                    if _is_login_redirect(r):
                        local["lost_sessions"] += 1
                    elif r.status_code != 200:
                        local["errors"] += 1
            except requests.RequestException as exc:
                local["requests"] += 1
                local["errors"] += 1
                codes[type(exc).__name__] = codes.get(type(exc).__name__, 0) + 1
        with lock:
            for k, v in local.items():
                results[k] += v
            latencies.extend(times)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=run, args=(n, a)) for n, a in enumerate(accounts)]
    for t in threads:
        t.start()
    ready.wait()  # everyone signed in (or failed to): the measured window starts now
    load_average = Path("/proc/loadavg").read_text().split()[:3]
    before = _xacts()
    started = time.monotonic()
    window["end"] = started + seconds
    go.set()
    stopper = None
    if stop_pid:

        def _stop() -> None:
            os.kill(stop_pid, signal.SIGTERM)
            results["stopped_instance_after_seconds"] = round(time.monotonic() - started, 1)

        stopper = threading.Timer(seconds / 2, _stop)
        stopper.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if stopper:
        stopper.join()
    time.sleep(11)  # PostgreSQL flushes an idle backend's statistics within 10 s
    after = _xacts()
    results.update(
        users=len(accounts),
        load_average_at_start=" ".join(load_average),
        sign_in_failures=failures,
        seconds=round(elapsed, 1),
        requests_per_second=round(results["requests"] / elapsed, 1),
        latency_ms={
            "p50": _pct(latencies, 0.5),
            "p95": _pct(latencies, 0.95),
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        },
        statuses=statuses,
        db_transactions={k: after[k] - before[k] for k in after},
    )
    Path(out).write_text(json.dumps(results, indent=2))
    print(json.dumps(results))


# ---- Consistency with a replica that is deliberately behind -----------------------------------


def consistency(base: str, users_file: str, first: int, out: str) -> None:
    """Pause WAL replay on the replica (it stays behind, as under heavy lag) and check, through nginx:
    the writer reads its own note (primary); the same account past its pin does not see it (the read
    came from the replica); a session logged out on the primary is refused at once to a copy of its
    cookie (access state is never read from the replica); after replay resumes, the plain read sees it."""
    import psycopg

    writer, victim = json.loads(Path(users_file).read_text())[first : first + 2]
    w = _session(first)
    sign_in(w, base, writer)
    plain = _session(first)  # the same account in a second tab, past its pin: only the session cookie
    plain.cookies.set("sessionid", w.cookies.get("sessionid"))
    v = _session(first + 1)
    sign_in(v, base, victim)
    thief = _session(first + 2)  # someone who copied the victim's session cookie
    thief.cookies.set("sessionid", v.cookies.get("sessionid"))
    assert thief.get(f"{base}/cases/{victim['case']}/", allow_redirects=False, timeout=15).status_code == 200

    report: dict = {}
    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            for _ in range(50):
                if replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] == "paused":
                    break
                time.sleep(0.1)
            marker = uuid.uuid4().hex
            report["note_written"] = _note(w, base, writer["case"], marker).status_code == 302
            mine = _timeline(w, base, writer["case"])
            report["writer_sees_own_note"] = mine.status_code == 200 and marker in mine.text
            seen = _timeline(plain, base, writer["case"])
            report["plain_read_status"] = seen.status_code
            report["plain_read_served_by_stale_replica"] = seen.status_code == 200 and marker not in seen.text
            report["logout_status"] = v.post(
                f"{base}/accounts/logout/",
                data={"csrfmiddlewaretoken": v.cookies.get("csrftoken")},
                headers={"Origin": base, "Referer": f"{base}/cases/"},
                allow_redirects=False,
                timeout=15,
            ).status_code
            stolen = thief.get(f"{base}/cases/{victim['case']}/", allow_redirects=False, timeout=15)
            report["logged_out_cookie_status"] = stolen.status_code
            report["logged_out_cookie_refused"] = _is_login_redirect(stolen)
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True) as replica:
        for _ in range(100):
            if replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)).fetchone()[0]:
                break
            time.sleep(0.1)
    later = _timeline(plain, base, writer["case"])
    report["plain_read_after_catch_up_sees_note"] = later.status_code == 200 and marker in later.text
    Path(out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report))


if __name__ == "__main__":
    step, args = sys.argv[1], sys.argv[2:]
    if step == "seed":
        seed(args[0], int(args[1]))
    elif step == "worker":
        worker()
    elif step == "enqueue":
        enqueue(int(args[0]))
    elif step == "load":
        load(args[0], args[1], int(args[2]), int(args[3]), float(args[4]), args[5], int(args[6]) if args[6:] else 0)
    elif step == "consistency":
        consistency(args[0], args[1], int(args[2]), args[3])
    else:
        sys.exit(__doc__)
