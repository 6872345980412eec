"""Identity proxies (school, village, address, age, grade) and point 8, the offender's kinship."""

import bisect
import re

from ..text import fold
from .findings import _Element
from .names import _nominalisation
from .words import _OFFENDER_CUES, _OFFENDER_ROOTS, roots

# How far after "om korban" the act is looked for ("Om korban yang dipercaya menjaganya malah melecehkan").
OFFENDER_ACT_WINDOW = 30
# A village named in the English order ("in Sukajadi village"; "village of X" is in the rules' village_pattern).
# Starts only at a word start and bounds each word (like school_pattern): "A-A-A-..." was quadratic.
_EN_VILLAGE_RE = re.compile(r"(?<![\w'-])([A-Z][\w'-]{0,30}(?:\s+[A-Z][\w'-]{0,30}){0,2})\s+village\b")
# "melakukan pencabulan": the act said as a noun after a verb of doing has the sentence's subject as its offender.
_DO_VERBS = frozenset({"melakukan", "melakukannya", "lakukan", "committed"})
# Two words right before a kinship word that make it the tie of the offender named earlier in the sentence.
_TIE_CLAUSES = (["yang", "juga"], ["yang", "sekaligus"], ["is", "her"], ["is", "his"], ["was", "her"], ["was", "his"])
# English offence and arrest words that make an earlier person of the sentence the offender.
_EN_OFFENCE = frozenset({"abusing", "raping", "molesting", "abused", "raped", "molested", "arrested", "accused"})
# Arrest verbs: the person arrested is the offender ("menahan SD (63), kakek korban", "ditahan ... anak kandungnya").
_ARREST_ROOTS = frozenset({"tangkap", "tahan", "ringkus", "bekuk", "ciduk", "arrest"})
# Act words besides the offender roots: "kekerasan seksual terhadap anak tirinya", "abusing his own stepdaughter".
_ACT_WORDS = (_EN_OFFENCE - {"arrested", "accused"}) | {"seksual", "sexual"}
_ADMIN_LEVELS = frozenset({"kabupaten", "kab", "kecamatan", "kec", "kota", "provinsi", "regency", "district"})


def _inside(offset: int, starts: list[int], ends: list[int]) -> bool:
    """Offset within one of the sorted, disjoint spans (starts[k], ends[k])."""
    k = bisect.bisect_right(starts, offset) - 1
    return k >= 0 and offset < ends[k]


