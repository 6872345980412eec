"""Points 6 (shelter), 10 (politics, SARA), 11 (social media) and 4 (pictures of a child)."""

from .checker import _Checker
from .findings import BLOCK, WARN
from .identity import convention_finding


def _point6(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child:
        return
    located_in: dict[int, bool] = {}  # per sentence, read once (not once per shelter word)
    placed = {e.sentence for e in ck.elements if e.kind in ("address", "village")}
    for i, j in r["protection_words"].find(ck.doc):
        s = toks[i].sentence
        if s not in located_in:
            located_in[s] = _shelter_located(ck, s, placed)
        if located_in[s] and not ck._appeal(s):
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


def _shelter_located(ck: _Checker, s: int, placed: set[int]) -> bool:
    """A place named in sentence s or the next: the shelter's whereabouts."""
    toks = ck.doc.tokens
    a = ck.doc.sentences[s][0]
    b = ck.doc.sentences[min(s + 1, len(ck.doc.sentences) - 1)][1]
    stoks = toks[a:b]
    located = any(e.sentence in (s, s + 1) and e.kind in ("address", "village") for e in ck.elements)
    # "mendapat layanan di RPSA": the shelter's own name after "di" says which service, not where it is.
    shelter = {x for i, j in ck.rules["protection_words"].find(ck.doc, a, b) for x in range(i, j)}
    for k, t in enumerate(stoks):
        if t.norm in ("di", "dekat", "samping", "belakang", "depan", "seberang", "sebelah", "near") and k + 1 < len(
            stoks
        ):
            nxt = stoks[k + 1]
            if nxt.norm in ("kecamatan", "kabupaten", "kota", "provinsi", "wilayah", "bawah", "dalam"):
                continue
            if nxt.index in shelter:
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
        if t.forms & {"cat", "pagar", "lantai", "berlantai", "bercat", "nomor", "berpagar"}:
            located = True  # by form: "yg pagarnya ijo"
    return located


_RELIGION_OFFICES = frozenset(
    {
        "pengadilan",
        "kementerian",
        "kemenag",
        "kantor",
        "urusan",
        "departemen",
        "guru",
        "pelajaran",
        "pendidikan",
        "tokoh",
        "pemuka",
        "penyuluh",
        "lembaga",
        "mata",
        "bimbingan",
        "nilai",
        "nilai-nilai",
        "sekolah",
        "kegiatan",
    }
)


_SPPA_WHY = {
    "sppa_adult_detention": "Anak berkonflik dengan hukum ditahan bersama orang dewasa; berita ini menyiarkannya "
    "seolah wajar (UU SPPA pasal 3 dan 32, PPRA butir 12).",
    "sppa_diversion_denied": "Berita membenarkan penolakan diversi yang wajib diupayakan (UU SPPA pasal 7, PPRA butir 12).",
    "sppa_closed_hearing": "Isi sidang anak yang tertutup atau catatannya (berita acara, litmas, diversi) disiarkan "
    "(UU SPPA pasal 19 dan 54, PPRA butir 12).",
}


def point12_procedure(ck: _Checker) -> None:
    """UU SPPA breaches without the child's identity in a story about a child in conflict with the law: detention
    with adults, diversion refused as policy, a closed hearing's content or records published. One finding per
    kind; a sentence that warns against it ("jangan ... bersama tahanan dewasa") is not one."""
    r, toks = ck.rules, ck.doc.tokens
    if not ck.abh:
        return
    for name in ("sppa_adult_detention", "sppa_diversion_denied"):
        read: set[int] = set()  # each sentence judged once, however many matches it holds
        for i, j in r[name].find(ck.doc):
            s = toks[i].sentence
            if s in read:
                continue
            read.add(s)
            a = ck.doc.sentences[s][0]
            if ck._appeal(s) or any(
                toks[k].norm in ("terpisah", "dipisahkan", "dipisah", "separate") for k in range(a, j)
            ):
                continue
            if name == "sppa_adult_detention" and any(toks[k].norm in _NEGATIONS for k in range(max(a, i - 4), i)):
                continue  # "tidak ditahan bersama tahanan dewasa"
            start, end = ck.doc.sentence_span(s)
            ck.add(12, WARN, start, end, _SPPA_WHY[name], ck.sug("sppa_procedure"), "sppa")
            break
    for s in sorted({toks[i].sentence for i, _j in r["sppa_closed_hearing"].find(ck.doc)}):
        window = range(s, min(s + 2, len(ck.doc.sentences)))
        if any(ck._appeal(x) for x in window):
            continue
        if any(ck._sentence_has("sppa_record_leak", x) for x in window):
            start, end = ck.doc.sentence_span(s)
            ck.add(12, WARN, start, end, _SPPA_WHY["sppa_closed_hearing"], ck.sug("sppa_procedure"), "sppa")
            break


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
    named_in = {e.sentence for e in ck.elements if e.kind == "child_name"}
    for name, why in (
        ("political_words", "Anak yang dapat dikenali dikaitkan dengan kegiatan politik (PPRA butir 10)."),
        ("sara_words", "Anak yang dapat dikenali dikaitkan dengan isu SARA (PPRA butir 10)."),
    ):
        for i, j in r[name].find(ck.doc):
            s = toks[i].sentence
            if s not in ck.child_sentences and s not in named_in:
                continue
            if ck._appeal(s):
                continue
            if name == "sara_words" and toks[i].norm in ("agama", "beragama") and not ck.case:
                continue
            if name == "sara_words" and i and toks[i - 1].norm in _RELIGION_OFFICES:
                continue  # "Pengadilan Agama", "guru agama", "Kantor Kementerian Agama": an office or a subject
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
    named_in = {e.sentence for e in ck.elements if e.kind == "child_name"}
    for i, j in r["social_words"].find(ck.doc):
        s = toks[i].sentence
        if s in flagged or ck._appeal(s):
            continue
        if toks[i].norm == "story" and i and toks[i - 1].norm in ("this", "the", "our", "that", "a", "news"):
            continue  # "a photo published with this story": the news story, not an Instagram story
        a, b = ck.doc.sentences[s]
        near_child = s in ck.child_sentences or s in named_in
        if not near_child:
            continue
        key = ("social", s)  # read once per sentence, not once per social-media word
        if key not in ck.memo:
            official = any(t.norm in ("resmi", "official") for t in toks[a:b])
            ck.memo[key] = not official and r["social_material"].any(ck.doc, a, b)
        if not ck.memo[key]:
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


_NEGATIONS = frozenset({"tanpa", "tidak", "tak", "belum", "without", "not", "never"})
# Words that may stand between a negation and the masking word: "tidak kami sensor", "ga aku blur".
_NEGATION_FILLERS = frozenset({"kami", "aku", "saya", "kita", "sengaja", "di", "pernah", "sama", "sekali", "we"})


def _negated(ck: _Checker, i: int, a: int) -> bool:
    toks = ck.doc.tokens
    k = i - 1
    while k >= a and k >= i - 3 and toks[k].norm in _NEGATION_FILLERS:
        k -= 1
    return k >= a and toks[k].norm in _NEGATIONS


_PARTIAL_MASK = frozenset({"tipis", "sebagian", "mata", "matanya", "eyes", "partly", "partially"})


def _weak_mask(ck: _Checker, masking: list[tuple[int, int]], a: int, b: int) -> bool:
    """A masking that does not protect the child: "diburamkan tipis, masih mudah dikenali" (the rules' weak
    blur), a contrast that undoes it ("diblur, namun nama sekolah di seragamnya masih terbaca", "meski
    wajahnya diburamkan"), or a partial one ("hanya ditutup garis hitam tipis", "only her eyes are pixelated")."""
    r, toks = ck.rules, ck.doc.tokens
    if r["visual_contrast"].any(ck.doc, a, b) and r["visual_still_identifying"].any(ck.doc, a, b):
        return True
    for i, j in masking:
        near = toks[max(a, i - 3) : min(b, j + 3)]
        if any(t.norm in ("hanya", "only", "cuma") for t in toks[max(a, i - 4) : i]) and any(
            t.norm in _PARTIAL_MASK for t in near
        ):
            return True
        if any(t.norm == "tipis" for t in toks[j : min(b, j + 3)]):
            return True
    return False


def _point4(ck: _Checker) -> None:
    r, toks = ck.rules, ck.doc.tokens
    if not ck.has_child or (ck.missing and not ck.found and not ck.abh):
        return  # a child still missing: the family's appeal may show the photo until the child is found
    # A masking that leaves the child recognisable is a breach in any story (PPRA point 4).
    weak_in = set()
    for s in range(len(ck.doc.sentences)):
        a, b = ck.doc.sentences[s]
        masking = r["visual_safe"].find(ck.doc, a, b)
        if (masking and _weak_mask(ck, masking, a, b)) or r["visual_weak_blur"].any(ck.doc, a, b):
            weak_in.add(s)
    if not (ck.case or ck.abh or ck.found or weak_in):
        return
    named_in = {e.sentence for e in ck.elements if e.kind == "child_name"}
    social_in = {ck._sentence_at(f.start) for f in ck.findings if f.point == 11}
    first, abh_face = len(ck.findings), False
    for s in range(len(ck.doc.sentences)):
        a, b = ck.doc.sentences[s]
        exposure = r["visual_exposure"].find(ck.doc, a, b)
        visual = [x for x in r["visual_words"].find(ck.doc, a, b)]
        if not (exposure or visual):
            continue
        masking = r["visual_safe"].find(ck.doc, a, b)
        weak = s in weak_in
        safe = [x for x in masking if not _negated(ck, x[0], a)]
        # "sengaja tidak kami sensor": the picture is shown unmasked on purpose.
        exposure += [x for x in masking if _negated(ck, x[0], a)]
        if safe and weak:
            safe = []  # "diburamkan tipis, masih mudah dikenali": the blur does not protect the child
        if safe or ck._appeal(s) or _masked_next(ck, s, weak_in, exposure + visual):
            continue
        if not weak and _withheld(ck, a, b, masking):
            continue  # "Identitas dan foto anak tidak dipublikasikan": the text says the picture is not shown
        near_child = s in ck.child_sentences or s in named_in
        if not near_child and ck.abh and s - 1 in ck.child_sentences:
            # "... ditetapkan sebagai tersangka. Wajahnya tampak jelas dalam foto": the child offender of the
            # sentence before (in an ABH story only: elsewhere "screenshot wajahnya" of a live post is point 11's).
            near_child = any(toks[x].norm in _CHILD_OF_BEFORE for x, _ in visual)
        if not near_child:
            continue
        media = [x for x in visual if toks[x[0]].norm not in ("wajah", "muka", "face")]
        if not exposure and not media:
            continue  # "wajah dan nama pelaku ramai dibagikan": no picture in this text
        if not exposure and s in social_in:
            continue  # a video inside a social-media post is point 11's material
        i, j = (exposure or media)[0]
        face = bool(exposure) or any(toks[x].norm in ("wajah", "muka", "face") for x, _ in visual)
        point = 9 if ck.found else 4
        severity = BLOCK if (face and (ck.abh or ck.sexual)) else WARN
        ck.add(
            point,
            severity,
            toks[i].start,
            toks[j - 1].end,
            "Foto atau video anak dalam berita kasus dapat mengenali anak (PPRA butir 4).",
            ck.sug("visual"),
            "visual",
        )
        abh_face = abh_face or (face and ck.abh and point == 4)
    if abh_face:
        # The face of a child in conflict with the law: 4 for the picture, 12 (UU SPPA art. 19) and 1 for
        # the identity it shows; a picture of another child is 4 only (1 comes from the words, if they identify).
        convention_finding(ck, first, 4, 12, _ABH_FACE_12_WHY, kinds=("visual",))
        convention_finding(ck, first, 4, 1, _ABH_FACE_1_WHY, kinds=("visual",))


# Verbs of showing or publishing a picture (stems: "ampil" is tampil/menampilkan): a negated one withholds it.
_SHOW_STEMS = (
    "ampil",
    "publikasi",
    "sebar",
    "unggah",
    "tayang",
    "posting",
    "upload",
    "publish",
    "show",
    "lihat",
    "ampak",
    "visible",
)
_WITHHELD_FILLERS = _NEGATION_FILLERS | {"akan", "boleh", "perlu", "kan", "will", "be", "is", "are", "was"}


def _withheld(ck: _Checker, a: int, b: int, masking: list[tuple[int, int]]) -> bool:
    """ "Identitas dan foto anak tidak dipublikasikan", "Dokumentasi ... tidak akan menampilkan wajah siswa",
    "hanya menampilkan karya, bukan wajah siswa": the sentence says the picture is NOT shown (a negated verb of
    showing or publishing, or "bukan" before the face). Not when a masking is negated ("tidak disamarkan": an
    exposure) or a contrast may undo it ("tidak menampilkan wajah, namun seragamnya terlihat")."""
    toks = ck.doc.tokens
    if any(_negated(ck, i, a) for i, _ in masking) or ck.rules["visual_contrast"].any(ck.doc, a, b):
        return False
    for i in range(a, b):
        norm = toks[i].norm
        shows = any(stem in norm for stem in _SHOW_STEMS)
        face = norm in _FACE_WORDS
        if not (shows or face):
            continue
        k = i - 1
        while k >= a and k >= i - 3 and toks[k].norm in _WITHHELD_FILLERS:
            k -= 1
        if k < a:
            continue
        if (shows and toks[k].norm in _NEGATIONS) or (face and toks[k].norm in ("bukan", "not", "tanpa")):
            return True
    return False


_FACE_WORDS = frozenset({"wajah", "wajahnya", "muka", "mukanya", "face", "faces"})
_STILL_SEEN = frozenset({"jelas", "bertuliskan", "masih", "terbaca", "dikenali", "clearly", "visible", "still"})
_MASKED_NEXT = _FACE_WORDS | {"foto", "fotonya", "seluruh"}


def _masked_next(ck: _Checker, s: int, weak_in: set[int], spans: list[tuple[int, int]]) -> bool:
    """ "Foto kegiatan terlampir. Seluruh wajah anak sudah kami blur penuh.": a picture introduced without its
    face, masked in the next sentence (a face, the photo or "seluruh" with a masking word, not negated, not weak,
    with no contrast and no identifying cue there)."""
    r, toks = ck.rules, ck.doc.tokens
    if s + 1 >= len(ck.doc.sentences) or s + 1 in weak_in:
        return False
    if any(toks[k].norm in _FACE_WORDS for i, j in spans for k in range(i, j)):
        return False  # "foto yang menampilkan wajah korban": the face is shown here
    a, b = ck.doc.sentences[s + 1]
    if r["visual_contrast"].any(ck.doc, a, b) or any(t.norm in _STILL_SEEN for t in toks[a:b]):
        return False  # "Meski wajahnya diburamkan, tas bertuliskan namanya terlihat jelas": still identifying
    masking = [x for x in r["visual_safe"].find(ck.doc, a, b) if not _negated(ck, x[0], a)]
    return bool(masking) and any(t.norm in _MASKED_NEXT for t in toks[a:b])


_CHILD_OF_BEFORE = frozenset({"wajahnya", "mukanya", "fotonya", "videonya"})
_ABH_FACE_12_WHY = (
    "UU SPPA pasal 19 (PPRA butir 12): wajah anak berkonflik dengan hukum dalam foto atau video membuka identitasnya."
)
_ABH_FACE_1_WHY = "PPRA butir 1: wajah adalah identitas anak; wajah anak yang disangka pelaku wajib disamarkan."
