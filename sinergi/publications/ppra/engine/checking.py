"""The public check: all sections in order, the register cross-check, one finding per span and point."""

from collections.abc import Iterable

from ..rules import load_rules
from .checker import _Checker
from .exposure import _point4, _point6, _point10, _point11, point12_procedure
from .findings import BLOCK, SEVERITY_ORDER, Finding, Result, verdict_of
from .identity import _identity_findings, identity_categories
from .reviewer import CaseFlags, apply_flags_after, apply_flags_before, apply_tenant_patterns, apply_weights
from .wording import _point2, _points_3_7


def check(
    text: str,
    *,
    regency_code: str | None = None,
    extra_rules: dict[str, list[str]] | None = None,
    register_matcher=None,
    linked_texts: Iterable[str] = (),
    flags: CaseFlags | None = None,
) -> Result:
    """Check one text. `regency_code` narrows the village gazetteer to the tenant's kabupaten/kota;
    `extra_rules` are a tenant's added words; `register_matcher(names) -> set[names]` flags registered
    children (the register cross-check, done by the caller with the blind index); `linked_texts` are
    earlier texts published about the same story, whose details combine with this one's (jigsaw);
    `flags` are what the reviewer marked on the draft and its topic (LPSK protection, perpetrator at
    large, missing child found on a date)."""
    rules = load_rules(extra_rules)
    ck = _Checker(text, rules, regency_code)
    apply_flags_before(ck, flags)
    for earlier in linked_texts:
        categories, harmful = identity_categories(earlier, rules=rules, regency_code=regency_code)
        if harmful:  # an announcement linked by mistake says nothing about the child of this story
            ck.linked_categories |= categories
            ck.linked_harmful = True
    ck.find_names()
    ck.find_proxies()
    ck.find_kinship()
    _identity_findings(ck)
    _point2(ck)
    _points_3_7(ck)
    _point6(ck)
    _point10(ck)
    _point11(ck)
    _point4(ck)
    point12_procedure(ck)
    apply_flags_after(ck, flags)
    apply_tenant_patterns(ck)
    if register_matcher is not None:
        _register(ck, register_matcher)
    findings = _dedupe(apply_weights(ck.findings, rules.weights))
    return Result(verdict=verdict_of(findings), findings=findings)


def _register(ck: _Checker, matcher) -> None:
    candidates: dict[str, list[tuple[int, int]]] = {}
    for a, b in ck._cap_sequences():
        run = [t for t in ck.doc.tokens[a:b] if not ck._lead_word(t)]
        if run and not all(t.is_upper and len(t.text) <= 3 for t in run):
            candidates.setdefault(" ".join(t.text for t in run), []).append((run[0].start, run[-1].end))
    if not candidates:
        return
    for name in matcher(list(candidates)):
        for start, end in candidates.get(name, ()):
            ck.add(
                1,
                BLOCK,
                start,
                end,
                "Nama ini cocok dengan anak yang dilindungi dalam register kasus (PPRA butir 1).",
                ck.sug("register"),
                "register",
            )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per span and point, the most severe; sorted by position."""
    best: dict[tuple[int, int, int], Finding] = {}
    for f in findings:
        key = (f.start, f.end, f.point)
        if key not in best or SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[best[key].severity]:
            best[key] = f
    out = sorted(best.values(), key=lambda f: (f.start, -f.end, f.point))
    # Drop a finding wholly inside another of the same point (the wider one says it). Sorted by start, every
    # kept finding starts at or before f, and spans of one point are distinct: f is inside one of them exactly
    # when the furthest end kept for its point reaches f's end (one comparison, not one per kept finding).
    kept: list[Finding] = []
    reach: dict[int, int] = {}
    for f in out:
        if reach.get(f.point, -1) >= f.end:
            continue
        reach[f.point] = max(reach.get(f.point, -1), f.end)
        kept.append(f)
    return kept
