"""Points 2 (sexual or sadistic detail, stigmatising labels), 3 and 7 (quotes and interviews of a child)."""

import bisect
import itertools
import re

from ..text import Token
from .checker import _Checker
from .findings import BLOCK, WARN
from .words import _ADULT_SPEAKERS, _CHILD_PRONOUNS, _QUOTE_RE, _WITNESS_SPEAKERS

_SAW = frozenset({"melihat", "menyaksikan", "lihat", "saw", "saksi", "witness", "witnessed"})
_TOPIC_WORDS = frozenset({"tentang", "soal", "mengenai", "perihal", "about"})


def _warns_against(ck: _Checker, s: int) -> bool:
    key = ("warns_against", s)
    if key not in ck.memo:
        ck.memo[key] = _warns_against_uncached(ck, s)
    return ck.memo[key]


def _warns_against_uncached(ck: _Checker, s: int) -> bool:
    a, b = ck.doc.sentences[s]
    return any(t.norm in ("agar", "supaya", "tidak", "bukan") for t in ck.doc.tokens[a:b]) and any(
        t.norm in ("label", "melabeli", "memberi", "menyebut", "cap", "stigma") for t in ck.doc.tokens[a:b]
    )


def _point2(ck: _Checker) -> None:
    r = ck.rules
    if not (ck.case or ck.sexual):
        _point2_labels(ck)
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
    _point2_labels(ck)


def _point2_labels(ck: _Checker) -> None:
    """Stigmatising labels for a child: wrong in any story about a child, not only a case story,
    except where the text warns against them ("jangan memberi label anak nakal")."""
    r, toks = ck.rules, ck.doc.tokens
    if ck.has_child:
        for i, j in r["point2_labels"].find(ck.doc):
            if ck._appeal(toks[i].sentence) or _warns_against(ck, toks[i].sentence):
                continue
            ck.add(
                2,
                WARN,
                toks[i].start,
                toks[j - 1].end,
                "Label yang menstigma anak; gunakan kata yang empatik dan netral (PPRA butir 2).",
                ck.sug("label"),
                "label",
            )


_PRONOUNS = frozenset({"dia", "ia", "doi"})
_COLLOQUIAL_SPEECH = frozenset(
    {"cerita", "bercerita", "menceritakan", "bilang", "ngaku", "mengaku", "ngomong", "curhat", "mengatakan"}
)


def _pronoun_speaks(stoks: list[Token]) -> bool:
    """'dia cerita ...', 'ia mengaku ...': a pronoun right before a speech verb (the subject who told)."""
    return any(t.norm in _PRONOUNS and u.norm in _COLLOQUIAL_SPEECH for t, u in itertools.pairwise(stoks))


def _child_interviewed(ck: _Checker, a: int, b: int) -> bool:
    """'mewawancarai (seorang) anak saksi ...': the child is the object of the interview verb."""
    toks = ck.doc.tokens
    for i, j in ck.rules["interview_phrases"].find(ck.doc, a, b):
        verb = toks[i].norm.startswith("mewawancara") or toks[i].norm == "wawancarai"
        if _not_done(ck, i, a):
            continue  # "tidak mengizinkan wartawan mewawancarai anak", "dilarang mewawancarai": no interview
        if verb and any(k in ck.child_tokens for k in range(j, min(j + 4, b))):
            return True
    return False


# A negation or prohibition right before the interview verb: the interview did not take place.
_NOT_DONE = frozenset({"tidak", "tak", "jangan", "dilarang", "melarang", "menolak", "tanpa", "not", "never", "refused"})


def _not_done(ck: _Checker, i: int, a: int) -> bool:
    """A negation or prohibition in the four words before the interview phrase at token i (same sentence)."""
    return any(t.norm in _NOT_DONE or t.forms & _NOT_DONE for t in ck.doc.tokens[max(a, i - 4) : i])


