"""The PPRA checker stays linear on adversarial text (texts of up to 200,000 characters are accepted).

No timing here (speed is measured by `make bench`, which also times these families at 10k and 50k
characters): the scanners are counted, the patterns are linted.
- Token and element visits: the token list and the identity elements are replaced by lists that count every
  element handed out (index, slice, iteration); a text four times longer must cost at most ~4.5 times the
  visits. The quadratic scanners (a walk to the text's end per 'om korban', back to the sentence start per
  tie, to the sentence end per 'tentang', over every token per age or quote) gave 12-16 times.
- Patterns: every vendored regex (rules.yaml and the engine's own) has none of the shapes that backtrack
  super-linearly (regex_lint); the patterns the security review found are flagged by the same lint.
"""

import re

import pytest

from sinergi.publications.ppra import text as text_module
from sinergi.publications.ppra.engine import check, identity, names, proxies, words
from sinergi.publications.ppra.engine import checker as checker_module
from sinergi.publications.ppra.regex_lint import slow_constructs
from sinergi.publications.ppra.rules import load_rules


class _Counting(list):
    visits = 0

    def __getitem__(self, key):
        got = super().__getitem__(key)
        _Counting.visits += len(got) if isinstance(key, slice) else 1
        return got

    def __iter__(self):
        for item in super().__iter__():
            _Counting.visits += 1
            yield item


@pytest.fixture
def counted(monkeypatch):
    real_tokenize, real_init = checker_module.tokenize, checker_module._Checker.__init__

    def tokenize(text, **kw):
        doc = real_tokenize(text, **kw)
        doc.tokens = _Counting(doc.tokens)
        return doc

    def init(self, *args, **kw):
        real_init(self, *args, **kw)
        self.elements = _Counting(self.elements)

    monkeypatch.setattr(checker_module, "tokenize", tokenize)
    monkeypatch.setattr(checker_module._Checker, "__init__", init)

    def visits(text: str) -> int:
        _Counting.visits = 0
        check(text)
        return _Counting.visits

    return visits


def _rep(unit: str, n: int, head: str = "", tail: str = "") -> str:
    body = n - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


FAMILIES = {
    "om_korban": lambda n: _rep("om korban ", n, "Kasus pencabulan. "),
    "om_korban_act": lambda n: _rep("om korban ", n, "Kasus pencabulan ", " mencabuli."),
    "victim_ties": lambda n: _rep("pencabulan anak tirinya ", n, "pencabulan "),
    "offender_ties": lambda n: _rep("pelaku ayah tiri ", n, "Kasus pencabulan. "),
    "topic_words": lambda n: _rep("tentang ", n, "Kasus pencabulan. Ia berbincang dengan anak itu "),
    "speech_words": lambda n: _rep("mengaku ", n, "Kasus pencabulan. Anak itu "),
    "quotes": lambda n: _rep('"aku takut sekali" kata anak itu ', n, "Kasus pencabulan anak. "),
    "ages": lambda n: _rep("anak 5 tahun ", n, "Kasus pencabulan. "),
    "ages_after_offender": lambda n: _rep("pelaku AR (15) ", n, "Kasus pencabulan. "),
    "masih_anak_arrested": lambda n: _rep("masih anak ", n, "ditangkap ", " korban"),
    "offender_then_anak": lambda n: _rep("pelaku a b c d anak ", n, "Kasus "),
    "labels": lambda n: _rep("anak nakal ", n, "Kasus. "),
    "shelter": lambda n: _rep("rumah aman ", n, "Kasus pencabulan anak. "),
    "addresses": lambda n: _rep("RT 1 RW 2 ", n, "Kasus pencabulan anak. "),
    "schools": lambda n: _rep("SDN 1 Abc ", n, "Kasus pencabulan anak. "),
    "social": lambda n: _rep("instagram ", n, "Kasus pencabulan anak. Anak itu "),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_scanner_visits_grow_linearly_with_the_text(counted, family):
    build = FAMILIES[family]
    small, large = counted(build(2_000)), counted(build(8_000))
    assert small > 0
    assert large <= 4.5 * small, (family, small, large)


def _vendored_patterns() -> list[tuple[str, re.Pattern]]:
    r = load_rules()
    out = [(f"rules.yaml {k}", v) for k, v in r.patterns.items()]
    out += [(f"rules.yaml age_patterns[{k}]", v) for k, v in enumerate(r.age_patterns)]
    out += [(f"rules.yaml address_patterns[{k}]", v) for k, v in enumerate(r.address_patterns)]
    for module in (words, names, proxies, identity, text_module):
        out += [(f"{module.__name__}.{k}", v) for k, v in vars(module).items() if isinstance(v, re.Pattern)]
    return out


def test_no_vendored_pattern_backtracks_super_linearly():
    found = {name: slow_constructs(p.pattern, p.flags & ~re.UNICODE) for name, p in _vendored_patterns()}
    assert len(found) >= 20
    assert {name: f for name, f in found.items() if f} == {}


def test_the_lint_flags_the_patterns_the_review_found():
    # Before the fix: qualifiers repeated without bound before the number, and the English school branch.
    old_age = rf"\b(?:anak|masih)(?:\s+(?:yang|baru|masih|berusia))*\s+({words._NUMBER_WORD_RE})\s+(?:tahun|th)\b"
    old_school = r"\b(?:(?:[A-Z][\w'-]*\s+){1,3}(?:Elementary|High)\s+School\b|SDN|SMPN)"
    # The sixth round's English village order, first written unbounded: quadratic on "A-A-A-...".
    old_village = r"\b([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})\s+village\b"
    assert slow_constructs(old_age, re.IGNORECASE)
    assert slow_constructs(old_school)
    assert slow_constructs(old_village)
    for bad in (r"(a+)+b", r"\s*\s+x", r"\w+\s+School", r"(?:x|y+)*z"):
        assert slow_constructs(bad), bad
    for fine in (r"[^\W_]+(?:[-'][^\W_]+)*", r"(?<![\w-])[A-Z][\w-]*\s+School", r"\bRT\s*\d{1,3}\s*(?:/)?\s*"):
        assert not slow_constructs(fine), fine


def test_a_text_without_full_stops_is_cut_into_capped_sentences_for_the_scanners():
    cap = text_module.MAX_SENTENCE_TOKENS
    doc = text_module.tokenize("om korban " * cap + "mencabuli. Polisi datang.")
    # 2 x cap + 1 tokens with no full stop: two pieces of cap tokens and the rest.
    assert doc.sentences[:3] == [(0, cap), (cap, 2 * cap), (2 * cap, 2 * cap + 1)]
    assert all(b - a <= cap for a, b in doc.sentences)
    assert [t.sentence for t in doc.tokens[cap - 1 : cap + 1]] == [0, 1]
    # A sentence of the cap's length or shorter stays whole.
    whole = text_module.tokenize("anak " * cap + ". Polisi datang.")
    assert whole.sentences[0] == (0, cap)
    assert whole.sentences[1] == (cap, cap + 2)
