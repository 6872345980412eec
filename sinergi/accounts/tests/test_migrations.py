from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0003_apitoken_expires_at_required")]


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Migrating this app back also unapplies the apps that depend on it (task forces, publications...):
    bring every app back to its latest migration, so later tests on this worker find their tables."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_tokens_without_an_expiry_get_created_at_plus_90_days():
    old_apps = _migrate(BEFORE)
    User = old_apps.get_model("accounts", "User")
    ApiToken = old_apps.get_model("accounts", "ApiToken")
    user = User.objects.create(username="integrasi")
    created_at = datetime(2026, 1, 10, 8, 30, tzinfo=UTC)
    chosen = datetime(2026, 2, 1, tzinfo=UTC)
    never = ApiToken.objects.create(user=user, name="never", prefix="snrg_aaaaaaa", token_hash="a" * 64)
    dated = ApiToken.objects.create(
        user=user, name="dated", prefix="snrg_bbbbbbb", token_hash="b" * 64, expires_at=chosen
    )
    ApiToken.objects.filter(pk__in=[never.pk, dated.pk]).update(created_at=created_at)

    new_apps = _migrate(AFTER)
    ApiToken = new_apps.get_model("accounts", "ApiToken")
    assert ApiToken.objects.get(pk=never.pk).expires_at == created_at + timedelta(days=90)
    assert ApiToken.objects.get(pk=dated.pk).expires_at == chosen
