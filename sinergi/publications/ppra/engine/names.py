"""Identity: names of children and relatives in capitalised runs."""

import bisect
import re

from ..text import Token, fold
from .findings import _Element
from .words import (
    _AFTER_NAME_AGE_RE,
    _CONNECTORS,
    _OFFENDER_ROOTS,
    _PLACE_PREPOSITIONS,
    AFTER_NAME_AGE_WORDS_RE,
    number_value,
    roots,
)

# Capitalised words that make the rest of their run an office or a place's name.
_INSTITUTION_LEADS = frozenset(
    {
        "polsek",
        "polres",
        "polda",
        "pengadilan",
        "kejaksaan",
        "rsud",
        "puskesmas",
        "dinas",
        "kantor",
        "kabupaten",
        "kecamatan",
        "kota",
        "provinsi",
        "desa",
        "kelurahan",
        "dusun",
        "jalan",
        "gang",
        "masjid",
        "gereja",
        "pasar",
        "lapangan",
        "taman",
        "gedung",
        "balai",
        "universitas",
        "pemkab",
        "pemkot",
    }
)
# Words for an adult: a clause or a naming that holds one is about the adult, not the child.
_ADULT_NOUNS = frozenset({"pelaku", "tersangka", "terdakwa", "pria", "wanita", "lelaki", "suspect", "man", "woman"})


# A derived noun ("Pemberitaan", "Peradilan", "Penetapan", "Kesehatan"): a word of a law's, an office's or a
# programme's title, never of a person's name (names like "Setiawan" or "Kurniawan" have no pe-/ke- prefix).
_AGE_UNITS = frozenset({"tahun", "thn", "th", "tahunan", "bulan", "years", "year", "yo"})
_INDEFINITE = frozenset({"seorang", "sesosok", "a", "an"})


def _nominalisation(word: str) -> bool:
    w = fold(word).lower()
    return len(w) >= 9 and w.isalpha() and w.startswith(("pe", "ke")) and w.endswith("an")


# Capitalised common nouns of offices, guidelines and letters: "Satreskrim", "Pedoman ...", "Orang Tua Siswa".
_TITLE_WORDS = frozenset(
    {"satreskrim", "satreskoba", "satlantas", "pedoman", "sistem", "nomor", "perppu", "tua", "wali", "murid"}
)

# Words of an office's, a law's or a programme's name (English ones: the Indonesian are nominalisations).
_INSTITUTION_WORDS = frozenset(
    {
        "office",
        "law",
        "act",
        "agency",
        "department",
        "ministry",
        "council",
        "commission",
        "court",
        "unit",
        "service",
        "services",
        "centre",
        "center",
        "foundation",
        "programme",
        "program",
        "forum",
        "association",
        "regulation",
        "protection",
        "empowerment",
        "police",
        "undang-undang",
    }
)
# A spouse is an adult's relative: "suaminya, Sutrisno" names the victim's husband, not a child's kin.
_SPOUSE_WORDS = frozenset({"suami", "suaminya", "istri", "istrinya", "isteri", "isterinya", "husband", "wife"})
_ALIAS_AGE_RE = re.compile(r"^\s+alias\s+(?:[A-Z][\w'.]*\s+){0,3}\((\d{1,2})\)")
_AGE_BEFORE_ALIAS_RE = re.compile(r"\((\d{1,2})\)\s*$")


def _reduplicated(word: str) -> bool:
    """ "Undang-Undang", "Kanak-Kanak": a reduplicated common noun, not a name."""
    head, sep, tail = word.partition("-")
    return bool(sep) and head.lower() == tail.lower()


_GRADE_AFTER_NAME = re.compile(
    r"^\s*(?:[(,]\s*)?(?:kelas|kls)\s+(?:\d{1,2}[A-Z]?|[IVX]{1,4}|satu|dua|tiga|empat|lima|enam)\b", re.IGNORECASE
)


