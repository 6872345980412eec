"""The PPRA checker: finds what in a text about children breaches the Pedoman Pemberitaan Ramah Anak
(Peraturan Dewan Pers No. 1/Peraturan-DP/II/2019) and UU SPPA art. 19.

`check(text)` returns a verdict and findings with the PPRA point, severity (block/warn/advice), offsets
into the original text, why, and a safer wording. Pure Python and the vendored data only: no model, no
network, no database (the register cross-check is added by the caller, see services).

Identity proxies (school, village, address, relatives) only matter in a story about harm, a crime or a
case involving a child; in an announcement or an achievement story the same words are ordinary (PPRA
pasal 5 weighs those separately).
"""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from .gazetteer import gazetteer
from .rules import Rules, load_rules
from .text import Document, Token, fold, tokenize

BLOCK, WARN, ADVICE = "block", "warn", "advice"
SEVERITY_ORDER = {BLOCK: 0, WARN: 1, ADVICE: 2}
IDENTITY_KINDS = ("child_name", "relative_name", "school", "village", "address", "age", "grade", "kinship")

_QUOTE_RE = re.compile(r"[\"“”„]([^\"“”„]{3,600})[\"“”„]")
_AFTER_NAME_AGE_RE = re.compile(
    r"^\s*(?:\((\d{1,2})(?:\s*(?:th|thn|tahun))?\)|,\s*(\d{1,2})\s*(?:th|thn|tahun)\b)", re.I
)
_CONNECTORS = frozenset({"bin", "binti", "van", "de", "al", "el"})
_PLACE_PREPOSITIONS = frozenset(
    {
        "di",
        "ke",
        "dari",
        "asal",
        "warga",
        "penduduk",
        "menuju",
        "wilayah",
        "daerah",
        "kecamatan",
        "kabupaten",
        "kota",
        "provinsi",
        "desa",
        "kelurahan",
        "dusun",
        "kampung",
        "jalan",
        "gang",
        "in",
        "at",
        "from",
    }
)
_OFFENDER_CUES = frozenset(
    {
        "pelaku",
        "tersangka",
        "terdakwa",
        "oleh",
        "tega",
        "ulah",
        "bejat",
        "merupakan",
        "adalah",
        "yakni",
        "yaitu",
        "sendiri",
        "by",
        "suspect",
        "perpetrator",
        "accused",
    }
)
_OFFENDER_ROOTS = frozenset(
    {
        "cabul",
        "perkosa",
        "setubuh",
        "leceh",
        "gagah",
        "aniaya",
        "tangkap",
        "aman",
        "tahan",
        "rudapaksa",
        "sodomi",
        "raba",
        "gauli",
        "nodai",
        "ringkus",
        "bekuk",
        "abuse",
        "rape",
        "molest",
        "arrest",
    }
)
_CHILD_PRONOUNS = frozenset(
    {
        "ia",
        "dia",
        "nya",
        "bocah",
        "korban",
        "anak",
        "siswi",
        "siswa",
        "gadis",
        "remaja",
        "she",
        "he",
        "murid",
        "pelajar",
        "balita",
        "santri",
        "santriwati",
        "abg",
    }
)
_WITNESS_SPEAKERS = frozenset(
    {"teman", "kawan", "rekan", "saksi", "sahabat", "tetangga", "adik", "kakak", "sepupu", "witness", "friend"}
)
_ADULT_SPEAKERS = frozenset(
    {
        "ibu",
        "ayah",
        "bapak",
        "orangtua",
        "paman",
        "bibi",
        "nenek",
        "kakek",
        "kapolres",
        "kapolsek",
        "kasat",
        "kanit",
        "kepala",
        "ketua",
        "camat",
        "lurah",
        "kades",
        "bupati",
        "pendamping",
        "psikolog",
        "guru",
        "kepsek",
        "petugas",
        "polisi",
        "penyidik",
        "tante",
        "om",
        "warga",
        "pengacara",
        "kuasa",
        "jaksa",
        "hakim",
        "dokter",
        "pihak",
    }
)


@dataclass
class Finding:
    point: int
    severity: str
    start: int
    end: int
    text: str
    why: str
    suggestion: str
    kind: str = ""
    rule: str = ""
    replacement: str | None = None  # what "accept suggestion" puts in place of `text` (None: rewrite by hand)

    def as_json(self) -> dict:
        """The public shape (issue 17): point, severity, start, end, text, why, suggestion."""
        data = asdict(self)
        for internal in ("kind", "rule", "replacement"):
            data.pop(internal)
        return data


@dataclass
class Result:
    verdict: str
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"verdict": self.verdict, "findings": [f.as_json() for f in self.findings]}


@dataclass
class _Element:
    kind: str
    start: int
    end: int
    sentence: int
    label: str = ""  # the matched name/text, for coreference
    abh: bool = False


def verdict_of(findings: Iterable[Finding]) -> str:
    severities = {f.severity for f in findings}
    return BLOCK if BLOCK in severities else WARN if WARN in severities else "ok"


_SCHOOL_LEVELS = (
    (("sd", "sdn", "mi", "min", "sdit", "sekolah dasar", "madrasah ibtidaiyah"), "sebuah sekolah dasar"),
    (("smp", "smpn", "mts", "mtsn", "smpit", "sekolah menengah pertama", "madrasah tsanawiyah"), "sebuah SMP"),
    (("sma", "sman", "smait", "ma", "man", "madrasah aliyah", "sekolah menengah atas"), "sebuah SMA"),
    (("smk", "smkn", "sekolah menengah kejuruan"), "sebuah SMK"),
    (("ponpes", "pp", "pondok pesantren", "pesantren"), "sebuah pesantren"),
    (("tk", "paud", "kb", "taman kanak-kanak"), "sebuah taman kanak-kanak"),
)


