"""The story's context: a child in conflict with the law (UU SPPA) or not."""

import bisect

from .words import _OFFENDER_ROOTS, OFFENDER_NOUNS, roots


class _ContextMixin:
    """Part of `_Checker`: the context section."""

    # ---- context --------------------------------------------------------------------------------

    def _abh(self) -> bool:
        """A story about a child in conflict with the law (UU SPPA), not only a child victim."""
        r, toks = self.rules, self.doc.tokens
        # A phrase of the rules' abh_phrases (tenant-extensible) whose words no punctuation separates:
        # "pelaku, anak korban" is not "pelaku anak".
        for i, j in r["abh_phrases"].find(self.doc):
            if all(not self.text[toks[k - 1].end : toks[k].start].strip() for k in range(i + 1, j)):
                return True
        stops = {"korban", "terhadap", "oleh", "kepada", "menimpa", "victim", "against"}
        for s in range(len(self.doc.sentences)):
            a, b = self.doc.sentences[s]
            stoks = toks[a:b]
            for k, t in enumerate(stoks):
                if t.norm not in OFFENDER_NOUNS:
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
                    if u.norm == "anak" and u.index - stoks[k].index - 1 <= 3:
                        return True
        arrested = any(
            t.norm in ("diamankan", "ditangkap", "dibekuk", "diringkus", "diciduk", "ditahan", "tertangkap", "arrested")
            for t in toks
        )
        korban_sentences = {x.sentence for x in toks if x.norm == "korban"}
        for i, t in enumerate(toks[:-1]):
            if (
                t.norm == "masih"
                and toks[i + 1].index in self.child_tokens
                and toks[i + 1].norm not in ("korban",)
                and arrested
                and t.sentence not in korban_sentences
            ):
                return True
        roles = r.lists["abh_child_roles"]
        arrests = r["abh_arrest_words"]
        # Passive forms of these ("dibacok", "dianiaya") after a child's age say the child is the victim.
        victim_roots = r["abh_offence_acts"].roots | _VICTIM_ROOTS
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
            # By bisection over the token offsets: a scan of every token per age was quadratic in the ages.
            lo, hi = bisect.bisect_left(self.token_ends, start - 80), bisect.bisect_right(self.token_ends, start)
            before = toks[max(lo, hi - 8) : hi]
            for t in reversed(before):
                if hi and t.sentence != toks[hi - 1].sentence:
                    break  # "Tolong bantu cari pelaku! Keponakan saya, umur 6 tahun": another sentence
                if t.norm in back_stops or (t.norm.startswith(("di", "me")) and roots(t.norm) & _OFFENDER_ROOTS):
                    break
                if t.norm in OFFENDER_NOUNS:
                    return True
            lo = bisect.bisect_left(self.sent_of_offset, _end)
            after = [t for t in toks[lo : lo + 10] if t.start <= _end + 90]
            if any(t.norm == "korban" for t in before[-4:] if hi and t.sentence == toks[hi - 1].sentence):
                continue  # "memperlihatkan korban, bocah enam tahun, sebelum dibawa pergi pelaku": the victim's age
            # "sebelum dibawa pergi pelaku": the child is what the offender did it to.
            for t in _before_passive_by_offender(after, arrests):
                if t.norm in ("korban", "oleh", "terhadap", "victim") or (
                    t.norm.startswith("di") and roots(t.norm) & victim_roots and not arrests.token_matches(t)
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
        if self._child_offends():
            return True
        # A child noun next to an arrest word in one sentence, the child not being the victim.
        for i in self.child_tokens:
            t = toks[i]
            if self._child_word_qualifies_adult(i):
                continue
            if t.norm in ("korban", "adik", "cucu", "keponakan", "putri", "putra", "anaknya"):
                continue
            after = [w for w in toks[i + 1 : i + 5] if w.sentence == t.sentence]
            before = [w for w in toks[max(0, i - 4) : i] if w.sentence == t.sentence]
            if any(w.norm == "korban" for w in after[:2] + before[-2:]):
                continue
            after = _before_passive_by_offender(after, arrests)
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

    def _child_word_qualifies_adult(self, i: int) -> bool:
        """'Pelatih tim sepak bola remaja, Hendra Gunawan, ditangkap': the child word describes an adult's
        charges (a coach, a teacher, a minder up to four words before), not the one arrested."""
        toks = self.doc.tokens
        s = toks[i].sentence
        return any(w.sentence == s and w.norm in _ADULT_ROLES for w in toks[max(0, i - 4) : i])

    def _child_offends(self) -> bool:
        """A child who is the subject of an offence or an arrest later in the same clause, without a role word:
        "Dua remaja anggota geng motor yang membacok ...", "siswa kelas XI yang kedapatan membawa celurit ... kini
        ditahan", "umur 13 tahun udah berani jambret HP". The look-ahead ends at a victim marker ("korban",
        "oleh", a passive of an offence: "dianiaya"), at another person (an offender, a relative, "pria") or at
        a verb of seeing or reporting (the child is a witness). At most ABH_LOOKAHEAD tokens per child token."""
        r, toks = self.rules, self.doc.tokens
        acts, arrests = r["abh_offence_acts"], r["abh_arrest_words"]
        victim_roots = acts.roots | _VICTIM_ROOTS
        kin = r.sets["kinship"]
        skip = {"korban", "adik", "cucu", "keponakan", "putri", "putra", "anaknya", "bayi", "balita", "batita"}
        for i in sorted(self.child_tokens):
            t = toks[i]
            if self._child_word_qualifies_adult(i):
                continue
            if t.norm in skip or t.forms & {"anaknya", "cucunya", "putrinya", "putranya", "adiknya"}:
                continue
            if any(w.norm == "korban" for w in toks[max(0, i - 2) : i] if w.sentence == t.sentence):
                continue  # "korban, seorang pelajar": the child is the victim
            for w in toks[i + 1 : i + 1 + ABH_LOOKAHEAD]:
                if w.sentence != t.sentence:
                    break
                if w.index in self.child_tokens and w.norm in ("korban",):
                    break
                if w.norm in _ABH_STOPS or (w.forms & kin and w.norm not in ("adik",)):
                    break
                rts = roots(w.norm)
                if (
                    w.norm.startswith(("di", "ter", "ke"))
                    and rts & victim_roots
                    and not arrests.token_matches(w)
                    and w.norm not in ("ketahuan", "kedapatan", "tertangkap")
                ):
                    break  # "bocah yang dianiaya", "tertusuk": the child is the victim
                if rts & {"lihat", "saksi", "lapor", "adu", "tonton", "dengar"}:
                    break  # "siswa itu melihat pria yang membacok ...": a witness
                if arrests.token_matches(w):
                    return True
                if acts.token_matches(w) and not w.norm.startswith(("pe", "di", "ter", "ke", "be")):
                    return True
                if w.norm == "terlibat" or w.norm == "tertangkap":
                    return True
        return False


def _before_passive_by_offender(words: list, arrests) -> list:
    """The words before a passive verb whose agent is the offender ("dibawa pergi pelaku", "dipukul
    tersangka"): what the offender did was done to the child, so a role word after it is not the child's."""
    for k, w in enumerate(words):
        if (
            w.norm.startswith("di")
            and not arrests.token_matches(w)
            and any(x.norm in ("pelaku", "pelakunya", "tersangka") for x in words[k + 1 : k + 3])
        ):
            return words[:k]
    return words


_VICTIM_ROOTS = frozenset(
    {"culik", "rundung", "bully", "siksa", "pukul", "tampar", "tendang", "sekap", "setubuh", "gagah"}
)
# Adults whose role a child word may qualify ("pelatih tim remaja", "pengasuh balita", "guru siswa").
_ADULT_ROLES = frozenset(
    {"pelatih", "pembina", "pengasuh", "pemilik", "instruktur", "pengajar", "pengurus", "guru", "coach"}
)
# How far after a child word its offence or arrest is looked for ("Gilang Saputra, siswa kelas XI yang kedapatan").
ABH_LOOKAHEAD = 12
_ABH_STOPS = frozenset(
    {
        "korban",
        "oleh",
        "menimpa",
        "terhadap",
        "pelaku",
        "pelakunya",
        "tersangka",
        "terdakwa",
        "pria",
        "wanita",
        "lelaki",
        "laki-laki",
        "orang",
        "preman",
        "teman",
        "temannya",
        "kawan",
        "rekan",
        "guru",
        "gurunya",
        "majikan",
        "pengasuh",
        "pengasuhnya",
        "tetangga",
        "tetangganya",
        "warga",
        "sama",
        "victim",
        "by",
        "man",
        "woman",
    }
)