# English roles of an adult who speaks for an office ("The head of the unit, Yulianti, said").
_ADULT_ROLES_EN = frozenset({"head", "chief", "spokesperson", "spokesman", "spokeswoman", "director", "officer"})
# Verbs that attribute speech in a release without being quote tags ("Kapolres ... menyampaikan bahwa ...").
_ATTRIBUTION_VERBS = frozenset(
    {
        "menyampaikan",
        "menegaskan",
        "menambahkan",
        "memaparkan",
        "menjelaskan",
        "menyebut",
        "membenarkan",
        "menerangkan",
        "explained",
        "added",
        "confirmed",
    }
)


# A quote in which the speaker calls the child "anak saya", "putri kami", "my daughter": a parent's words.
_PARENT_SPEAKS_RE = re.compile(
    r"\b(?:anak|putri|putra|buah\s+hati)\s+(?:saya|kami|aku|sy)\b|\banakku\b|\bputriku\b|\bputraku\b|"
    r"\bmy\s+(?:daughter|son|child|girl|boy)\b",
    re.IGNORECASE,
)
_TOLD_VERBS = frozenset({"bercerita", "menceritakan", "mengadu", "mengaku", "told"})
_TOLD_TO = frozenset({"kepada", "pada", "ke", "to"})


def _told_someone(ck: _Checker, i: int, b: int) -> bool:
    """Speech verb i is "bercerita kepada <someone>" (a teacher, a relative, "siapa pun"): what the child told
    the people around it, not what a reporter asked."""
    toks = ck.doc.tokens
    if toks[i].norm not in _TOLD_VERBS:
        return False
    nxt = [t.norm for t in toks[i + 1 : min(b, i + 3)]]
    return bool(nxt) and nxt[0] in _TOLD_TO and not (nxt[1:] and nxt[1] in _MEDIA_LISTENERS)


_MEDIA_LISTENERS = frozenset({"wartawan", "media", "kami", "redaksi", "reporter", "kita", "awak", "jurnalis"})


def _last_speaker_adult(ck: _Checker, before: int) -> bool:
    """Whether the last speech verb before token `before` (same or two previous sentences) has an adult subject:
    "Kepala UPTD PPA, Yulianti, mengatakan ... . Pada pekan pertama ... . "Kami dampingi ...," ujarnya." — the
    pronoun then refers back to that official, not to the story's child."""
    r, toks = ck.rules, ck.doc.tokens
    if before <= 0:
        return False
    floor = toks[before - 1].sentence - 2
    k = before - 1
    while k >= 0 and toks[k].sentence >= floor:
        if toks[k].forms & r.sets["speech_words"] or toks[k].norm in _ATTRIBUTION_VERBS:
            subject = [t for t in toks[max(0, k - 8) : k] if t.sentence == toks[k].sentence]
            return any(
                t.norm in _ADULT_SPEAKERS or t.forms & r.sets["titles"] or t.norm in _ADULT_ROLES_EN for t in subject
            ) and not any(t.index in ck.child_tokens for t in subject[-3:])
        k -= 1
    return False


def _speaker_is_child(ck: _Checker, tokens: list[Token], before: int = 0) -> tuple[bool, bool]:
    """(child, witness) for the few words naming who spoke; `before` is the token index of the quote's start."""
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
        return (False, False) if _last_speaker_adult(ck, before) else (True, witness)
    return False, False


