#!/usr/bin/env bash
# Browser tests use Debian's chromium (never a Playwright browser download).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and cannot be installed (not root): browser tests would fail." >&2
  exit 1
fi
echo "chromium not installed: browser tests will be skipped (install Debian's 'chromium' package)." >&2
