"""Shared setup for `make bench`: collect bench_*.py files and mark everything here as a benchmark.

pyproject's addopts deselect `benchmark` from the default run; `make bench` selects it with
`-m benchmark benchmarks`. The root conftest.py fixtures (tenant, make_user, client_for) apply here too.
"""

from pathlib import Path

import pytest

RESULTS_DIR = Path(__file__).parent / "results"


def pytest_collect_file(parent, file_path: Path):
    # A file named on the command line is collected by pytest itself already (once is enough).
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not parent.session.isinitpath(file_path):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def _rank(item) -> int:
    """0: reads the seeded cases in the test's transaction; 1: transactional and reads them (bench_jobs);
    2: transactional with its own data (bench_kla, bench_taskforces). pytest-django flushes every table
    after a transactional test, so whatever reads bench_cases' session-seeded data must run before."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if not transactional:
        return 0
    return 1 if "bench_data" in getattr(item, "fixturenames", ()) else 2


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    benches = [item for item in items if here in Path(item.fspath).parents]
    for item in benches:
        item.add_marker(pytest.mark.benchmark)
    items.sort(key=_rank)  # stable: the file order holds within a rank
    if benches and config.getoption("markexpr", "") == "benchmark":
        from django.conf import settings

        from config.settings.bench import TEST_ONLY_APPS

        if set(TEST_ONLY_APPS) & set(settings.INSTALLED_APPS):
            # The test-only plugin app adds a dashboard card, a navigation entry and their queries to pages.
            raise pytest.UsageError("benchmarks measure production's pages: run them with --ds=config.settings.bench")


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
