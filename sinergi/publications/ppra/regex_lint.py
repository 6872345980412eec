"""A structural lint for the checker's regular expressions: the shapes that backtrack super-linearly.

Python's `re` backtracks, so a pattern is only linear when no position of the text can be re-read by many
match attempts. Three shapes broke that in the checker (a text of 200,000 characters is accepted):

- nested: an unbounded repeat inside an unbounded repeat, `(?:\\s+(?:yang|masih))*`, unless the inner
  repeat follows a required separator it cannot match (`(?:-\\w+)*` is fine);
- adjacent: an unbounded repeat followed by an item that can start with a character the repeat's body can
  start with, `(?:\\s+masih)*\\s+sebelas` or `\\s*\\s+` (the split between them is tried every way);
- head scan: an alternative that starts, without a lookbehind, with a character and an unbounded repeat
  over an overlapping class and then needs more, `\\b[A-Z][\\w-]*\\s+School`: every inner position of a
  long run ("A-A-A-...") starts an attempt that scans to the run's end and fails.

`slow_constructs(pattern)` names what it finds; a bounded repeat (`{0,30}`) or a lookbehind that keeps
attempts at a run's start (`(?<![\\w-])`) clears it. Used by the engine tests on every vendored pattern.
"""

import re
from re import _compiler, _constants, _parser  # type: ignore[attr-defined]

_C = _constants
_SINGLE = (_C.IN, _C.LITERAL, _C.NOT_LITERAL, _C.ANY)
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT))
_ZERO_WIDTH = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)
# Characters a class is probed with: ASCII, typographic quotes and dashes, a few letters and spaces.
_PROBE = [chr(c) for c in range(32, 127)] + list("\t\n\u00a0’‘“”„–—éÉßı") + ["\u2028"]


def _unbounded(item) -> bool:
    op, av = item
    return op in _REPEATS and av[1] == _C.MAXREPEAT


def _nullable_seq(items) -> bool:
    return all(_nullable(i) for i in items)


def _nullable(item) -> bool:
    op, av = item
    if op in _ZERO_WIDTH:
        return True
    if op in _REPEATS:
        return av[0] == 0 or _nullable_seq(av[2])
    if op == _C.SUBPATTERN:
        return _nullable_seq(av[3])
    if op == _C.BRANCH:
        return any(_nullable_seq(b) for b in av[1])
    return False


def _first(items) -> list:
    """The single-character items a match of the sequence can start with."""
    out: list = []
    for item in items:
        op, av = item
        if op in _SINGLE:
            out.append(item)
        elif op in _REPEATS:
            out += _first(av[2])
        elif op == _C.SUBPATTERN:
            out += _first(av[3])
        elif op == _C.BRANCH:
            for b in av[1]:
                out += _first(b)
        if not _nullable(item):
            break
    return out


def _chars(state, items: list, flags: int) -> set[str]:
    out: set[str] = set()
    for item in items:
        rx = _compiler.compile(_parser.SubPattern(state, [item]), flags)
        out.update(c for c in _PROBE if rx.fullmatch(c))
    return out


def _contains_unbounded(items) -> list:
    found = []
    for op, av in items:
        if op in _REPEATS:
            if av[1] == _C.MAXREPEAT:
                found.append((op, av))
            found += _contains_unbounded(av[2])
        elif op == _C.SUBPATTERN:
            found += _contains_unbounded(av[3])
        elif op == _C.BRANCH:
            for b in av[1]:
                found += _contains_unbounded(b)
    return found


class _Lint:
    def __init__(self, pattern: str, flags: int):
        self.tree = _parser.parse(pattern, flags)
        self.state, self.flags = self.tree.state, flags | self.tree.state.flags
        self.found: list[str] = []

    def chars(self, items) -> set[str]:
        return _chars(self.state, _first(items), self.flags)

    def walk(self, items, cont=()) -> None:
        """`cont`: what follows the sequence in the enclosing ones (a failure there backtracks into it)."""
        items = list(items)
        for k, (op, av) in enumerate(items):
            following = items[k + 1 :] + list(cont)
            if op in _REPEATS:
                body = av[2]
                if av[1] == _C.MAXREPEAT:
                    self.nested(body)
                    if not _nullable_seq(following) and self.chars(body) & self.chars(following):
                        self.found.append("adjacent: an unbounded repeat followed by what it can start with")
                self.walk(body, following)
            elif op == _C.SUBPATTERN:
                self.walk(av[3], following)
            elif op == _C.BRANCH:
                for b in av[1]:
                    self.walk(b, following)
            elif op in (_C.ASSERT, _C.ASSERT_NOT):
                self.walk(av[1])

    def nested(self, body) -> None:
        body = list(body)
        for inner in _contains_unbounded(body):
            lead = body[0] if body else None
            sep_ok = (
                lead is not None
                and lead[0] in _SINGLE
                and not (_chars(self.state, [lead], self.flags) & self.chars(inner[1][2]))
            )
            if not sep_ok:
                self.found.append("nested: an unbounded repeat inside an unbounded repeat")
                return

    def heads(self, items, anchored: bool = False) -> None:
        """Every way the pattern can start: a char then an unbounded repeat over it, then a required item."""
        items = list(items)
        k = 0
        while k < len(items) and items[k][0] in _ZERO_WIDTH:
            op, av = items[k]
            if op == _C.ASSERT_NOT and av[0] == -1:
                anchored = True  # a lookbehind: attempts start only where it allows
            if op == _C.AT and av in (_C.AT_BEGINNING, _C.AT_BEGINNING_STRING):
                anchored = True  # one attempt, at the start
            k += 1
        if anchored or k >= len(items):
            return
        op, av = items[k]
        if op == _C.SUBPATTERN:
            return self.heads(list(av[3]) + items[k + 1 :], anchored)
        if op == _C.BRANCH:
            for b in av[1]:
                self.heads(list(b) + items[k + 1 :], anchored)
            return
        if op in _REPEATS and not _unbounded(items[k]) and av[0] >= 1:
            return self.heads(list(av[2]) + items[k + 1 :], anchored)
        if _unbounded(items[k]):
            scan, rest = items[k], items[k + 1 :]
        elif op in _SINGLE and k + 1 < len(items) and _unbounded(items[k + 1]):
            scan, rest = items[k + 1], items[k + 2 :]
            if not (_chars(self.state, [items[k]], self.flags) & self.chars(scan[1][2])):
                return
        else:
            return
        if not _nullable_seq(rest):
            self.found.append("head scan: a run scanned from each of its positions, then a required item")


def slow_constructs(pattern: str, flags: int = 0) -> list[str]:
    """The super-linear shapes in a pattern (empty when none is found)."""
    lint = _Lint(pattern, flags)
    lint.walk(lint.tree.data)
    lint.heads(lint.tree.data)
    return sorted(set(lint.found))


def is_linear(regex: re.Pattern) -> bool:
    return not slow_constructs(regex.pattern, regex.flags & ~re.UNICODE)