def replacement_for(kind: str, text: str) -> str | None:
    """A safer wording that can replace `text` as it is ("accept suggestion"); None when only a rewrite helps."""
    low = text.lower()
    if kind in ("child_name", "register"):
        return initials_of(text) or None
    if kind == "relative_name":
        return "anggota keluarga korban"
    if kind == "kinship":
        return "seorang anggota keluarga"
    if kind == "school":
        for prefixes, wording in _SCHOOL_LEVELS:
            if any(low == p or low.startswith(p + " ") for p in prefixes):
                return wording
        return "sebuah sekolah"
    if kind == "village":
        return "sebuah desa"
    if kind == "address":
        return "" if low.startswith(("rt", "rw")) else "lingkungan tempat tinggalnya"
    if kind in ("age", "grade", "detail"):
        return ""
    if kind == "label":
        return "anak"
    if kind == "handle":
        return "akun media sosial"
    return None


def initials_of(name: str) -> str:
    return "".join(part[0].upper() for part in name.split() if part and part[0].isalpha())


class _Checker:
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
        self.sent_of_offset = self._offset_index()
        r = rules
        self.case = r["case_words"].any(self.doc)
        self.sexual = r["sexual"].any(self.doc)
        self.missing = r["missing_words"].any(self.doc)
        self.found = self.missing and r["found_phrases"].any(self.doc)
        self.achievement = r["achievement_words"].any(self.doc)
        self.at_large = r["at_large_phrases"].any(self.doc)
        self.ages = self._ages()
        self.child_tokens = {t.index for t in toks if t.forms & r.sets["child_nouns"] and not self._is_generic_anak(t)}
        for i, j in r["child_phrases"].find(self.doc):
            self.child_tokens.update(range(i, j))
        for start, end, value in self.ages:
            if value < 18:
                self.child_tokens.update(t.index for t in self._tokens_in(start, end))
        self.child_sentences = {toks[i].sentence for i in self.child_tokens}
        self.child_sentences.update(self._sentence_at(a[0]) for a in self.ages if a[2] < 18)
        self.has_child = bool(self.child_sentences)
        self.abh = self._abh()

    # ---- helpers --------------------------------------------------------------------------------

    def _offset_index(self) -> list[int]:
        return [t.start for t in self.doc.tokens]

    def _sentence_at(self, offset: int) -> int:
        import bisect

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
                seen.add(m.start(1))
                out.append((m.start(), m.end(), value))
        return out

    def _tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.doc.tokens if t.start >= start and t.end <= end]

    def _sentence_has(self, name: str, s: int) -> bool:
        a, b = self.doc.sentences[s]
        return self.rules[name].any(self.doc, a, b)

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

    # ---- context --------------------------------------------------------------------------------

    def _abh(self) -> bool:
        """A story about a child in conflict with the law (UU SPPA), not only a child victim."""
        r, toks = self.rules, self.doc.tokens
        explicit = {"abh", "diversi", "bapas", "lpka", "lpks", "juvenile"}
        if any(t.norm in explicit for t in toks):
            return True
        strong = (
            "pelaku anak",
            "pelaku masih di bawah umur",
            "pelaku di bawah umur",
            "tersangka di bawah umur",
            "tersangka anak",
            "pelaku masih anak",
            "pelaku pelajar",
            "anak berhadapan dengan hukum",
            "anak yang berhadapan dengan hukum",
            "anak berkonflik dengan hukum",
            "anak yang berkonflik dengan hukum",
            "pengadilan anak",
            "peradilan anak",
            "begal pelajar",
            "pelajar pelaku",
            "remaja pelaku",
            "bocah pelaku",
            "pelaku masih berstatus pelajar",
            "pelaku berstatus pelajar",
            "sistem peradilan pidana anak",
        )
        # Words joined with a bar where punctuation separates them: "pelaku, anak korban" is not "pelaku anak".
        low = " ".join(
            (t.norm if i == 0 or self.text[toks[i - 1].end : t.start].strip() == "" else "| " + t.norm)
            for i, t in enumerate(toks)
        )
        if any(f" {s} " in f" {low} " for s in strong):
            return True
        stops = {"korban", "terhadap", "oleh", "kepada", "menimpa", "victim", "against"}
        offender = {"pelaku", "tersangka", "terdakwa", "pelakunya", "suspect"}
        for s in range(len(self.doc.sentences)):
            a, b = self.doc.sentences[s]
            stoks = toks[a:b]
            for k, t in enumerate(stoks):
                if t.norm not in offender:
                    continue
                for u in stoks[k + 1 : k + 9]:
                    if self.text[toks[u.index - 1].end : u.start].strip():
                        break  # punctuation: "keluarga pelaku, anak korban" is another phrase
                    if u.norm in stops or (u.norm.startswith("di") and roots(u.norm) & _OFFENDER_ROOTS):
                        break
                    prev_word = toks[u.index - 1].norm
                    if (
                        u.index in self.child_tokens
                        and prev_word.startswith("pe")
                        and roots(prev_word) & _OFFENDER_ROOTS
                    ):
                        break  # "pelaku pencabulan siswi": the child is the victim
                    if (
                        u.index in self.child_tokens
                        and u.norm not in ("korban", "anak", "adik", "putri", "putra")
                        and not u.norm.endswith("nya")
                    ):
                        return True
                    if u.norm == "anak" and stoks[k + 1 :].index(u) <= 3:
                        return True
        arrested = any(
            t.norm in ("diamankan", "ditangkap", "dibekuk", "diringkus", "diciduk", "ditahan", "arrested") for t in toks
        )
        for i, t in enumerate(toks[:-1]):
            if t.norm == "masih" and toks[i + 1].index in self.child_tokens and toks[i + 1].norm not in ("korban",):
                s = t.sentence
                a, b = self.doc.sentences[s]
                if arrested and not any(x.norm == "korban" for x in toks[a:b]):
                    return True
        roles = r.lists["abh_child_roles"]
        # A minor's age right after an offender word: "tersangka, AR (16)", "pelaku berinisial MF (15)".
        back_stops = {
            "korban",
            "terhadap",
            "oleh",
            "kepada",
            "menimpa",
            "victim",
            "anaknya",
            "cucunya",
            "putrinya",
            "putranya",
            "keponakannya",
            "tirinya",
            "kandungnya",
            "against",
        }
        for start, _end, value in self.ages:
            if value >= 18:
                continue
            before = [t for t in toks if start - 80 <= t.end <= start][-8:]
            for t in reversed(before):
                if t.norm in back_stops or (t.norm.startswith(("di", "me")) and roots(t.norm) & _OFFENDER_ROOTS):
                    break
                if t.norm in ("pelaku", "tersangka", "terdakwa", "suspect", "pelakunya"):
                    return True
            after = [t for t in toks if _end <= t.start <= _end + 90][:10]
            for t in after:
                if t.norm in ("korban", "oleh", "terhadap", "victim") or (
                    t.norm.startswith("di") and roots(t.norm) & {"cabul", "aniaya", "perkosa", "setubuh", "leceh"}
                ):
                    break
                if t.norm in (
                    "tersangka",
                    "pelaku",
                    "terdakwa",
                    "diamankan",
                    "ditangkap",
                    "dibekuk",
                    "diringkus",
                    "arrested",
                    "suspect",
                    "terlibat",
                    "involved",
                ):
                    return True
        # A child noun next to an arrest word in one sentence, the child not being the victim.
        for i in self.child_tokens:
            t = toks[i]
            if t.norm in ("korban", "adik", "cucu", "keponakan", "putri", "putra", "anaknya"):
                continue
            after = [w for w in toks[i + 1 : i + 5] if w.sentence == t.sentence]
            before = [w for w in toks[max(0, i - 4) : i] if w.sentence == t.sentence]
            if any(w.norm == "korban" for w in after[:2] + before[-2:]):
                continue
            if any(roles.token_matches(w) for w in after) and not any(
                w.norm.startswith("di") and roots(w.norm) & {"cabul", "aniaya", "perkosa", "setubuh", "leceh", "culik"}
                for w in after
            ):
                return True
            quantifiers = {"seorang", "dua", "tiga", "empat", "lima", "para", "sejumlah", "beberapa", "satu", "an", "a"}
            for k in range(len(before) - 1, -1, -1):
                w = before[k]
                if w.norm in ("mengamankan", "menangkap", "meringkus", "membekuk", "menetapkan", "menahan", "arrested"):
                    return True
                if w.norm not in quantifiers:
                    break
        return False

    # ---- identity: names ------------------------------------------------------------------------

    def _cap_sequences(self) -> list[tuple[int, int]]:
        toks, out, i = self.doc.tokens, [], 0
        nn = self.rules.sets["not_names"]
        while i < len(toks):
            t = toks[i]
            if t.is_cap and not t.text[0].isdigit():
                j = i + 1
                while (
                    j < len(toks)
                    and toks[j].sentence == t.sentence
                    and self.text[toks[j - 1].end : toks[j].start] in (" ",)
                ):
                    nxt = toks[j]
                    if nxt.is_cap and not nxt.text[0].isdigit() and not (nxt.norm in nn and not nxt.is_upper):
                        j += 1
                    elif nxt.norm in _CONNECTORS and j + 1 < len(toks) and toks[j + 1].is_cap:
                        j += 2
                    else:
                        break
                out.append((i, j))
                i = j
            else:
                i += 1
        return out

    def _prev_words(self, i: int, n: int = 4) -> list[Token]:
        """Up to n tokens before token i in the same sentence (nearest last)."""
        toks = self.doc.tokens
        s = toks[i].sentence
        return [t for t in toks[max(0, i - n) : i] if t.sentence == s]

    def _classify_name(self, a: int, b: int) -> tuple[str, int | None] | None:
        """('child'|'relative'|'adult'|'initials'|'pseudonym', age) for a capitalised run, or None."""
        r, toks = self.rules, self.doc.tokens
        run = toks[a:b]
        words = [t.norm for t in run]
        nn, titles = r.sets["not_names"], r.sets["titles"]
        # Drop leading non-name words ("Korban Dinda" -> "Dinda").
        while run and (
            run[0].norm in nn
            or run[0].norm in titles
            or run[0].forms & r.sets["child_nouns"]
            or run[0].forms & r.sets["kinship"]
        ):
            run = run[1:]
        if not run:
            return None
        a = run[0].index
        b = run[-1].index + 1
        words = [t.norm for t in run]
        if all(t.is_upper and len(t.text) <= 3 for t in run):
            return ("initials", self._age_after(b))
        if any(t.is_upper and len(t.text) > 3 for t in run):
            return None  # an acronym: DPPPA, POLRES
        if any(w in nn or w in titles for w in words):
            return None
        if any(r["sara_words"].token_matches(t) or r["political_words"].token_matches(t) for t in run):
            return None
        folded = " ".join(fold(t.text) for t in run)
        if folded in self.gaz.safe_places or folded in self.gaz.villages:
            return None
        prev = self._prev_words(a, 5)
        prev_norms = [t.norm for t in prev]
        if prev_norms and prev_norms[-1] in _PLACE_PREPOSITIONS:
            return None
        after = self.text[toks[b - 1].end : toks[b - 1].end + 40]
        if any(after.lower().lstrip(" (,").startswith(p) for p in ("bukan nama", "nama samaran", "samaran")):
            return ("pseudonym", None)
        age = self._age_after(b)
        # An official: a title or office within two words before ("Kapolres AKBP Hendra").
        if any(w in titles for w in prev_norms[-2:]) and age is None:
            return None
        if any(t.is_upper and len(t.text) > 3 for t in prev[-1:]):
            return None  # "DPPPA Hero" — an office acronym before: an official
        # Apposition after the name: "Intan Permatasari, bocah 10 tahun", "Bayu Setiawan, siswa kelas 8".
        nxt = [t for t in toks[b : b + 2] if t.sentence == toks[a].sentence]
        if (
            nxt
            and self.text[toks[b - 1].end : nxt[0].start].strip() == ","
            and nxt[0].index in self.child_tokens
            and nxt[0].norm not in ("korban", "adik", "putri", "putra", "anak")
        ):
            return ("child", age)
        kin = any(t.forms & r.sets["kinship"] for t in prev[-3:])
        child_cue = any(t.index in self.child_tokens for t in prev[-3:])
        naming = any(t.forms & r.sets["naming_cues"] for t in prev[-2:])
        if age is not None and age < 18:
            return ("child", age)
        if age is not None:
            return ("relative", age) if kin else ("adult", age)
        if kin and not child_cue:
            return ("relative", None)
        if child_cue:
            nearest_child = max((t.index for t in prev[-3:] if t.index in self.child_tokens), default=-1)
            nearest_kin = max((t.index for t in prev[-3:] if t.forms & r.sets["kinship"]), default=-1)
            # "ayah korban, Hendro", "ibu si anak": the child word is the possessor of the kinship word.
            if (
                nearest_kin >= 0
                and nearest_child == nearest_kin + 1
                and toks[nearest_child].norm in ("korban", "anak", "bocah")
            ):
                return ("relative", None)
            return ("relative", None) if nearest_kin > nearest_child else ("child", None)
        if naming:
            wider = self._prev_words(a, 8)
            if any(t.forms & r.sets["kinship"] for t in wider):
                return ("relative", None)
            if any(t.index in self.child_tokens for t in wider) or toks[a].sentence in self.child_sentences:
                return ("child", None)
            return ("adult", None)
        return ("unknown", None)

    def _age_after(self, b: int) -> int | None:
        toks = self.doc.tokens
        m = _AFTER_NAME_AGE_RE.match(self.text[toks[b - 1].end : toks[b - 1].end + 20])
        if not m:
            return None
        return int(m.group(1) or m.group(2))

    def find_names(self) -> None:
        toks = self.doc.tokens
        known: dict[str, str] = {}  # first name -> kind, for later bare mentions
        pending: list[tuple[int, int, str]] = []
        for a, b in self._cap_sequences():
            got = self._classify_name(a, b)
            if got is None:
                continue
            kind, age = got
            # Re-find the trimmed run (classification drops leading non-names).
            run = [t for t in toks[a:b] if not self._lead_word(t)]
            if not run:
                continue
            start, end = run[0].start, run[-1].end
            label = " ".join(t.text for t in run)
            if kind in ("child", "relative"):
                known[run[0].text] = kind
                self.elements.append(_Element(kind + "_name", start, end, run[0].sentence, label))
            elif kind == "initials" and age is not None and age < 18:
                known.setdefault(run[0].text, "initials")
            elif kind == "unknown":
                pending.append((start, end, label))
        # Later bare mentions of a name already tied to a child or a relative.
        for start, end, label in pending:
            first = label.split()[0]
            if known.get(first) in ("child", "relative"):
                kind = known[first]
                self.elements.append(_Element(kind + "_name", start, end, self._sentence_at(start), label))
        self.known_names = known

    def _lead_word(self, t: Token) -> bool:
        r = self.rules
        return (
            t.norm in r.sets["not_names"]
            or t.norm in r.sets["titles"]
            or bool(t.forms & r.sets["child_nouns"])
            or bool(t.forms & r.sets["kinship"])
        )

    # ---- identity: proxies ----------------------------------------------------------------------

    def find_proxies(self) -> None:
        r, text = self.rules, self.text
        for m in r.patterns["school_pattern"].finditer(text):
            body = m.group().split()
            if len(body) < 2 or (len(body) == 2 and body[1].lower() in ("negeri", "swasta")):
                continue
            if m.group().split()[0].lower() in r.sets["school_generic"] and not re.search(
                r"\d|[A-Z]", m.group()[len(body[0]) :]
            ):
                continue
            end = m.end()
            # A trailing common word captured as part of the name: "SDN 3 Tenggarong Saat"
            tail = m.group().split()
            while len(tail) > 2 and fold(tail[-1]) in r.sets["not_names"] and not tail[-1].isdigit():
                end -= len(tail[-1]) + 1
                tail = tail[:-1]
            self.elements.append(
                _Element("school", m.start(), end, self._sentence_at(m.start()), text[m.start() : end])
            )
        for m in r.patterns["village_pattern"].finditer(text):
            name = m.group(1)
            if name.split()[0].lower() in ("layak", "ramah", "siaga", "sehat", "wisata", "adat", "binaan"):
                continue
            self.elements.append(_Element("village", m.start(), m.end(), self._sentence_at(m.start()), name))
        self._bare_villages()
        for pattern in r.address_patterns:
            for m in pattern.finditer(text):
                if any(e.kind == "address" and e.start <= m.start() < e.end for e in self.elements):
                    continue
                if m.group().split()[0].lower() in ("jalan",) and len(m.group().split()) < 2:
                    continue
                self.elements.append(_Element("address", m.start(), m.end(), self._sentence_at(m.start())))
        for start, end, value in self.ages:
            if value < 18:
                self.elements.append(_Element("age", start, end, self._sentence_at(start)))
        for m in r.patterns["grade_pattern"].finditer(text):
            self.elements.append(_Element("grade", m.start(), m.end(), self._sentence_at(m.start())))

    def _bare_villages(self) -> None:
        """A gazetteer village name after 'warga', 'di', 'asal' ... without the word desa/kelurahan."""
        toks, villages = self.doc.tokens, self.gaz.villages
        if not villages:
            return
        covered = {(e.start, e.end) for e in self.elements if e.kind == "village"}
        for i, t in enumerate(toks[:-1]):
            if t.norm not in ("warga", "di", "asal", "dari", "penduduk", "tinggal", "kampung"):
                continue
            for n in range(min(self.gaz.max_words, 4), 0, -1):
                run = toks[i + 1 : i + 1 + n]
                if len(run) < n or not all(x.is_cap for x in run) or any(x.sentence != t.sentence for x in run):
                    continue
                name = " ".join(fold(x.text) for x in run)
                if name in villages:
                    span = (run[0].start, run[-1].end)
                    if not any(s <= span[0] < e for s, e in covered):
                        self.elements.append(_Element("village", span[0], span[1], t.sentence, name))
                    break

    # ---- point 8: the offender's kinship to the child victim -------------------------------------

    def find_kinship(self) -> None:
        if not self.sexual:
            return
        r, toks = self.rules, self.doc.tokens
        perp = r.sets["perpetrator_kinship"] - {"tiri", "kandung", "keluarga", "tetangga"}
        qualifiers = r.sets["kinship_qualifiers"]
        for i, t in enumerate(toks):
            if not (t.forms & perp):
                continue
            s = t.sentence
            before = [x for x in toks[max(0, i - 5) : i] if x.sentence == s]
            after = [x for x in toks[i + 1 : i + 5] if x.sentence == s]
            near = before[-3:]
            cue_before = any(x.norm in _OFFENDER_CUES for x in near) or any(
                x.norm.startswith("di") and roots(x.norm) & _OFFENDER_ROOTS for x in before[-2:]
            )
            cue_after = any(roots(x.norm) & _OFFENDER_ROOTS or x.norm in ("tega", "bejat") for x in after[:3])
            # "ibu korban melapor": the reporting parent is not the offender.
            if not (cue_before or cue_after):
                continue
            if before and before[-1].norm in ("kepada", "ke", "didampingi", "bersama") and not cue_after:
                continue
            end_tok = t
            for x in after[:2]:
                if x.forms & qualifiers or x.norm in ("kandung", "tiri", "angkat", "sambung"):
                    end_tok = x
                elif x.norm == "korban" or x.norm.endswith("nya"):
                    end_tok = x
                    break
                else:
                    break
            if any(e.kind == "kinship" and e.start <= t.start < e.end for e in self.elements):
                continue
            self.elements.append(_Element("kinship", t.start, end_tok.end, s, t.text))
        # The victim named by the tie right after the act: "mencabuli anak tirinya", "raped his stepdaughter".
        for i, j in r["victim_kinship"].find(self.doc):
            before = [x for x in toks[max(0, i - 4) : i] if x.sentence == toks[i].sentence]
            if not any(roots(x.norm) & _OFFENDER_ROOTS or x.norm in ("raped", "molested", "abused") for x in before):
                continue
            if any(e.kind == "kinship" and e.sentence == toks[i].sentence for e in self.elements):
                continue
            self.elements.append(_Element("kinship", toks[i].start, toks[j - 1].end, toks[i].sentence, toks[i].text))