class _ProxiesMixin:
    """Part of `_Checker`: the proxies and kinship sections."""

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
            if any(_nominalisation(w) for w in name.split()):
                continue  # "di Lingkungan Satuan Pendidikan": a title's words, not a village's name
            self.elements.append(_Element("village", m.start(), m.end(), self._sentence_at(m.start()), name))
        for m in _EN_VILLAGE_RE.finditer(text):  # "in Sukajadi village": the English order
            if m.group(1).split()[0].lower() not in ("the", "a", "this", "that", "olympic", "global"):
                self.elements.append(_Element("village", m.start(), m.end(), self._sentence_at(m.start()), m.group(1)))
        self._bare_villages()
        # Addresses found by an earlier pattern, sorted by start per pattern (one pattern's matches never
        # overlap): a match inside one is looked up by bisection, not by a scan of every element.
        found: list[tuple[list[int], list[int]]] = []
        for pattern in r.address_patterns:
            starts: list[int] = []
            ends: list[int] = []
            for m in pattern.finditer(text):
                if any(_inside(m.start(), s, e) for s, e in found):
                    continue
                if m.group().split()[0].lower() in ("jalan",) and len(m.group().split()) < 2:
                    continue
                starts.append(m.start())
                ends.append(m.end())
                self.elements.append(_Element("address", m.start(), m.end(), self._sentence_at(m.start())))
            found.append((starts, ends))
        for start, end, value in self.ages:
            if value < 18:
                self.elements.append(_Element("age", start, end, self._sentence_at(start)))
        for m in r.patterns["grade_pattern"].finditer(text):
            if self._after_graded_office(m.start()):
                continue  # "Bapas Kelas II": the office's class
            self.elements.append(_Element("grade", m.start(), m.end(), self._sentence_at(m.start())))

    def _bare_villages(self) -> None:
        """A gazetteer village name after 'warga', 'di', 'asal' ... without the word desa/kelurahan."""
        toks, villages = self.doc.tokens, self.gaz.villages
        if not villages:
            return
        covered = sorted((e.start, e.end) for e in self.elements if e.kind == "village")  # disjoint matches
        c_starts, c_ends = [a for a, _ in covered], [b for _, b in covered]
        for i, t in enumerate(toks[:-1]):
            if t.norm not in ("warga", "di", "asal", "dari", "penduduk", "tinggal", "kampung"):
                continue
            for n in range(min(self.gaz.max_words, 4), 0, -1):
                run = toks[i + 1 : i + 1 + n]
                if len(run) < n or not all(x.is_cap for x in run) or any(x.sentence != t.sentence for x in run):
                    continue
                if run[0].norm in _ADMIN_LEVELS:
                    break  # "di Kabupaten Batu Ampar": a regency or district, not a village
                name = " ".join(fold(x.text) for x in run)
                if name in villages and self.text[run[-1].end : run[-1].end + 2].strip()[:1].isdigit():
                    break  # "di SAPA 129": a hotline or a numbered name, not a village
                if name in villages:
                    span = (run[0].start, run[-1].end)
                    if not _inside(span[0], c_starts, c_ends):
                        self.elements.append(_Element("village", span[0], span[1], t.sentence, name))
                    break

    # ---- point 8: the offender's kinship to the child victim -------------------------------------

    def _offender_act_after(self, i: int, s: int) -> bool:
        """A sexual act later in the sentence whose subject is token i, and no report verb ("ibu korban melapor").
        Read at most OFFENDER_ACT_WINDOW tokens on, inside the sentence: once per kinship word, so a whole-text
        scan made a text of "om korban om korban ..." quadratic."""
        b = self.doc.sentences[s][1]
        later = self.doc.tokens[i + 1 : min(b, i + 1 + OFFENDER_ACT_WINDOW)]
        if any(roots(x.norm) & {"lapor", "adu", "dampingi", "damping"} for x in later):
            return False
        sexual = {"cabul", "perkosa", "setubuh", "leceh", "gagah", "raba"}
        return any(
            roots(x.norm) & sexual
            and (
                x.norm.startswith(("me", "nge", "ng"))
                # "diduga melakukan pencabulan terhadap ...": the act said as a noun after "melakukan"
                or (x.norm.startswith("pe") and k and later[k - 1].norm in _DO_VERBS)
            )
            for k, x in enumerate(later)
        )

    def _offender_earlier(self, i: int, s: int) -> bool:
        """An offender word or a sexual act earlier in sentence s than token i (at most 20 tokens back)."""
        a = self.doc.sentences[s][0]
        for x in self.doc.tokens[max(a, i - 20) : i]:
            if x.forms & {"pelaku", "tersangka", "terdakwa", "suspect"} or x.norm in _EN_OFFENCE:
                return True
            if roots(x.norm) & {"cabul", "perkosa", "setubuh", "leceh", "gagah", "rudapaksa"}:
                return True
        return False

    def find_kinship(self) -> None:
        if not self.sexual:
            return
        r, toks = self.rules, self.doc.tokens
        perp = r.sets["perpetrator_kinship"] - {"tiri", "kandung", "keluarga", "tetangga"}
        qualifiers = r.sets["kinship_qualifiers"]
        kin_end = -1
        for i, t in enumerate(toks):
            if not (t.forms & perp):
                continue
            s = t.sentence
            before = [x for x in toks[max(0, i - 5) : i] if x.sentence == s]
            after = [x for x in toks[i + 1 : i + 5] if x.sentence == s]
            near = before[-3:]
            cue_before = (
                any(x.forms & _OFFENDER_CUES for x in near)
                or any(x.norm.startswith("di") and roots(x.norm) & _OFFENDER_ROOTS for x in before[-2:])
                # "Unit PPA menahan SD (63), kakek korban": the relative is the one arrested.
                or any(
                    (x.norm.startswith("me") and roots(x.norm) & _ARREST_ROOTS) or x.norm in ("arrested", "detained")
                    for x in near
                )
                # "Pelaku pencabulan ... ternyata tetangga sekaligus kerabat korban", "tak lain pamannya".
                or (any(x.norm in ("ternyata", "lain") for x in near) and self._offender_earlier(i, s))
                # "pencabulan oleh guru ngaji yang juga pakde korban", "the man arrested for abusing ... is her
                # stepfather": a relative clause or a copula naming the tie of the offender said earlier.
                or (
                    ([x.norm for x in near[-2:]] in _TIE_CLAUSES or [x.norm for x in near[-1:]] == ["sekaligus"])
                    and self._offender_earlier(i, s)
                )
            )
            cue_after = False
            for x in after[:3]:
                if roots(x.norm) & {"lapor", "adu"}:
                    break  # "ibu korban melaporkan pencabulan itu": the parent reports, not offends
                if roots(x.norm) & _OFFENDER_ROOTS or x.norm in ("tega", "bejat"):
                    cue_after = True
                    break
            # "kakek kandungnya sendiri", "sepupunya sendiri", "bapak tiri korban": the tie is the offender's.
            tail = [x.norm for x in after[:3]]
            if (
                tail[:1] == ["sendiri"]
                or (tail[:1] and after[0].forms & qualifiers and "sendiri" in tail[1:2])
                or (tail[:2] and after[0].forms & qualifiers and tail[1:2] == ["korban"])
            ):
                cue_after = True
            elif tail[:1] == ["korban"] and self._offender_act_after(i, s):
                cue_after = True  # "Om korban yang dipercaya menjaganya malah melecehkan ..."
            elif (
                len(after) >= 2
                and after[0].forms & (r.sets["kinship"] | qualifiers)
                and tail[1:2] == ["korban"]
                and self._offender_act_after(i, s)
            ):
                cue_after = True  # "Kakak sepupu korban, MR (19), diduga melakukan pencabulan ..."
            # "ibu korban melapor": the reporting parent is not the offender.
            if not (cue_before or cue_after):
                continue
            if before and before[-1].norm in ("kepada", "ke", "didampingi", "bersama") and not cue_after:
                continue
            end_tok = t
            for x in after[:2]:
                if x.forms & qualifiers or x.norm in ("kandung", "tiri", "angkat", "sambung"):
                    end_tok = x
                elif x is after[0] and x.forms & r.sets["kinship"]:
                    end_tok = x  # "kakak sepupu korban": one tie
                elif x.norm == "korban" or x.norm.endswith("nya"):
                    end_tok = x
                    break
                else:
                    break
            if t.start < kin_end:
                continue  # inside the tie found just before ("bapak tiri"): tokens come in order
            kin_end = end_tok.end
            self.elements.append(_Element("kinship", t.start, end_tok.end, s, t.text))
        # The victim named by the tie right after the act: "mencabuli anak tirinya", "raped his stepdaughter".
        # What stands earlier in the sentence is read once per sentence, in order (a scan back to the sentence
        # start per match made a long sentence of ties quadratic).
        kin_sentences = {e.sentence for e in self.elements if e.kind == "kinship"}
        seen_to, offender_seen, report_seen = -1, False, False
        for i, j in r["victim_kinship"].find(self.doc):
            s = toks[i].sentence
            a = self.doc.sentences[s][0]
            if seen_to < a:
                seen_to, offender_seen, report_seen = a, False, False
            for x in toks[seen_to:i]:
                offender_seen = (
                    offender_seen
                    or bool(x.forms & {"pelaku", "tersangka", "terdakwa", "suspect"})
                    # "TK (47) ditahan polisi atas dugaan pencabulan terhadap anak kandungnya": the arrested man's tie.
                    # "penangkapan Mbah Sarijo (71) atas dugaan pencabulan terhadap cucu kandungnya": the arrest noun.
                    or (x.norm.startswith(("di", "me", "pe")) and bool(roots(x.norm) & _ARREST_ROOTS))
                )
                report_seen = report_seen or bool(roots(x.norm) & {"lapor", "adu"})
            seen_to = max(seen_to, i)
            before = toks[max(a, i - 4) : i]
            acts = [x for x in before if roots(x.norm) & _OFFENDER_ROOTS or x.norm in _ACT_WORDS]
            if not acts:
                continue
            # "MR (19) diduga melakukan pencabulan terhadap adik sepupunya": the noun after "melakukan" is an act.
            done = any(x.norm in _DO_VERBS for x in before)
            if not offender_seen and not done and all(x.norm.startswith("pe") for x in acts):
                continue  # "kasus pencabulan yang menimpa putrinya": the speaker's child, no offender's tie
            if report_seen:
                continue  # "paman korban melaporkan pencabulan terhadap keponakannya": the reporter's tie
            if s in kin_sentences:
                continue
            kin_sentences.add(s)
            self.elements.append(_Element("kinship", toks[i].start, toks[j - 1].end, s, toks[i].text))
