"""The hash locks are what every installation gets: complete, hashed, and in step with requirements*.txt."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
LOCKS = ["requirements.lock", "requirements-dev.lock"]


def locked(lock: str) -> dict[str, str]:
    text = (BASE_DIR / lock).read_text(encoding="utf-8")
    return {name.lower(): version for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)}


def check_locks(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "scripts" / "check_locks.py"), str(root)], capture_output=True, text=True
    )


def test_the_committed_locks_match_the_requirements():
    result = check_locks(BASE_DIR)
    assert result.returncode == 0, result.stderr


def test_every_locked_package_has_a_hash():
    for lock in LOCKS:
        blocks = re.split(r"\n(?=[A-Za-z0-9])", (BASE_DIR / lock).read_text(encoding="utf-8"))
        packages = [block for block in blocks if re.match(r"^[A-Za-z0-9._-]+==", block)]
        assert packages, lock
        unhashed = [block.split()[0] for block in packages if "--hash=sha256:" not in block]
        assert unhashed == [], f"{lock}: {unhashed}"


def test_a_package_added_without_relocking_is_named(tmp_path):
    for name in ["requirements.txt", "requirements-dev.txt", *LOCKS]:
        shutil.copy(BASE_DIR / name, tmp_path / name)
    with (tmp_path / "requirements.txt").open("a", encoding="utf-8") as f:
        f.write("structlog==25.5.0\n")
    result = check_locks(tmp_path)
    assert result.returncode == 1
    assert "requirements.txt wants structlog==25.5.0, requirements.lock has nothing" in result.stderr
    assert "make deps-lock" in result.stderr


def test_the_runtime_lock_holds_only_what_runs_in_production():
    runtime = locked("requirements.lock")
    assert "django-redis" not in runtime
    assert "django-filter" not in runtime
    assert "pytest" not in runtime
    # Debian 12's Python is 3.11.2: redis needs async-timeout below 3.11.3.
    assert "async-timeout" in runtime


def test_the_test_tools_are_current():
    dev = locked("requirements-dev.lock")
    assert int(dev["pytest"].split(".")[0]) >= 9
    assert int(dev["pypdf"].split(".")[0]) >= 7
    runtime = locked("requirements.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
