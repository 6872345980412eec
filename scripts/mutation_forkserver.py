"""A fork server for `make mutation`: pytest and its plugins are loaded once, each mutant runs in a fork.

Starting pytest with this project's plugins (hypothesis, schemathesis, faker, playwright, …) costs several
seconds per run on a loaded machine, far more than the narrow tests themselves. The server imports those
third-party modules once; for each mutant, mutmut calls the client (`--runner`), the server forks and the
child runs `pytest.main(argv)` in the work copy.

Correctness: the parent never imports `sinergi`, `config` or the project's conftest, and never sets Django
up (both are checked before it serves). So every child imports the project afresh from disk, after mutmut
has written the mutant: module-level code such as `rules.add_perm(...)` runs with the mutant, and every
`from x import y` elsewhere binds the mutated object.

The child's exit code is mapped for mutmut (which counts only exit code 1 as "killed"): 0 stays 0 (the
tests passed: the mutant survived); any failure of the tests, of collection or of import (e.g. a
module-level assertion broken by the mutant: pytest exit code 2) becomes 1; a run longer than the timeout
is killed and counts as 1 as well. If the client cannot reach the server it exits 0 — a survivor, never a
false kill — and says so on stderr. Every run is appended to the server's journal (exit code, seconds).

    python scripts/mutation_forkserver.py serve SOCKET JOURNAL TIMEOUT
    python -S -I scripts/mutation_forkserver.py run SOCKET -- PYTEST-ARGS...
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import time

# Third-party modules a pytest run of this project imports anyway; none of them imports the project.
PRELOAD = (
    "pytest",
    "_pytest.config",
    "_pytest.python",
    "_pytest.fixtures",
    "_pytest.terminal",
    "pytest_django.plugin",
    "pytest_django.fixtures",
    "pytest_playwright.pytest_playwright",
    "pytest_benchmark.plugin",
    "_hypothesis_pytestplugin",
    "hypothesis",
    "xdist.plugin",
    "xdist.looponfail",
    "faker",
    "faker.contrib.pytest.plugin",
    "anyio.pytest_plugin",
    "schemathesis",
    "schemathesis.pytest.plugin",
    "factory",
    "factory.django",
    "django",
    "django.db.models",
    "django.test",
    "cryptography.fernet",
    "rules",
    "redis",
    "psycopg",
)


def _recv_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _child(argv: list[str], cwd: str, output: str) -> None:
    os.setpgid(0, 0)
    os.chdir(cwd)
    # As `python -m pytest` in `cwd` would: the project from the work copy, not this script's folder.
    sys.path[0] = cwd
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.argv = ["pytest", *argv]
    code = 3
    try:
        import pytest

        code = int(pytest.main(argv))
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, conn: socket.socket, timeout: float) -> tuple[int, str]:
    """Wait for the child; kill its process group on timeout or when the client has gone away."""
    deadline = time.monotonic() + timeout
    conn.setblocking(False)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), "done"
        gone = False
        with contextlib.suppress(BlockingIOError):
            gone = conn.recv(1) == b""
        if gone or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -9, "client gone" if gone else "timeout"
        time.sleep(0.02)


def serve(sock_path: str, journal: str, timeout: float) -> None:
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    for name in PRELOAD:
        __import__(name)
    import django.apps

    leaked = sorted(m for m in sys.modules if m.split(".")[0] in {"sinergi", "config", "conftest"})
    if leaked or django.apps.apps.ready:
        sys.exit(f"fork server: the project was imported before forking ({leaked[:5]}): refusing to serve")
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sock_path)
    server.listen(1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    output = os.path.join(os.path.dirname(journal), "last-run.log")
    print(f"fork server ready on {sock_path}", flush=True)
    first = True
    while True:
        conn, _ = server.accept()
        with conn:
            request = json.loads(_recv_line(conn) or b"{}")
            if request.get("stop"):
                conn.sendall(b'{"code": 0}\n')
                return
            started = time.monotonic()
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                _child(request["argv"], request["cwd"], output)
            try:
                code, how = _wait(pid, conn, timeout)
            except BaseException:  # stopped while a child runs: the child must not outlive the server
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                raise
            seconds = time.monotonic() - started
            with open(output, errors="replace") as fh:
                lines = [line.strip() for line in fh.read().splitlines()[-40:] if line.strip()]
            # What ended the run: the first failure or error line pytest printed, else its last line.
            why = next(
                (line for line in lines if line.startswith(("FAILED", "ERROR", "E "))), lines[-1] if lines else ""
            )
            with open(journal, "a") as fh:
                entry = {"code": code, "how": how, "seconds": round(seconds, 2), "why": why[:300]}
                if first:  # mutmut's baseline run (no mutant), the first request of a session
                    entry["baseline"] = True
                first = False
                fh.write(json.dumps(entry) + "\n")
            if how != "client gone":
                conn.setblocking(True)
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps({"code": code, "how": how}).encode() + b"\n")


def run(sock_path: str, argv: list[str]) -> int:
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(sock_path)
        client.sendall(json.dumps({"argv": argv, "cwd": os.getcwd()}).encode() + b"\n")
        answer = json.loads(_recv_line(client))
    except (OSError, ValueError) as exc:
        print(f"fork server unreachable ({exc}): reporting the tests as passed", file=sys.stderr)
        return 0
    return 0 if answer["code"] == 0 else 1


def stop(sock_path: str) -> None:
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(sock_path)
        client.sendall(b'{"stop": true}\n')
        _recv_line(client)
    except OSError:
        pass


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "serve":
        serve(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif mode == "run":
        sys.exit(run(sys.argv[2], sys.argv[sys.argv.index("--") + 1 :]))
    elif mode == "stop":
        stop(sys.argv[2])
    else:
        sys.exit(f"unknown mode {mode}")
