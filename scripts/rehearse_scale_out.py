"""Helper of scripts/rehearse_scale_out.sh (not run in CI): seed, huey worker with a marked task, load run.

python scripts/rehearse_scale_out.py seed            -> prints the case id
python scripts/rehearse_scale_out.py worker          -> a huey consumer that also knows `rehearsal_mark`
python scripts/rehearse_scale_out.py enqueue N
python scripts/rehearse_scale_out.py load URL CASE SECONDS USERS OUT.json
"""

import json
import os
import re
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
PASSWORD = "Rehearsal-Pa55word-only!"  # noqa: S105 - throw-away users of a loopback rehearsal


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


def seed() -> None:
    _django()
    from sinergi.accounts.roles import Role
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.cases.tests.factories import make_case
    from sinergi.tenants.tests.factories import TenantFactory

    tenant = TenantFactory(code="64.02")
    users = [UserFactory(username=f"rh{n}", role=Role.CASE_MANAGER, tenant=tenant) for n in range(8)]
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    print(make_case(users[0], tenant).pk)


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


def load(url: str, case_id: str, seconds: float, users: int, out: str) -> None:
    import requests

    results = {"requests": 0, "errors": 0, "stale_reads": 0, "lost_sessions": 0, "writes": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(n: int) -> None:
        s = requests.Session()
        page = s.get(f"{url}/accounts/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        s.post(
            f"{url}/accounts/login/",
            data={"username": f"rh{n % 8}", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{url}/accounts/login/"},
            timeout=10,
        )
        local = dict.fromkeys(results, 0)
        while time.monotonic() < deadline:
            try:
                marker = uuid.uuid4().hex
                csrf = s.cookies.get("csrftoken")
                r = s.post(
                    f"{url}/cases/{case_id}/notes/",
                    data={"text": f"rehearsal {marker}"},
                    headers={"X-CSRFToken": csrf, "Referer": f"{url}/cases/{case_id}/"},
                    timeout=10,
                    allow_redirects=False,
                )
                local["requests"] += 1
                if r.status_code in (301, 302) and "/accounts/login" in r.headers.get("Location", ""):
                    local["lost_sessions"] += 1
                    continue
                local["writes"] += r.status_code < 400
                r = s.get(f"{url}/cases/{case_id}/timeline/", timeout=10, allow_redirects=False)
                local["requests"] += 1
                if r.status_code in (301, 302):
                    local["lost_sessions"] += 1
                elif r.status_code != 200:
                    local["errors"] += 1
                elif marker not in r.text:
                    local["stale_reads"] += 1
            except requests.RequestException:
                local["errors"] += 1
        with lock:
            for k, v in local.items():
                results[k] += v

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["seconds"] = round(time.monotonic() - started, 1)
    results["requests_per_second"] = round(results["requests"] / results["seconds"], 1)
    Path(out).write_text(json.dumps(results))
    print(json.dumps(results))


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "seed":
        seed()
    elif step == "worker":
        worker()
    elif step == "enqueue":
        enqueue(int(sys.argv[2]))
    elif step == "load":
        load(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
