"""The layout rules of STYLE.md that a reviewer would otherwise have to remember: no module over 600
lines, and each rule below has one owner that the others call (a second copy makes this test fail)."""

import ast
import re
from pathlib import Path

SINERGI = Path(__file__).resolve().parents[2]
ROOT = SINERGI.parent
MAX_LINES = 600

# Moved out of core by the plug-in registries work (issue 13, part 1); remove the entry when it lands.
NOT_YET_SPLIT = {"sinergi/core/demo.py"}


def _modules(*, tests: bool = True) -> list[Path]:
    found = []
    for path in sorted(SINERGI.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or (not tests and "/tests/" in rel):
            continue
        found.append(path)
    return found


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_longer_than_600_lines():
    too_long = {
        _rel(p): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES and _rel(p) not in NOT_YET_SPLIT
    }
    assert too_long == {}, f"split these along their sections into a package (STYLE.md): {too_long}"


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants and the literal parts of f-strings, without docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                out.append((node.lineno, head.value))
                docstrings.add(id(head))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append((node.lineno, node.value))
    return out


def _code(path: Path) -> str:
    """The source without comments (a comment may name a rule without defining it)."""
    return "\n".join(line.split("#", 1)[0] for line in path.read_text().splitlines())


def _hits(pattern: str, *, owner: set[str], allowed: set[str] = frozenset()) -> list[str]:
    regex = re.compile(pattern)
    hits = []
    for path in _modules(tests=False):
        rel = _rel(path)
        if rel in owner or rel in allowed or rel in NOT_YET_SPLIT:
            continue
        for number, line in enumerate(_code(path).splitlines(), 1):
            if regex.search(line):
                hits.append(f"{rel}:{number}: {line.strip()}")
    return hits


def test_overdue_is_defined_once():
    """One owner per kind of deadline: first response and referral overdue in sinergi/cases/overdue.py,
    an agreement's deadline in sinergi/taskforces/overdue.py; everyone else calls them."""
    hits = _hits(
        r"due_on__lt|first_response_due_at__lt|\.due_on\s*<|due_at\s*<|\bdue\s*<\s*timezone",
        owner={"sinergi/cases/overdue.py", "sinergi/taskforces/overdue.py", "sinergi/kla/overdue.py"},
    )
    assert hits == [], "call sinergi.cases.overdue or sinergi.taskforces.overdue instead:\n" + "\n".join(hits)


IDENTITY = {"full_name", "nik", "birth_date", "address", "phone", "school_name", "guardian_name", "guardian_phone"}


def test_the_identity_field_list_is_defined_once():
    """fieldsets.IDENTITY_FIELDS owns the list; no other tuple, list, set or dict spells it out again."""
    copies = []
    for path in _modules(tests=False):
        rel = _rel(path)
        if rel in {"sinergi/cases/fieldsets.py"} | NOT_YET_SPLIT:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            elif isinstance(node, ast.Dict):
                items = [k for k in node.keys if k is not None]
            else:
                continue
            names = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
            if len(names & IDENTITY) >= 5:
                copies.append(f"{rel}:{node.lineno}")
    assert copies == [], f"use sinergi.cases.fieldsets.IDENTITY_FIELDS: {copies}"


# audit.services.record keeps its own copy until the audit event types work (issue 13, part 1) lands.
TENANT_OF_PENDING = {"sinergi/audit/services.py"}


def test_which_tenant_owns_an_object_is_defined_once():
    hits = _hits(
        r"__class__\.__name__\s*==\s*[\"']Tenant[\"']|==\s*[\"']tenants\.tenant[\"']",
        owner={"sinergi/core/tenancy.py"},
        allowed=TENANT_OF_PENDING,
    )
    assert hits == [], "call sinergi.core.tenancy.tenant_id_of instead:\n" + "\n".join(hits)


APP_PATH = re.compile(r"^/(cases|documents|notifications|audit|jobs|tenants|regions|accounts)/")
# accounts is being reworked by the user administration work; its one path moves to reverse() there.
PATHS_PENDING = {"sinergi/accounts/lockout.py"}


def test_pages_are_linked_through_reverse_not_hard_coded_paths():
    hard_coded = [
        f"{_rel(path)}:{line}: {s!r}"
        for path in _modules(tests=False)
        if _rel(path) not in NOT_YET_SPLIT | PATHS_PENDING
        for line, s in _strings(ast.parse(path.read_text()))
        if APP_PATH.match(s)
    ]
    assert hard_coded == [], "use reverse():\n" + "\n".join(hard_coded)
