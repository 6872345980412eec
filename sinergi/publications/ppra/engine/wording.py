"""Points 2 (sexual or sadistic detail, stigmatising labels), 3 and 7 (quotes and interviews of a child)."""

from ..text import Token
from .checker import _Checker
from .findings import BLOCK, WARN
from .words import _ADULT_SPEAKERS, _CHILD_PRONOUNS, _QUOTE_RE, _WITNESS_SPEAKERS


def _warns_against(ck: _Checker, s: int) -> bool:
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


def _child_interviewed(ck: _Checker, a: int, b: int) -> bool:
    """'mewawancarai (seorang) anak saksi ...': the child is the object of the interview verb."""
    toks = ck.doc.tokens
    for i, j in ck.rules["interview_phrases"].find(ck.doc, a, b):
        verb = toks[i].norm.startswith("mewawancara") or toks[i].norm == "wawancarai"
        if verb and any(k in ck.child_tokens for k in range(j, min(j + 4, b))):
            return True
    return False


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
        # "tentang perceraian ayah dan ibunya": the adults named as the topic do not speak.
        topic: set[int] = set()
        for k, t in enumerate(stoks):
            if t.norm in ("tentang", "soal", "mengenai", "perihal", "about"):
                for u in stoks[k + 1 :]:
                    if text[toks[u.index - 1].end : u.start].strip():
                        break
                    topic.add(u.index)
        if (
            has_interview
            and any(t.index in ck.child_tokens for t in stoks)
            and not any(t.norm in _ADULT_SPEAKERS - {"warga"} and t.index not in topic for t in stoks)
        ):
            child_subject = True
        if has_interview and _child_interviewed(ck, a, b):
            child_subject = True
        if not child_subject:
            continue
        witness = any(
            t.norm in ("saksi", "melihat", "lihat", "menyaksikan", "witness", "saw") or t.norm in _WITNESS_SPEAKERS
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