def roots(word: str) -> frozenset[str]:
    from .text import roots as _roots

    return _roots(word)


def _identity_findings(ck: _Checker) -> None:
    """Turn identity elements into findings: points 1, 5, 8, 9, 12 and the jigsaw combination."""
    kinds = {e.kind for e in ck.elements}
    names = [e for e in ck.elements if e.kind in ("child_name", "relative_name")]
    proxies = [e for e in ck.elements if e.kind in ("school", "village", "address", "relative_name", "kinship")]
    if ck.found:
        point, why_point = (
            9,
            "Anak yang hilang sudah ditemukan: identitasnya tidak boleh lagi disiarkan (PPRA butir 9).",
        )
    elif ck.abh:
        point, why_point = (
            12,
            "Berita anak berkonflik dengan hukum: identitas anak wajib dirahasiakan (UU SPPA pasal 19).",
        )
    else:
        point, why_point = 1, "Identitas anak korban atau saksi wajib dirahasiakan (PPRA butir 1)."
    # Linked earlier texts about the same story (the jigsaw check): their identity details count too.
    linked = ck.linked_categories
    harmful = (ck.case and ck.has_child) or (ck.linked_harmful and (ck.has_child or bool(ck.elements)))
    if ck.missing and not ck.found:
        for e in names:
            if e.kind == "child_name":
                ck.add(
                    9,
                    ADVICE,
                    e.start,
                    e.end,
                    "Anak masih dicari: identitasnya boleh disiarkan sampai ditemukan (PPRA butir 9).",
                    ck.sug("missing"),
                    "child_name",
                )
        return
    categories = {e.kind for e in ck.elements if e.kind in IDENTITY_KINDS}
    combo = harmful and len(categories - {"child_name"}) >= 3
    combo_why = (
        " Gabungan usia, sekolah, desa, alamat atau hubungan keluarga dapat mengenali anak (identifikasi jigsaw)."
    )
    if harmful and not combo and len((categories | linked) - {"child_name"}) >= 3 and categories - {"child_name"}:
        combo = True
        combo_why = (
            " Bersama rincian dalam berita sebelumnya tentang kasus yang sama ("
            + ", ".join(sorted(_CATEGORY_LABELS[c] for c in linked - categories if c in _CATEGORY_LABELS))
            + "), rincian ini dapat mengenali anak (identifikasi jigsaw)."
        )
    if ck.achievement and not harmful:
        child_names = [e for e in names if e.kind == "child_name"]
        extra = categories & {"school", "village", "address", "relative_name", "age", "grade"}
        if child_names and len(extra) >= 2 and extra & {"village", "address", "relative_name"}:
            for e in child_names[:1]:
                ck.add(
                    5,
                    WARN,
                    e.start,
                    e.end,
                    "Berita prestasi memuat nama anak bersama sekolah, alamat atau keluarga: paparan berlebihan (PPRA butir 5).",
                    ck.sug("achievement"),
                    "child_name",
                )
        return
    if not harmful:
        return
    for e in ck.elements:
        if e.kind == "child_name":
            ck.add(
                point,
                BLOCK,
                e.start,
                e.end,
                "Nama anak dalam berita kasus. " + why_point,
                ck.sug("child_name", initials=initials_of(e.label) or "A"),
                e.kind,
            )
        elif e.kind == "relative_name":
            ck.add(
                point,
                BLOCK,
                e.start,
                e.end,
                "Nama anggota keluarga membuka identitas anak. " + why_point,
                ck.sug("relative_name"),
                e.kind,
            )
        elif e.kind == "kinship":
            has_offender_identity = any(x.kind in ("relative_name", "address", "village") for x in ck.elements)
            ck.add(
                8,
                BLOCK if has_offender_identity else WARN,
                e.start,
                e.end,
                "Hubungan keluarga pelaku kejahatan seksual dengan anak korban membuka identitas korban (PPRA butir 8).",
                ck.sug("kinship"),
                e.kind,
            )
        elif e.kind in ("school", "village", "address"):
            why = {
                "school": "Nama sekolah anak adalah identitas pendukung.",
                "village": "Desa/kelurahan atau dusun mempersempit identitas anak; batas aman biasanya kecamatan.",
                "address": "Alamat, nama jalan atau RT/RW menunjuk ke rumah anak.",
            }[e.kind]
            ck.add(
                point,
                BLOCK if combo else WARN,
                e.start,
                e.end,
                why + " " + why_point + (combo_why if combo else ""),
                ck.sug(e.kind if not ck.abh else "abh"),
                e.kind,
            )
        elif e.kind in ("age", "grade") and combo:
            ck.add(point, BLOCK, e.start, e.end, "Usia atau kelas anak." + combo_why, ck.sug("combination"), e.kind)
    del proxies, kinds


