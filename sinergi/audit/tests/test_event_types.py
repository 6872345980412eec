"""Audit event types: every action is declared by its app, `record` refuses an undeclared one, and the
audit trail reads in words, naming an object only as far as the reader may see it."""

import ast
import logging
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import sinergi
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import UndeclaredAuditAction, record
from sinergi.audit.tests.conftest import SYNTHETIC_ACTIONS
from sinergi.cases.tests.factories import make_case
from sinergi.core import plugins
from sinergi.core.tests.plugin_app.plugin import AUDIT_EVENTS as TEST_APP_EVENTS

SINERGI = Path(sinergi.__file__).parent
# The callables that write an audit event, as the code spells them.
RECORDERS = {"record", "audit", "audit.record", "services.record", "plugins.audit_record"}
# Actions built at run time, and every value they can take.
DYNAMIC_ACTIONS = {"sinergi/accounts/admin.py": {"admin.add", "admin.change", "admin.delete"}}


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` constants (e.g. EXPORTED = "audit.exported")."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _dotted(path) -> str:
    return ".".join(path.relative_to(SINERGI.parent).with_suffix("").parts).removesuffix(".__init__")


def _string_enums() -> dict[tuple[str, str], dict[str, str]]:
    """{(module, class): {member: value}} of every enum class under sinergi/ whose members are strings
    (e.g. `class Event(StrEnum): MEETING_CREATED = "taskforce.meeting_created"`)."""
    enums = {}
    for path in sorted(SINERGI.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any("Enum" in ast.unparse(b) for b in node.bases):
                members = _module_strings(ast.Module(body=node.body, type_ignores=[]))
                if members:
                    enums[(_dotted(path), node.name)] = members
    return enums


def _imported_names(tree: ast.Module, path) -> dict[str, tuple[str, str]]:
    """{local name: (module, name)} for the module's `from x import Name [as local]`."""
    package = _dotted(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            base = ".".join(
                [
                    *(package[: len(package) - node.level + 1] if node.level else []),
                    *([node.module] if node.module else []),
                ]
            )
            for alias in node.names:
                names[alias.asname or alias.name] = (base, alias.name)
    return names


def _values(
    node: ast.expr, constants: dict[str, str], enum_names: dict[str, dict[str, str]] | None = None
) -> set[str] | None:
    """The strings an `action=` argument can be, or None when they cannot be read statically."""
    enum_names = enum_names or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        members = enum_names.get(node.value.id, {})
        if node.attr in members:
            return {members[node.attr]}
    if isinstance(node, ast.IfExp):
        body, orelse = _values(node.body, constants, enum_names), _values(node.orelse, constants, enum_names)
        return None if body is None or orelse is None else body | orelse
    return None


def actions_in_code() -> tuple[dict[str, set[str]], list[str]]:
    """{action: {where}} for every audit write under sinergi/ (tests aside), and the unreadable ones."""
    actions: dict[str, set[str]] = {}
    unreadable = []
    enums = _string_enums()
    for path in sorted(SINERGI.rglob("*.py")):
        relative = path.relative_to(SINERGI.parent).as_posix()
        if "tests" in path.relative_to(SINERGI).parts:
            continue
        tree = ast.parse(path.read_text(), filename=relative)
        constants = _module_strings(tree)
        # Enum classes reachable by a local name: defined here, or imported (`from .events import Event as E`).
        local = {name: (_dotted(path), name) for (module, name) in enums if module == _dotted(path)}
        reachable = {**local, **_imported_names(tree, path)}
        enum_names = {name: enums[target] for name, target in reachable.items() if target in enums}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) in RECORDERS):
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                values = _values(keyword.value, constants, enum_names)
                if values is None:
                    values = DYNAMIC_ACTIONS.get(relative)
                if values is None:
                    unreadable.append(f"{relative}:{node.lineno} {ast.unparse(keyword.value)}")
                    continue
                for value in values:
                    actions.setdefault(value, set()).add(f"{relative}:{node.lineno}")
    return actions, unreadable


def test_every_action_written_in_the_code_is_declared():
    actions, unreadable = actions_in_code()
    assert unreadable == []
    # The scan finds the writes of every layer (a scan that finds nothing would prove nothing).
    assert {"case.viewed", "document.downloaded", "account.login", "backup.created", "admin.change"} <= set(actions)
    # ... and reads enum members too (the task forces and publications declare theirs as StrEnums).
    assert {"taskforce.meeting_created", "draft.approved"} <= set(actions)
    undeclared = {action: sorted(where) for action, where in actions.items() if not plugins.is_audit_event(action)}
    assert undeclared == {}


def test_every_declared_action_has_an_indonesian_label():
    test_only = {*SYNTHETIC_ACTIONS, *TEST_APP_EVENTS}
    labels = {a: label for a, label in plugins.declared_audit_events().items() if a not in test_only}
    assert len(labels) > 40
    untranslated = []
    for action, label in labels.items():
        with translation.override("en"):
            english = str(label)
        with translation.override("id"):
            indonesian = str(label)
        if indonesian == english:
            untranslated.append(action)
    assert untranslated == []


@pytest.mark.django_db
def test_record_refuses_an_undeclared_action_and_writes_nothing(settings, make_user):
    settings.SINERGI_AUDIT_STRICT_EVENTS = True
    with pytest.raises(UndeclaredAuditAction):
        record(actor=make_user(), action="case.teleported")
    assert not AuditEvent.objects.filter(action="case.teleported").exists()


@pytest.mark.django_db
def test_in_production_an_undeclared_action_is_still_written_and_logged(settings, make_user, caplog):
    settings.SINERGI_AUDIT_STRICT_EVENTS = False
    with caplog.at_level(logging.ERROR, logger="sinergi.audit.services"):
        record(actor=make_user(), action="case.teleported")
    assert AuditEvent.objects.filter(action="case.teleported").count() == 1
    assert "case.teleported" in caplog.text


def test_an_action_cannot_be_declared_twice_with_another_label():
    with pytest.raises(plugins.PluginError):
        plugins.audit_events({"case.viewed": "Something else"})


# ---- The audit trail in words ------------------------------------------------------------------------

CHILD_NAME = "Putri Anggraini Lestari"


@pytest.fixture
def viewed_case(make_user, tenant):
    manager = make_user(Role.CASE_MANAGER)
    case = make_case(manager, tenant, victim={"full_name": CHILD_NAME})
    record(actor=manager, action="case.viewed", obj=case)
    return case


def test_the_office_head_reads_the_action_in_words_and_the_case_number(viewed_case, make_user, client_for):
    head = make_user(Role.OFFICE_HEAD)
    html = client_for(head).get(reverse("audit:list")).content.decode()
    assert "Kasus dibuka" in html
    assert viewed_case.number in html
    assert CHILD_NAME not in html


def test_a_system_admin_sees_the_event_but_not_the_case_number(viewed_case, make_user, client_for):
    # The system administrator reads the audit trail but sees no case data (need-to-know).
    admin = make_user(Role.SYSTEM_ADMIN)
    html = client_for(admin).get(reverse("audit:list")).content.decode()
    assert "Kasus dibuka" in html
    assert viewed_case.number not in html
    assert f"{str(viewed_case.pk)[:8]}…" in html
    assert CHILD_NAME not in html


def test_the_api_gives_the_same_label_and_name(viewed_case, make_user, client_for):
    head = make_user(Role.OFFICE_HEAD)
    response = client_for(head).get("/api/v1/audit/events/", {"action": "case.viewed"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    (event,) = response.json()["results"]
    assert event["object_label"] == viewed_case.number
    assert event["action_label"] in ("Kasus dibuka", "Case opened")
    assert CHILD_NAME not in response.content.decode()


def test_an_officer_of_another_regency_is_never_named(make_user, other_tenant, tenant, client_for):
    stranger = make_user(Role.CASE_MANAGER, tenant=other_tenant, full_name="Pak Asing Sekali")
    head = make_user(Role.OFFICE_HEAD)
    # An event of this tenant that points at a user of another tenant (e.g. a failed cross-tenant look-up).
    record(actor=head, action="account.user_created", obj=stranger, tenant=tenant)
    html = client_for(head).get(reverse("audit:list")).content.decode()
    assert "Pak Asing Sekali" not in html
    assert f"{str(stranger.pk)[:8]}…" in html


def test_naming_the_objects_costs_the_same_for_one_event_as_for_a_page(viewed_case, make_user, client_for):
    head = make_user(Role.OFFICE_HEAD)
    client = client_for(head)
    client.get(reverse("audit:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("audit:list"), {"action": "case.viewed"})
    for _ in range(30):
        record(actor=head, action="case.viewed", obj=viewed_case)
    with CaptureQueriesContext(connection) as page:
        html = client.get(reverse("audit:list"), {"action": "case.viewed"}).content.decode()
    assert html.count(viewed_case.number) >= 31
    assert len(page) == len(one)
