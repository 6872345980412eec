"""`make bench`: the test settings (test-only keys, fast hashing, inline huey) without the test-only plugin
app (sinergi/core/tests/plugin_app), whose dashboard card, navigation entry and queries production never
has. Used with `pytest --ds=config.settings.bench` (the Makefile's bench target does)."""

from .test import *  # noqa: F403
from .test import INSTALLED_APPS

TEST_ONLY_APPS = ("sinergi.core.tests.plugin_app",)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in TEST_ONLY_APPS]