def _point2(ck: _Checker) -> None:
    r = ck.rules
    if not (ck.case or ck.sexual):
        return
    spans = [(i, j, "point2_strong") for i, j in r["point2_strong"].find(ck.doc)]
    if ck.sexual:
        spans += [(i, j, "point2_sexual_detail") for i, j in r["point2_sexual_detail"].find(ck.doc)]
    toks = ck.doc.tokens
    for i, j, rule in spans:
        if ck._appeal(toks[i].sentence) and rule != "point2_strong":
            continue
        ck.add(
            2,
            WARN,
            toks[i].start,
            toks[j - 1].end,
            "Rincian tindakan seksual atau sadistis tidak boleh digambarkan (PPRA butir 2).",
            ck.sug("sexual"),
            "detail",
            rule,
        )
    if ck.has_child:
        for i, j in r["point2_labels"].find(ck.doc):
            ck.add(
                2,
                WARN,
                toks[i].start,
                toks[j - 1].end,
                "Label yang menstigma anak; gunakan kata yang empatik dan netral (PPRA butir 2).",
                ck.sug("label"),
                "label",
            )


def _speaker_is_child(ck: _Checker, tokens: list[Token]) -> tuple[bool, bool]:
    """(child, witness) for the few words naming who spoke."""
    r = ck.rules
    norms = [t.norm for t in tokens]
    if not any(t.forms & r.sets["speech_words"] for t in tokens):
        return False, False
    witness = any(w in _WITNESS_SPEAKERS for w in norms)
    for t in tokens:
        if (t.norm in _ADULT_SPEAKERS or t.forms & r.sets["titles"]) and not (t.norm in ("adik", "kakak") or witness):
            return False, False
        if t.text in ck.known_names and ck.known_names[t.text] in ("child", "initials"):
            return True, witness
        if t.index in ck.child_tokens or t.norm in _CHILD_PRONOUNS - {"ia", "dia", "nya", "she", "he"}:
            return True, witness
    # "katanya"/"ujarnya", "ia", "dia": the story's child speaks when no adult was named before.
    if ck.has_child and any(t.norm in ("ia", "dia", "she", "he") or t.text.lower().endswith("nya") for t in tokens):
        return True, witness
    return False, False


