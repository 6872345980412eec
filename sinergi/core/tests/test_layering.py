"""Core is the bottom layer: no module of sinergi/core (tests aside) imports an app above it.

The apps plug into core through its registries (sinergi.core.plugins) instead. Imports are read with
`ast`, so a lazy import inside a function and an `importlib.import_module("sinergi.x")` count too.
"""

import ast
from pathlib import Path

import sinergi
from sinergi.core import plugins

SINERGI = Path(sinergi.__file__).parent
CORE = SINERGI / "core"
APPS_ABOVE_CORE = sorted(p.name for p in SINERGI.iterdir() if (p / "apps.py").exists() and p.name != "core")


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "tests" not in p.relative_to(root).parts)


def _absolute(module: str | None, level: int, path: Path) -> str:
    if not level:
        return module or ""
    package = path.relative_to(SINERGI.parent).with_suffix("").parts[:-level]
    return ".".join([*package, *([module] if module else [])])


def imported_modules(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file, relative ones made absolute."""
    found = []
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    # Imports under `if TYPE_CHECKING:` are never executed: they name a type for mypy (the User an actor
    # is), and create no dependency at run time.
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, path)
            found.append((node.lineno, base))
            # `from sinergi import cases` imports the app too.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if base == "sinergi"]
        elif (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) in ("importlib.import_module", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _higher_app(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "sinergi" and parts[1] in APPS_ABOVE_CORE:
        return parts[1]
    return None


def test_core_imports_no_app_above_it():
    offences = [
        f"{path.relative_to(SINERGI.parent)}:{line} imports {module}"
        for path in _modules(CORE)
        for line, module in imported_modules(path)
        if _higher_app(module)
    ]
    assert offences == []


def test_type_only_imports_do_not_count_but_a_runtime_one_beside_them_does():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sinergi.cases.models import Case\nimport sinergi.cases\n"
    assert imported_modules(CORE / "x.py", source) == [(1, "typing"), (4, "sinergi.cases")]


def test_the_check_sees_every_kind_of_import():
    # The checker itself must catch what it claims to: absolute, lazy, relative and importlib imports.
    module = CORE / "management" / "commands" / "x.py"
    source = (
        "from sinergi.cases import services\n"
        "def f():\n    import sinergi.documents.services\n"
        "from ....audit import services as audit\n"
        "from ..backup import BackupError\n"
        "from sinergi import jobs\n"
        "import importlib\nimportlib.import_module('sinergi.notifications.kinds')\n"
        "from sinergi.core import policy\n"
    )
    modules = imported_modules(module, source)
    higher = {_higher_app(m) for _line, m in modules} - {None}
    assert higher == {"cases", "documents", "audit", "jobs", "notifications"}
    assert (5, "sinergi.core.management.backup") in modules


def test_the_apps_above_core_are_all_known():
    assert {"accounts", "audit", "cases", "demo", "documents", "jobs", "notifications", "tenants"} <= set(
        APPS_ABOVE_CORE
    )


def test_nothing_imports_the_demo_app():
    offences = [
        f"{path.relative_to(SINERGI.parent)}:{line}"
        for path in _modules(SINERGI)
        if "demo" not in path.relative_to(SINERGI).parts[:1]
        for line, module in imported_modules(path)
        if module == "sinergi.demo" or module.startswith("sinergi.demo.")
    ]
    assert offences == []


def test_core_commands_record_audit_events_through_the_installed_recorder():
    from sinergi.audit import services

    assert plugins._audit_recorder == [services.record]
