"""What the text alone cannot know: the tenant's own patterns and per-point weights, and the case flags a
reviewer sets on a draft and the drafts linked to it (points 6, 7 and 9).

Flags (`CaseFlags`) come from the workflow, never from the case register: the reviewer of the protection
office knows that the child of this story is under LPSK protection, that the perpetrator is still at
large, or that the missing child was found on a date.
"""

from dataclasses import dataclass, replace

from .checker import _Checker
from .findings import ADVICE, BLOCK, Finding


@dataclass(frozen=True)
class CaseFlags:
    lpsk_protected: bool = False
    perpetrator_at_large: bool = False
    missing: bool = False
    found_on: str = ""  # the date the missing child was found, already written out ("4 Januari 2023")

    def __bool__(self) -> bool:
        return self.lpsk_protected or self.perpetrator_at_large or self.missing or bool(self.found_on)


_LOCATING_KINDS = ("address", "village", "school")


def apply_flags_before(ck: _Checker, flags: CaseFlags | None) -> None:
    """Flags that change the reading of the text itself (set before the sections run)."""
    if not flags:
        return
    if flags.perpetrator_at_large:
        ck.at_large = True
    if flags.missing or flags.found_on:
        ck.missing = True
    if flags.found_on:
        ck.found = True


def apply_flags_after(ck: _Checker, flags: CaseFlags | None) -> None:
    """Findings the flags add on top of the text's own (after the sections ran)."""
    if not flags or not ck.has_child:
        return
    if flags.lpsk_protected:
        why = (
            "Peninjau menandai anak dalam berita ini berada dalam perlindungan LPSK: jangan menyebut "
            "keberadaannya (PPRA butir 6)."
        )
        for e in ck.elements:
            if e.kind in _LOCATING_KINDS:
                ck.add(6, BLOCK, e.start, e.end, why, ck.sug("lpsk"), e.kind)
        r = ck.rules
        for i, j in r["protection_words"].find(ck.doc) + r["whereabouts_words"].find(ck.doc):
            toks = ck.doc.tokens
            if toks[i].sentence in ck.child_sentences:
                ck.add(6, BLOCK, toks[i].start, toks[j - 1].end, why, ck.sug("lpsk"), "protection")
    if flags.perpetrator_at_large:
        why = (
            "Peninjau menandai pelaku belum ditangkap: anak saksi tidak boleh diwawancarai atau dikutip (PPRA butir 7)."
        )
        for f in list(ck.findings):
            if f.point == 3:
                ck.add(7, BLOCK, f.start, f.end, why, ck.sug("witness"), f.kind)
    if flags.found_on:
        why = (
            f"Peninjau mencatat anak yang hilang sudah ditemukan pada {flags.found_on}: identitasnya tidak "
            "boleh lagi disiarkan, dan berita lama perlu diturunkan (PPRA butir 9)."
        )
        spans = {(e.start, e.end) for e in ck.elements if e.kind in ("child_name", "relative_name", *_LOCATING_KINDS)}
        # The reviewer's date says more than the text's own "sudah ditemukan": it replaces that finding.
        ck.findings = [f for f in ck.findings if not (f.point == 9 and (f.start, f.end) in spans)]
        kinds = {(e.start, e.end): e.kind for e in ck.elements}
        for start, end in sorted(spans):
            ck.add(9, BLOCK, start, end, why, ck.sug("found"), kinds[(start, end)])


def apply_tenant_patterns(ck: _Checker) -> None:
    """The tenant's own patterns (validated when stored): each match is a finding of its point."""
    for tp in ck.rules.tenant_patterns:
        for m in tp.regex.finditer(ck.text):
            if m.end() > m.start():
                why = tp.why or f"Cocok dengan aturan tambahan kabupaten/kota (PPRA butir {tp.point})."
                ck.add(tp.point, tp.severity, m.start(), m.end(), why, tp.suggestion or ck.rules.points[tp.point])


def apply_weights(findings: list[Finding], weights: tuple[tuple[int, str], ...]) -> list[Finding]:
    """The tenant's per-point severity: every finding of a weighted point gets that severity."""
    if not weights:
        return findings
    by_point = dict(weights)
    return [replace(f, severity=by_point[f.point]) if f.point in by_point else f for f in findings]


__all__ = ["ADVICE", "CaseFlags", "apply_flags_after", "apply_flags_before", "apply_tenant_patterns", "apply_weights"]
