#!/usr/bin/env python3
"""Fail when requirements*.txt name a package or version that their lock does not (stdlib only).

    python3 scripts/check_locks.py [DIRECTORY]     (default: the repository)

`make install` runs this first: a package added to requirements.txt without `make deps-lock` would
otherwise be silently missing from every installation that installs from the lock.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#\\]+)")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith(("-r ", "--requirement ")):
            found.update(pins(path.parent / line.split(None, 1)[1]))
            continue
        match = PIN.match(line)
        if match:
            found[_name(match.group(1))] = match.group(3)
        elif line and not line.startswith(("#", "-")):
            sys.exit(f"{path.name}: '{line}' is not an exact pin (name==version)")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else ROOT
    problems = []
    for source, lock in PAIRS:
        lock_path = root / lock
        if not lock_path.exists():
            problems.append(f"{lock} is missing")
            continue
        locked = pins(lock_path)
        for name, version in pins(root / source).items():
            if locked.get(name) != version:
                problems.append(f"{source} wants {name}=={version}, {lock} has {locked.get(name, 'nothing')}")
    for problem in problems:
        print(f"stale lock: {problem}", file=sys.stderr)
    if problems:
        print("Run `make deps-lock` and commit requirements*.lock.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