def _points_3_7(ck: _Checker) -> None:
    r, text, toks = ck.rules, ck.text, ck.doc.tokens
    if not ck.has_child:
        return
    done: set[int] = set()
    for m in _QUOTE_RE.finditer(text):
        after = [t for t in toks if m.end() <= t.start < m.end() + 120][:12]
        if after:
            after = [t for t in after if t.sentence == after[0].sentence]
        before = [t for t in toks if m.start() - 70 <= t.start < m.start()][-6:]
        child, witness = _speaker_is_child(ck, after)
        if not child:
            child, witness = _speaker_is_child(ck, before)
        if not child:
            continue
        [t for t in toks if m.start() < t.start < m.end()]
        s = ck._sentence_at(m.start())
        s_end = ck._sentence_at(m.end())
        a0 = ck.doc.sentences[max(s - 1, 0)][0]
        b0 = ck.doc.sentences[min(s_end, len(ck.doc.sentences) - 1)][1]
        around = toks[a0:b0]
        trauma = any(r["trauma_words"].token_matches(t) for t in around) or (ck.case and ck.sexual)
        sentence_witness = witness or any(
            t.norm in ("melihat", "menyaksikan", "lihat", "saw", "saksi", "witness", "witnessed") for t in around
        )
        if ck.at_large and (sentence_witness or ck.case) and sentence_witness:
            ck.add(
                7,
                BLOCK,
                m.start(),
                m.end(),
                "Anak saksi dikutip atau diwawancarai padahal pelaku belum ditangkap (PPRA butir 7).",
                ck.sug("witness"),
                "quote",
            )
            done.add(s)
            continue
        if trauma:
            ck.add(
                3,
                WARN,
                m.start(),
                m.end(),
                "Kutipan anak tentang pengalaman traumatis: jangan menggali informasi di luar kapasitas anak (PPRA butir 3).",
                ck.sug("quote"),
                "quote",
            )
            done.add(s)
    # Indirect: "korban mengaku masih takut", "saat diwawancarai, bocah itu bercerita ...".
    interview = r["interview_phrases"]
    for s in range(len(ck.doc.sentences)):
        if s in done or s not in ck.child_sentences:
            continue
        a, b = ck.doc.sentences[s]
        stoks = toks[a:b]
        has_interview = interview.any(ck.doc, a, b)
        speech = [
            t
            for t in stoks
            if t.norm
            in (
                "mengaku",
                "bercerita",
                "menceritakan",
                "mengisahkan",
                "mengungkapkan",
                "menuturkan",
                "mengatakan",
                "berkata",
                "told",
                "recalled",
            )
        ]
        if not (has_interview or speech):
            continue
        child_subject = False
        for sp in speech or stoks[:1]:
            before = [t for t in stoks if t.index < sp.index]
            if any(
                t.index in ck.child_tokens or (t.text in ck.known_names and ck.known_names[t.text] != "relative")
                for t in before
            ) and not any(t.norm in _ADULT_SPEAKERS for t in before):
                child_subject = True
        if (
            has_interview
            and any(t.index in ck.child_tokens for t in stoks)
            and not any(t.norm in _ADULT_SPEAKERS - {"warga"} for t in stoks)
        ):
            child_subject = True
        if not child_subject:
            continue
        witness = any(
            t.norm in ("saksi", "melihat", "menyaksikan", "witness", "saw") or t.norm in _WITNESS_SPEAKERS
            for t in stoks
        )
        if not (ck.case or any(r["trauma_words"].token_matches(t) for t in stoks)):
            continue
        start, end = ck.doc.sentence_span(s)
        if ck.at_large and witness:
            ck.add(
                7,
                BLOCK,
                start,
                end,
                "Anak saksi diwawancarai padahal pelaku belum ditangkap (PPRA butir 7).",
                ck.sug("witness"),
                "interview",
            )
        elif any(r["trauma_words"].token_matches(t) for t in stoks) or has_interview:
            ck.add(
                3,
                WARN,
                start,
                end,
                "Anak diwawancarai tentang pengalaman traumatis (PPRA butir 3).",
                ck.sug("quote"),
                "interview",
            )


