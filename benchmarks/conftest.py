"""Shared setup for `make bench`: collect bench_*.py files and mark everything here as a benchmark.

pyproject's addopts deselect `benchmark` from the default run; `make bench` selects it with
`-m benchmark benchmarks`. The root conftest.py fixtures (tenant, make_user, client_for) apply here too.
"""

from pathlib import Path

import pytest

RESULTS_DIR = Path(__file__).parent / "results"


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.benchmark)


@pytest.fixture
def results_dir() -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    return RESULTS_DIR
