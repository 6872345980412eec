"""The checker: one text tokenised, its context (case, child, ages), the identity elements it holds."""

import bisect
import re

from ..gazetteer import gazetteer
from ..rules import Rules
from ..text import Document, Token, tokenize
from .context import _ContextMixin
from .findings import Finding, _Element, replacement_for
from .names import _NamesMixin
from .proxies import _ProxiesMixin
from .words import AGE_WORDS_RE, EN_AGE_WORDS_RE, GRADED_OFFICES, OFFENDER_NOUNS, number_value

# "UU Nomor 12 Tahun 2022", "Pasal 81 ayat 2", "ancaman 15 tahun penjara", "selama 3 tahun terakhir": a law's
# number, a sentence or a duration, not a person's age.
_REFERENCE_BEFORE_RE = re.compile(
    r"(?:\b(?:nomor|no|nomer|pasal|ayat|uu|perda|perbup|perpres|pp|ancaman|hukuman|pidana|penjara|kurungan|vonis|"
    r"divonis|dihukum|dituntut|tuntutan|selama|sejak|maksimal|minimal|paling\s+lama|hingga|sampai|lebih\s+dari|"
    r"setiap|tiap|per|sentence|jailed|up\s+to)\.?:?|/)\s*$",
    re.IGNORECASE,
)
_REFERENCE_AFTER_RE = re.compile(
    r"^\s*(?:(?:19|20)\d\d\b|penjara|kurungan|pidana|lalu|silam|terakhir|belakangan|ke\s+depan|lamanya|"
    r"prison|jail|ago)",
    re.IGNORECASE,
)


def _not_an_age(text: str, number_start: int, end: int) -> bool:
    before = text[max(0, number_start - 24) : number_start]
    return bool(_REFERENCE_BEFORE_RE.search(before) or _REFERENCE_AFTER_RE.match(text[end : end + 20]))


