#!/usr/bin/env bash
# Regenerate the hash-locked dependency files from requirements*.txt.
#   scripts/deps_lock.sh            keep every existing pin, add/remove only what requirements*.txt changed
#   scripts/deps_lock.sh --upgrade  move every transitive dependency to its newest allowed release
# requirements.txt / requirements-dev.txt are what we choose (exact pins); requirements.lock /
# requirements-dev.lock are what gets installed, every package with its hashes (pip --require-hashes).
set -euo pipefail
cd "$(dirname "$0")/.."
# Resolve for the oldest Python we run on: Debian 12's python3.11 (3.11.2). Markers such as
# python_full_version < "3.11.3" (redis -> async-timeout) then land in the lock; newer 3.11s ignore nothing.
PYTHON=${PYTHON:-$( [ -x /usr/bin/python3.11 ] && echo /usr/bin/python3.11 || command -v python3.11 || command -v python3)}
TOOLS=var/deps-tools
PIP_TOOLS_VERSION=7.6.2
if ! "$TOOLS/bin/pip-compile" --version 2>/dev/null | grep -q "$PIP_TOOLS_VERSION"; then
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet "pip-tools==$PIP_TOOLS_VERSION"
fi
export CUSTOM_COMPILE_COMMAND="make deps-lock"
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
        --no-emit-trusted-host --resolver=backtracking)
upgrade=()
[ "${1:-}" = "--upgrade" ] && upgrade=(--upgrade)
# Runtime first; the dev lock is constrained by it, so both install the very same runtime versions.
"$TOOLS/bin/pip-compile" "${common[@]}" "${upgrade[@]}" -o requirements.lock requirements.txt
"$TOOLS/bin/pip-compile" "${common[@]}" "${upgrade[@]}" -c requirements.lock -o requirements-dev.lock \
  requirements-dev.txt
"$PYTHON" scripts/check_locks.py
