"""Tests: fast hashing, inline huey, in-memory email, fixed test-only keys."""

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, HUEY, INSTALLED_APPS

# A module that plugs in by adding files only (sinergi/core/tests/plugin_app): tests only, never shipped.
INSTALLED_APPS = [*INSTALLED_APPS, "sinergi.core.tests.plugin_app"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Test-only keys: never used outside the test suite.
SINERGI_FIELD_KEYS = ["yx1kNMK4x-FLm-1Jm0KSrFjZkiRMZmImTdx8vrAyR04="]
SINERGI_BLIND_INDEX_KEY = "test-only-blind-index-key-0123456789abcdef"
SINERGI_PRIVATE_STORAGE = DATA_DIR / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "sinergi_documents": {"BACKEND": "sinergi.documents.storage.PrivateFileSystemStorage"},
}
AXES_ENABLED = True
SINERGI_AUDIT_STRICT_EVENTS = True
RATELIMIT_ENABLE = True

# PostgreSQL: let the test runner's flush TRUNCATE the append-only audit table (audit migration 0002).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Appended to base's options, so tests and `make bench` keep production's `-c jit=off`.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c sinergi.audit_allow_truncate=on".strip()

# Each xdist worker gets its own Redis database for the cache (rate limits, throttles), so that
# clearing it between tests never disturbs the other worker.
import os as _os  # noqa: E402
import re as _re  # noqa: E402

from .base import CACHES, REDIS_URL  # noqa: E402

_worker = _os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_worker_index = int(_worker[2:]) if _worker[2:].isdigit() else 0
if REDIS_URL:
    CACHES = {
        "default": {
            **CACHES["default"],
            "LOCATION": _re.sub(r"/\d*$", "", REDIS_URL.rstrip("/")) + f"/{8 + _worker_index}",
        }
    }