def _point6(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child:
        return
    for i, j in r["protection_words"].find(ck.doc):
        s = toks[i].sentence
        a = ck.doc.sentences[s][0]
        b = ck.doc.sentences[min(s + 1, len(ck.doc.sentences) - 1)][1]
        stoks = toks[a:b]
        located = any(e.sentence in (s, s + 1) and e.kind in ("address", "village") for e in ck.elements)
        for k, t in enumerate(stoks):
            if t.norm in ("di", "dekat", "samping", "belakang", "depan", "seberang", "sebelah", "near") and k + 1 < len(
                stoks
            ):
                nxt = stoks[k + 1]
                if nxt.norm in ("kecamatan", "kabupaten", "kota", "provinsi", "wilayah", "bawah", "dalam"):
                    continue
                if (nxt.is_cap and nxt.norm not in ("lpsk", "rumah")) or nxt.norm in (
                    "jalan",
                    "gang",
                    "kompleks",
                    "perumahan",
                    "blok",
                    "masjid",
                    "gereja",
                    "pasar",
                    "sekolah",
                    "kantor",
                    "toko",
                    "warung",
                    "sebuah",
                    "bangunan",
                    "gedung",
                    "rumah",
                    "pinggir",
                    "ujung",
                    "tepi",
                    "kawasan",
                ):
                    if nxt.norm == "rumah" and k + 2 < len(stoks) and stoks[k + 2].norm == "aman":
                        continue
                    located = True
            if t.norm in ("cat", "pagar", "lantai", "berlantai", "bercat", "nomor", "berpagar"):
                located = True
        if located and not ck._appeal(s):
            ck.add(
                6,
                BLOCK,
                toks[i].start,
                toks[j - 1].end,
                "Keberadaan anak dalam perlindungan LPSK atau rumah aman diungkap (PPRA butir 6).",
                ck.sug("lpsk"),
                "lpsk",
            )
            # The place in that sentence is the shelter's, said once under point 6.
            ck.findings = [
                f
                for f in ck.findings
                if not (f.kind in ("village", "address") and ck._sentence_at(f.start) in (s, s + 1))
            ]
            return


def _point10(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child:
        return
    identifiable = (
        any(e.kind in ("child_name", "school", "village", "address") for e in ck.elements)
        or any(r["visual_words"].token_matches(t) for t in toks)
        or bool(getattr(ck, "known_names", None))
    )
    if not identifiable:
        return
    for name, why in (
        ("political_words", "Anak yang dapat dikenali dikaitkan dengan kegiatan politik (PPRA butir 10)."),
        ("sara_words", "Anak yang dapat dikenali dikaitkan dengan isu SARA (PPRA butir 10)."),
    ):
        for i, j in r[name].find(ck.doc):
            s = toks[i].sentence
            if s not in ck.child_sentences and not any(e.sentence == s and e.kind == "child_name" for e in ck.elements):
                continue
            if ck._appeal(s):
                continue
            if name == "sara_words" and toks[i].norm in ("agama", "beragama") and not ck.case:
                continue
            ck.add(10, WARN, toks[i].start, toks[j - 1].end, why, ck.sug("political"), name)
            break


def _point11(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child:
        return
    flagged: set[int] = set()
    for m in r.patterns["handle_pattern"].finditer(ck.text):
        s = ck._sentence_at(m.start())
        if ck.case or s in ck.child_sentences:
            ck.add(
                11,
                WARN,
                m.start(),
                m.end(),
                "Akun media sosial yang dapat mengarah ke anak (PPRA butir 11).",
                ck.sug("handle"),
                "handle",
            )
            flagged.add(s)
    if not (ck.case or ck.abh):
        return
    for i, j in r["social_words"].find(ck.doc):
        s = toks[i].sentence
        if s in flagged or ck._appeal(s):
            continue
        a, b = ck.doc.sentences[s]
        near_child = s in ck.child_sentences or any(e.sentence == s and e.kind == "child_name" for e in ck.elements)
        official = any(t.norm in ("resmi", "official") for t in toks[a:b])
        material = r["social_material"].any(ck.doc, a, b)
        if not near_child or official or not material:
            continue
        ck.add(
            11,
            WARN,
            toks[i].start,
            toks[j - 1].end,
            "Materi media sosial tentang anak dipakai sebagai sumber atau ditayangkan ulang (PPRA butir 11).",
            ck.sug("social"),
            "social",
        )
        flagged.add(s)


def _point4(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child or not (ck.case or ck.abh or ck.found):
        return
    for s in range(len(ck.doc.sentences)):
        a, b = ck.doc.sentences[s]
        exposure = r["visual_exposure"].find(ck.doc, a, b)
        visual = [x for x in r["visual_words"].find(ck.doc, a, b)]
        if not (exposure or visual):
            continue
        safe = [
            x
            for x in r["visual_safe"].find(ck.doc, a, b)
            if not (x[0] > a and toks[x[0] - 1].norm in ("tanpa", "tidak", "tak", "belum", "without", "not"))
        ]
        if safe or ck._appeal(s):
            continue
        near_child = s in ck.child_sentences or any(e.sentence == s and e.kind == "child_name" for e in ck.elements)
        if not near_child:
            continue
        media = [x for x in visual if toks[x[0]].norm not in ("wajah", "muka", "face")]
        if not exposure and not media:
            continue  # "wajah dan nama pelaku ramai dibagikan": no picture in this text
        if not exposure and any(f.point == 11 and ck._sentence_at(f.start) == s for f in ck.findings):
            continue  # a video inside a social-media post is point 11's material
        i, j = (exposure or media)[0]
        face = bool(exposure) or any(toks[x].norm in ("wajah", "muka", "face") for x, _ in visual)
        point = 9 if ck.found else 4
        ck.add(
            point,
            BLOCK if (face and (ck.abh or ck.sexual)) else WARN,
            toks[i].start,
            toks[j - 1].end,
            "Foto atau video anak dalam berita kasus dapat mengenali anak (PPRA butir 4).",
            ck.sug("visual"),
            "visual",
        )


_CATEGORY_LABELS = {
    "child_name": "nama anak",
    "relative_name": "nama keluarga",
    "school": "sekolah",
    "village": "desa/kelurahan",
    "address": "alamat",
    "age": "usia",
    "grade": "kelas",
    "kinship": "hubungan keluarga pelaku",
}


def identity_categories(text: str, *, rules: Rules, regency_code: str | None) -> tuple[set[str], bool]:
    """The identity details a text gives away, and whether it is a story about harm to a child."""
    ck = _Checker(text, rules, regency_code)
    ck.find_names()
    ck.find_proxies()
    ck.find_kinship()
    return {e.kind for e in ck.elements if e.kind in IDENTITY_KINDS}, ck.case and ck.has_child


def check(
    text: str,
    *,
    regency_code: str | None = None,
    extra_rules: dict[str, list[str]] | None = None,
    register_matcher=None,
    linked_texts: Iterable[str] = (),
) -> Result:
    """Check one text. `regency_code` narrows the village gazetteer to the tenant's kabupaten/kota;
    `extra_rules` are a tenant's added words; `register_matcher(names) -> set[names]` flags registered
    children (the register cross-check, done by the caller with the blind index); `linked_texts` are
    earlier texts published about the same story, whose details combine with this one's (jigsaw)."""
    rules = load_rules(extra_rules)
    ck = _Checker(text, rules, regency_code)
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
    if register_matcher is not None:
        _register(ck, register_matcher)
    findings = _dedupe(ck.findings)
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
    # Drop a finding wholly inside another of the same point (the wider one says it).
    kept: list[Finding] = []
    for f in out:
        if any(
            k.point == f.point and k.start <= f.start and f.end <= k.end and (k.start, k.end) != (f.start, f.end)
            for k in kept
        ):
            continue
        kept.append(f)
    return kept