class _NamesMixin:
    """Part of `_Checker`: the names section."""

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
        if any(_reduplicated(t.text) for t in run) or any(w in _INSTITUTION_WORDS for w in words):
            return None  # "Undang-Undang", "Child Protection Office": a law's or an office's name
        whole_before = self._prev_words(a, 2)
        if [t.norm for t in whole_before][-1:] == ["tentang"] and b - a >= 2:
            return None  # "UU ... tentang Tindak Pidana Kekerasan Seksual": a title
        nn, titles = r.sets["not_names"], r.sets["titles"]
        # Drop leading non-name words ("Korban Dinda" -> "Dinda"); by index, not a copy of the run per word.
        k = 0
        while k < len(run) and self._lead_word(run[k]):
            k += 1
        if any(t.norm in _INSTITUTION_LEADS for t in run[:k]):
            return None  # "Polsek Sungai Lada", "Pasar Inpres Lubuk Pandan": an office or a place, not a person
        run = run[k:]
        if not run:
            return None
        a = run[0].index
        b = run[-1].index + 1
        if self._numbered_reference(b):
            return None  # "Pasal 82", "Nomor 17 Tahun 2016": a numbered reference, not a person
        words = [t.norm for t in run]
        if all(t.is_upper and len(t.text) <= 3 for t in run):
            return ("initials", self._age_after(b))
        if any(t.is_upper and len(t.text) > 3 for t in run):
            return None  # an acronym: DPPPA, POLRES
        if any(w in nn or w in titles or w in _TITLE_WORDS for w in words):
            return None
        if any(_nominalisation(t.text) for t in run):
            return None  # "Sistem Peradilan Pidana", "Penetapan Perppu": a title, not a person
        if any(r["sara_words"].token_matches(t) or r["political_words"].token_matches(t) for t in run):
            return None
        folded = " ".join(fold(t.text) for t in run)
        prev = self._prev_words(a, 5)
        # "bernama Cinta (8)": a person, even when a village somewhere bears the same name.
        named = (bool(prev) and bool(prev[-1].forms & r.sets["naming_cues"])) or self._age_after(b) is not None
        if (folded in self.gaz.safe_places or folded in self.gaz.villages) and not named:
            return None
        prev_norms = [t.norm for t in prev]
        if prev_norms and prev_norms[-1] in _PLACE_PREPOSITIONS:
            return None
        if prev_norms[-2:-1] and prev_norms[-1] == "nama" and prev_norms[-2] in ("papan", "plang", "merek", "label"):
            return None  # 'papan nama "Toko Berkah Jaya"': a signboard's name, a shop, not a person
        after = self.text[toks[b - 1].end : toks[b - 1].end + 40]
        if any(after.lower().lstrip(" (,").startswith(p) for p in ("bukan nama", "nama samaran", "samaran")):
            return ("pseudonym", None)
        if [t.norm for t in prev[-3:]][-2:] == ["sebut", "saja"] or [t.norm for t in prev[-3:]] == [
            "sebut",
            "saja",
            "namanya",
        ]:
            return ("pseudonym", None)  # "sebut saja Mawar": the newsroom's usual pseudonym
        age = self._age_after(b)
        if age is None:
            later = _ALIAS_AGE_RE.match(self.text[toks[b - 1].end : toks[b - 1].end + 60])
            age = int(later.group(1)) if later else None  # "Rosmawati alias Mami Ros (45)": the alias's age
        alias = self._alias_of_adult(a, age)
        if alias:
            return alias
        if _GRADE_AFTER_NAME.match(self.text[toks[b - 1].end : toks[b - 1].end + 16]):
            return ("child", age)  # "Nayla Anindita (kelas IX-A)", "si Yosua kelas 5": a pupil
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
        sentence_opener = b - a == 1 and (a == 0 or toks[a - 1].sentence != toks[a].sentence)
        if (
            nxt
            and not sentence_opener  # "Astaga, anak 7 tahun ...": an exclamation, not a name
            and self.text[toks[b - 1].end : nxt[0].start].strip() == ","
            and nxt[0].norm == "anak"
        ):
            # "si Bunga Citra, anak tetangga gw umur 7 thn, ...": an apposition that gives a child's age.
            clause_end = self.text.find(",", nxt[0].end)
            clause_end = nxt[0].end + 60 if clause_end < 0 else min(clause_end, nxt[0].end + 60)
            starts = self._child_age_starts()
            k = bisect.bisect_left(starts, nxt[0].start)
            if k < len(starts) and starts[k] < clause_end:
                return ("child", age)
        if self._child_clause_after(a, b):
            return ("child", age)
        kin = any(t.forms & r.sets["kinship"] and not self._generic_kin(t.index) for t in prev[-3:])
        child_cue = any(
            t.index in self.child_tokens and not self._child_word_qualifies_adult(t.index) for t in prev[-3:]
        )
        naming = any(t.forms & r.sets["naming_cues"] for t in prev[-2:]) or (
            # "identified by police as Dani Firmansyah", "known as ...": an English naming
            prev_norms[-1:] == ["as"] and bool({"identified", "named", "known"} & set(prev_norms[-4:]))
        )
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
            # "Pelajar berusia 17 tahun itu ... Identitas lengkapnya, Reza Pahlevi": named in the next sentence.
            s = toks[a].sentence
            if (
                s - 1 in self.child_sentences
                and not any(t.forms & _ADULT_NOUNS for t in wider)
                and any(t.forms & {"identitas", "identitasnya", "namanya", "lengkapnya"} for t in prev[-3:])
            ):
                return ("child", None)
            return ("adult", None)
        return ("unknown", None)

    def _numbered_reference(self, b: int) -> bool:
        """ "Pasal 82", "Nomor 17 Tahun 2016": a run followed by a bare number that is no age ("Dinda 10 tahun",
        "Dinda (10)" are ages)."""
        toks = self.doc.tokens
        after = self.text[toks[b - 1].end : toks[b - 1].end + 24]
        if len(after) < 2 or after[0] != " " or not after[1].isdigit() or self._age_after(b) is not None:
            return False
        rest = after[1:].lstrip("0123456789").split()
        return not (rest and rest[0].strip(",.").lower() in _AGE_UNITS)

    def _alias_of_adult(self, a: int, age: int | None) -> tuple[str, int | None] | None:
        """ "Rina Marlina alias Mami Rin (42)", "Ahmad Rifai (29) alias Pe'i": a nickname of the adult named just
        before, not a relative or a child (the kinship word in it is part of the nickname)."""
        toks = self.doc.tokens
        k = a - 1
        while k >= 0 and toks[k].sentence == toks[a].sentence and self._lead_word(toks[k]) and a - k <= 2:
            k -= 1
        if k < 0 or toks[k].norm != "alias":
            return None
        before = _AGE_BEFORE_ALIAS_RE.search(self.text[max(0, toks[k].start - 40) : toks[k].start])
        adult_age = age if age is not None else (int(before.group(1)) if before else None)
        return ("adult", adult_age) if adult_age is not None and adult_age >= 18 else None

    def _generic_kin(self, i: int) -> bool:
        """ "Seorang ibu, Marni (35)", "Seorang ibu rumah tangga, Sri (41)": a kinship word used as the adult's own
        description (after an indefinite article, or the occupation "ibu rumah tangga"), not her relation to the
        story's child ("ibu korban, Marni", "ibunya, Marni"), so the name after it is an adult's."""
        toks = self.doc.tokens
        after = [t.norm for t in toks[i + 1 : i + 3] if t.sentence == toks[i].sentence]
        if after[:1] and toks[i + 1].index in self.child_tokens:
            return False  # "seorang ibu korban": the victim's mother
        if toks[i].norm in _SPOUSE_WORDS:
            return True  # "dianiaya suaminya, Sutrisno (39)", "istrinya, Lestari (40)": an adult's spouse
        if after == ["rumah", "tangga"]:
            return True
        return i > 0 and toks[i - 1].sentence == toks[i].sentence and toks[i - 1].norm in _INDEFINITE

    def _child_age_starts(self) -> list[int]:
        """Where the ages under 18 start, sorted (built once: looked up by bisection per name)."""
        if ("child_age_starts",) not in self.memo:
            self.memo[("child_age_starts",)] = sorted(st for st, _e, v in self.ages if v < 18)
        return self.memo[("child_age_starts",)]

    def _child_clause_after(self, a: int, b: int) -> bool:
        """'Salsabila Putri, yang masih duduk di kelas 4, ...': a relative clause right after the name that
        says the named person is a child; it ends at a relative, an act, a victim word (the clause is then
        about someone else: "Hendra, yang mencabuli anak itu")."""
        r, toks = self.rules, self.doc.tokens
        if b >= len(toks) or toks[b].norm != "yang" or self.text[toks[b - 1].end : toks[b].start].strip() != ",":
            return False
        for t in toks[b + 1 : b + 9]:
            if t.sentence != toks[a].sentence or t.norm in ("korban", "terhadap", "oleh") or t.forms & _ADULT_NOUNS:
                return False
            if t.forms & r.sets["kinship"] or roots(t.norm) & _OFFENDER_ROOTS:
                return False
            if t.index in self.child_tokens:
                return True
        return False

    def _age_after(self, b: int) -> int | None:
        toks = self.doc.tokens
        m = _AFTER_NAME_AGE_RE.match(self.text[toks[b - 1].end : toks[b - 1].end + 20])
        if m:
            return int(m.group(1) or m.group(2))
        m = AFTER_NAME_AGE_WORDS_RE.match(self.text[toks[b - 1].end : toks[b - 1].end + 50])
        return number_value(m.group(1)) if m else None

    def find_names(self) -> None:
        toks = self.doc.tokens
        known: dict[str, str] = {}  # first name -> kind, for later bare mentions
        pending: list[tuple[int, int, str]] = []
        for a, b in self._cap_sequences():
            got = self._classify_name(a, b)
            if got is None:
                continue
            kind, age = got
            # Re-find the trimmed run (classification drops leading non-names only: "Salsabila Putri" keeps its
            # second word, a child noun that is also a common name).
            k = a
            while k < b and self._lead_word(toks[k]):
                k += 1
            run = toks[k:b]
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
            or (t.index in self.child_tokens and "-" in t.text)  # "Nine-year-old Maya Sari"
        )
