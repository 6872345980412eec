"""The checked text cut into segments for display: plain runs and highlighted runs with their findings."""

import itertools
from dataclasses import dataclass, field

from .ppra.engine import SEVERITY_ORDER, Finding


@dataclass
class Segment:
    text: str
    findings: list[int] = field(default_factory=list)  # indices into the result's findings
    severity: str = ""
    points: list[int] = field(default_factory=list)


def segments(text: str, findings: list[Finding]) -> list[Segment]:
    """Cut `text` at every finding boundary; a run covered by several findings shows the most severe."""
    cuts = {0, len(text)}
    for f in findings:
        cuts.update((f.start, f.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Segment] = []
    for a, b in itertools.pairwise(bounds):
        covering = [i for i, f in enumerate(findings) if f.start <= a and b <= f.end]
        if covering:
            worst = min((findings[i].severity for i in covering), key=SEVERITY_ORDER.__getitem__)
            points = sorted({findings[i].point for i in covering})
            out.append(Segment(text[a:b], covering, worst, points))
        elif out and not out[-1].findings:
            out[-1].text += text[a:b]
        else:
            out.append(Segment(text[a:b]))
    return out


def apply_replacement(text: str, finding: Finding) -> str:
    """The text with one finding's safer wording in place (the caller re-checks the result)."""
    if finding.replacement is None or text[finding.start : finding.end] != finding.text:
        return text
    before, after = text[: finding.start], text[finding.end :]
    if finding.replacement == "":
        # Dropping a phrase: do not leave a double space or a space before punctuation.
        before = before.rstrip(" ") if not after[:1].isalnum() or before.endswith(" ") else before
        if before.endswith(" ") and after.startswith(" "):
            after = after[1:]
    return before + finding.replacement + after
