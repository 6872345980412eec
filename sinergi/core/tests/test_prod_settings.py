"""Production settings refuse what only a laptop demo may do."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sinergi.accounts.models import User

BASE_DIR = Path(__file__).resolve().parents[3]


def _prod_setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; import django; django.setup(); print(settings.{name})"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 25 + "-production-secret-for-this-test-only",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_cannot_switch_off_two_factor_authentication():
    assert _prod_setting("SINERGI_REQUIRE_2FA", SINERGI_REQUIRE_2FA="false") == "True"


def test_production_refuses_demo_data_even_if_the_environment_allows_it():
    assert _prod_setting("SINERGI_ALLOW_DEMO_DATA", SINERGI_ALLOW_DEMO_DATA="true") == "False"


def test_production_trusts_the_documented_nginx_for_the_client_address():
    assert _prod_setting("SINERGI_TRUSTED_PROXIES") == "1"


@pytest.mark.django_db
def test_demo_seed_refuses_where_demo_data_is_not_allowed(settings):
    settings.SINERGI_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="public password"):
        call_command("demo_seed", "--cases", "1", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_redis_cache_uses_djangos_own_backend():
    backend = _prod_setting('CACHES["default"]["BACKEND"]', REDIS_URL="redis://127.0.0.1:6379/15")
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_static_files_can_live_outside_the_data_directory(tmp_path):
    # The production install collects them where nginx may read them, apart from the private data.
    assert _prod_setting("STATIC_ROOT", SINERGI_STATIC_ROOT=str(tmp_path / "static")) == str(tmp_path / "static")