def _points_3_7(ck: _Checker) -> None:
    r, text, toks = ck.rules, ck.text, ck.doc.tokens
    if not ck.has_child:
        return
    done: set[int] = set()
    starts = [t.start for t in toks]
    # Per sentence, read once: a text of many quotes in one long sentence re-read it for every quote.
    trauma_in: dict[int, bool] = {}
    seen_in: dict[int, bool] = {}
    for m in _QUOTE_RE.finditer(text):
        lo = bisect.bisect_left(starts, m.end())
        after = [t for t in toks[lo : lo + 12] if t.start < m.end() + 120]
        if after:
            after = [t for t in after if t.sentence == after[0].sentence]
        lo, hi = bisect.bisect_left(starts, m.start() - 70), bisect.bisect_left(starts, m.start())
        before = toks[max(lo, hi - 6) : hi]
        child, witness = _speaker_is_child(ck, after, hi)
        if not child:
            child, witness = _speaker_is_child(ck, before, hi)
        if not child or _PARENT_SPEAKS_RE.search(m.group(1)):
            continue  # "... menyebarkan foto anak saya," katanya: a parent speaks, not the child
        s = ck._sentence_at(m.start())
        s_end = ck._sentence_at(m.end())
        around = range(max(s - 1, 0), min(s_end, len(ck.doc.sentences) - 1) + 1)
        for x in around:
            if x not in trauma_in:
                stoks = ck.doc.sentence_tokens(x)
                # By phrase, not by token: "gantung diri", "bunuh diri" are two words.
                trauma_in[x] = r["trauma_words"].any(ck.doc, *ck.doc.sentences[x])
                seen_in[x] = any(t.norm in _SAW for t in stoks)
        trauma = any(trauma_in[x] for x in around) or (ck.case and ck.sexual)
        sentence_witness = witness or any(seen_in[x] for x in around)
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
        if s in done:
            continue
        a, b = ck.doc.sentences[s]
        stoks = toks[a:b]
        # "... sama adek saksi yg liat pembunuhan, umur 11 th. Pelakunya masih berkeliaran, dia cerita semua
        # ciri2nya ke kita": a pronoun right before a speech verb carries on the child of the sentence before.
        carried = s not in ck.child_sentences and s - 1 in ck.child_sentences and _pronoun_speaks(stoks)
        if s not in ck.child_sentences and not carried:
            continue
        has_interview = any(not _not_done(ck, i, a) for i, _ in interview.find(ck.doc, a, b))
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
                "menyebut",
                "menyebutkan",
                "described",
            )
        ]
        # "korban bercerita kepada gurunya", "berani bercerita kepada siapa pun": the child told an adult it trusts
        # (how the case came to light), not an interview.
        speech = [t for t in speech if not _told_someone(ck, t.index, b)]
        if not (has_interview or speech or carried):
            continue
        # A child named before a speech verb, and no adult before it: one pass over the sentence, in order.
        child_subject = False
        child_before = adult_before = False
        speech_at = {t.index for t in speech}
        for t in stoks:
            if t.index in speech_at and child_before and not adult_before:
                child_subject = True
                break
            child_before = child_before or (
                t.index in ck.child_tokens or (t.text in ck.known_names and ck.known_names[t.text] != "relative")
            )
            # "Kakak korban, Ramli (20), mengatakan ...": a relative named before the verb speaks, not the child.
            adult_before = adult_before or t.norm in _ADULT_SPEAKERS or ck.known_names.get(t.text) == "relative"
        # "tentang perceraian ayah dan ibunya": the adults named as the topic do not speak. The topic runs from
        # the topic word to the next punctuation, found in one pass (not one walk to the sentence end per word).
        topic: set[int] = set()
        running = False
        for t in stoks:
            if running and text[toks[t.index - 1].end : t.start].strip():
                running = False
            if running:
                topic.add(t.index)
            if t.norm in _TOPIC_WORDS:
                running = True
        if (
            has_interview
            and any(t.index in ck.child_tokens for t in stoks)
            and not any(t.norm in _ADULT_SPEAKERS - {"warga"} and t.index not in topic for t in stoks)
        ):
            child_subject = True
        if has_interview and _child_interviewed(ck, a, b):
            child_subject = True
        child_subject = child_subject or carried
        if not child_subject:
            continue
        # "Anak saksi ... melihat ... . Pelaku belum ditangkap, namun bocah itu kami wawancarai": the witness of
        # the sentence before is the child spoken to.
        told = toks[ck.doc.sentences[s - 1][0] : b] if s and (carried or s - 1 in ck.child_sentences) else stoks
        witness = any(
            t.norm in ("saksi", "melihat", "lihat", "menyaksikan", "witness", "saw") or t.norm in _WITNESS_SPEAKERS
            for t in told
        )
        trauma = r["trauma_words"].any(ck.doc, a, b)
        if not (ck.case or trauma):
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
        elif trauma or has_interview:
            ck.add(
                3,
                WARN,
                start,
                end,
                "Anak diwawancarai tentang pengalaman traumatis (PPRA butir 3).",
                ck.sug("quote"),
                "interview",
            )