class _Checker(_ContextMixin, _NamesMixin, _ProxiesMixin):
    def __init__(self, text: str, rules: Rules, regency_code: str | None):
        self.text = text
        self.rules = rules
        self.doc: Document = tokenize(text, variants=rules.variants)
        self.gaz = gazetteer(regency_code)
        self.findings: list[Finding] = []
        self.elements: list[_Element] = []
        self.linked_categories: set[str] = set()
        self.linked_harmful = False
        toks = self.doc.tokens
        self.memo: dict[tuple, object] = {}  # per-sentence answers, asked once per match otherwise
        self.sent_of_offset = self._offset_index()
        self.token_ends = [t.end for t in toks]
        r = rules
        self.sexual = r["sexual"].any(self.doc) or self._pregnancy_by_offender()
        # A sexual act is a case even when no other case word stands in the text ("Paklik kok tega nodai ...").
        self.case = self.sexual or r["case_words"].any(self.doc)
        self.missing = r["missing_words"].any(self.doc)
        self.found = self.missing and r["found_phrases"].any(self.doc)
        # The text itself says the child was found (a reviewer's found-on flag may set `found` on an old appeal
        # still online: that is point 9 only, not the found child identified anew).
        self.found_in_text = self.found
        self.achievement = r["achievement_words"].any(self.doc)
        self.at_large = r["at_large_phrases"].any(self.doc)
        self.ages = self._ages()
        self.child_tokens = {t.index for t in toks if t.forms & r.sets["child_nouns"] and not self._is_generic_anak(t)}
        for i, j in r["child_phrases"].find(self.doc):
            if self._after_graded_office(toks[i].start):
                continue  # "Bapas Kelas II", "Lapas Kelas IIA": the office's class, not a pupil's
            self.child_tokens.update(range(i, j))
        for start, end, value in self.ages:
            if value < 18:
                self.child_tokens.update(t.index for t in self._tokens_in(start, end))
        self.child_sentences = {toks[i].sentence for i in self.child_tokens}
        self.child_sentences.update(self._sentence_at(a[0]) for a in self.ages if a[2] < 18)
        if self._adult_victim_only():
            self.child_tokens, self.child_sentences = set(), set()
        self.has_child = bool(self.child_sentences)
        self.abh = self._abh()

    # ---- helpers --------------------------------------------------------------------------------

    def _adult_victim_only(self) -> bool:
        """ "Seorang ibu rumah tangga, Sumiati (34), ... dianiaya suaminya. Korban mengalami luka memar": the only
        child word is "korban", every age is an adult's, one of them outside any offender's sentence, and no
        relative of the victim is named ("ibu korban"): the victim is that adult, no child is in the story."""
        toks = self.doc.tokens
        if not self.ages or any(v < 18 for *_, v in self.ages):
            return False
        if not self.child_tokens or any(toks[i].norm != "korban" for i in self.child_tokens):
            return False
        kin = self.rules.sets["kinship"]
        if any(i and toks[i - 1].sentence == toks[i].sentence and toks[i - 1].forms & kin for i in self.child_tokens):
            return False  # "ibu korban, Sumiati (34)": the victim is her child
        offender = OFFENDER_NOUNS | {"diamankan", "ditangkap", "ditahan"}
        for s in {self._sentence_at(start) for start, _end, _value in self.ages}:  # each sentence read once
            a, b = self.doc.sentences[s]
            if not any(t.norm in offender for t in toks[a:b]):
                return True
        return False

    def _pregnancy_by_offender(self) -> bool:
        """A pregnancy with an offender in the story ("diketahui hamil lima bulan. Pelakunya ..."): a sexual crime."""
        forms = set().union(*(t.forms for t in self.doc.tokens)) if self.doc.tokens else set()
        return bool(forms & {"hamil", "pregnant"}) and bool(forms & {"pelaku", "tersangka", "terdakwa", "suspect"})

    def _offset_index(self) -> list[int]:
        return [t.start for t in self.doc.tokens]

    def _after_graded_office(self, offset: int) -> bool:
        """The token before `offset` is an office graded by class ("Bapas Kelas II"): the class is the office's."""
        i = bisect.bisect_left(self.sent_of_offset, offset)
        return i > 0 and self.doc.tokens[i - 1].norm in GRADED_OFFICES

    def _sentence_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.sent_of_offset, offset) - 1
        return self.doc.tokens[max(i, 0)].sentence if self.doc.tokens else 0

    def _is_generic_anak(self, t: Token) -> bool:
        """'anak' in 'perlindungan anak', 'Layak Anak', 'hak anak' is the topic, not a child person."""
        if t.norm not in ("anak", "anak-anak"):
            return False
        prev = self.doc.tokens[t.index - 1].norm if t.index else ""
        return prev in (
            "perlindungan",
            "layak",
            "ramah",
            "hak",
            "hari",
            "forum",
            "pemberdayaan",
            "isu",
            "kasus",
            "pemenuhan",
            "tumbuh",
            "kembang",
            "kesejahteraan",
            "peradilan",
            "pengadilan",
            "pidana",
            "kabupaten",
            "kota",
            "dinas",
            "publikasi",
            "pemberitaan",
            "puskesmas",
            "dokter",
            "spesialis",
        )

    def _ages(self) -> list[tuple[int, int, int]]:
        out: list[tuple[int, int, int]] = []
        seen: set[int] = set()
        for pattern in self.rules.age_patterns:
            for m in pattern.finditer(self.text):
                if m.start(1) in seen:
                    continue
                value = int(m.group(1))
                if value == 0 or value > 99:
                    continue
                if not m.group(0).startswith("(") and _not_an_age(self.text, m.start(1), m.end()):
                    continue
                seen.add(m.start(1))
                out.append((m.start(), m.end(), value))
        for m in AGE_WORDS_RE.finditer(self.text):
            out.append((m.start(1), m.end(), number_value(m.group(1))))
        for m in EN_AGE_WORDS_RE.finditer(self.text):
            out.append((m.start(1), m.end(), number_value(m.group(1))))
        return out

    def _tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens wholly inside [start, end) (by bisection: called once per age)."""
        lo = bisect.bisect_left(self.sent_of_offset, start)
        hi = bisect.bisect_right(self.token_ends, end)
        return self.doc.tokens[lo:hi]

    def _sentence_has(self, name: str, s: int) -> bool:
        key = ("has", name, s)
        if key not in self.memo:
            a, b = self.doc.sentences[s]
            self.memo[key] = self.rules[name].any(self.doc, a, b)
        return self.memo[key]

    def _appeal(self, s: int) -> bool:
        return self._sentence_has("appeal_words", s)

    def add(
        self, point: int, severity: str, start: int, end: int, why: str, suggestion: str, kind: str = "", rule: str = ""
    ) -> Finding:
        text = self.text[start:end]
        finding = Finding(point, severity, start, end, text, why, suggestion, kind, rule, replacement_for(kind, text))
        self.findings.append(finding)
        return finding

    def sug(self, key: str, **kw) -> str:
        text = self.rules.suggestions[key]
        return text.format(**kw) if kw else text
