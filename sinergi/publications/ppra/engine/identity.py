"""Identity findings (points 1, 5, 8, 9, 12) and the jigsaw combination across linked texts."""

import bisect
import re

from ..rules import Rules
from .checker import _Checker
from .findings import ADVICE, BLOCK, IDENTITY_KINDS, SEVERITY_ORDER, WARN, initials_of


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
    harmful = harmful or (ck.found and ck.has_child)  # a found missing child: the story is about a case
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
    first = len(ck.findings)
    sender_school = _sender_school(ck)
    offender_identified = _offender_identified(ck)
    has_offender_identity = offender_identified or any(x.kind == "village" for x in ck.elements)
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
            ck.add(
                8,
                BLOCK if has_offender_identity else WARN,
                e.start,
                e.end,
                "Hubungan keluarga pelaku kejahatan seksual dengan anak korban membuka identitas korban (PPRA butir 8).",
                ck.sug("kinship"),
                e.kind,
            )
        elif e.kind == "school" and sender_school is e:
            ck.add(
                point,
                ADVICE,
                e.start,
                e.end,
                "Sekolah pengirim pemberitahuan, tanpa nama, kelas atau alamat anak: pastikan tidak ada rincian lain "
                "yang menunjuk anak. " + why_point,
                ck.sug("school"),
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
    if ck.abh:
        convention_finding(ck, first, 12, 1, _ABH_POINT_1_WHY)
    if ck.found_in_text:
        convention_finding(ck, first, 9, 1, _FOUND_POINT_1_WHY)
    if offender_identified:
        convention_finding(ck, first, 8, 1, _KIN_OFFENDER_POINT_1_WHY)
    del proxies, kinds


# Words of a notice's heading or salutation before the school that sends it.
_SENDER_WORDS = frozenset(
    {
        "pengumuman",
        "pemberitahuan",
        "edaran",
        "komite",
        "mading",
        "humas",
        "kepala",
        "wali",
        "murid",
        "didik",
        "santri",
        "kepsek",
        "keluarga",
        "warga",
        "civitas",
        "announcement",
        "notice",
        "circular",
    }
)


_GRADE_RANGE_RE = re.compile(r"^\s*(?:-|–|s\.?\s?d\.?|sampai|hingga)\s*(?:\d|[IVX])", re.IGNORECASE)  # "kelas 1-6"


def _sender_school(ck: _Checker):
    """The school that writes the notice ("PEMBERITAHUAN KEPADA ORANG TUA/WALI PESERTA DIDIK SMPN 3 ...",
    "Pengumuman Komite Sekolah SDN 02 ...") when the text names no child, relative, class, address or village
    besides it: one of its pupils is then not singled out by the school's name alone (a circular that withholds
    names and classes). Returns that school's element, or None."""
    schools = [e for e in ck.elements if e.kind == "school"]
    if not schools:
        return None
    first = schools[0]
    toks = ck.doc.tokens
    i = bisect.bisect_left(ck.sent_of_offset, first.start)  # the school's first token (token starts, sorted)
    if not {t.norm for t in toks[max(0, i - 6) : i]} & _SENDER_WORDS:
        return None
    others = [
        e
        for e in ck.elements
        if e.kind in ("child_name", "relative_name", "address", "village", "kinship", "age")
        or (e.kind == "grade" and not _GRADE_RANGE_RE.match(ck.text[e.end : e.end + 16]))
        or (e.kind == "school" and e.label.lower() != first.label.lower())
    ]
    if others or getattr(ck, "known_names", None):
        return None
    return first


# The project's labelling conventions (benchmarks/README.md, PPRA section), all from PPRA's definition of a
# child's identity (name, photo, face, names of parents and relatives, address, village, school) and point 1
# covering every child: each adds one finding of the added point on the most severe source finding.
_ABH_POINT_1_WHY = (
    "PPRA butir 1: identitas anak, terlebih anak yang disangka, didakwa atau dipidana, wajib dirahasiakan."
)
_FOUND_POINT_1_WHY = (
    "PPRA butir 1: anak yang sudah ditemukan tidak lagi dicari; identitasnya kembali wajib dirahasiakan"
    " seperti identitas setiap anak."
)
_KIN_OFFENDER_POINT_1_WHY = (
    "PPRA butir 1: nama lengkap atau alamat pelaku yang masih keluarga korban menyebut atau menunjuk anak korban."
)


def convention_finding(ck: _Checker, first: int, source: int, added: int, why: str, kinds=IDENTITY_KINDS) -> None:
    """One finding of point `added` on the most severe (then first) of the findings of point `source` made
    since index `first` (of the given kinds), so that the editor sees both points without every span doubled.
    E.g. a juvenile offender's identity breaches point 1 as well as point 12 (the guideline's point 1 names the
    suspected, charged or convicted child)."""
    of_source = [f for f in ck.findings[first:] if f.point == source and f.kind in kinds]
    if not of_source:
        return
    f = min(of_source, key=lambda f: (SEVERITY_ORDER[f.severity], f.start))
    ck.add(added, f.severity, f.start, f.end, why + " " + f.why, f.suggestion, f.kind)


# "Suparman (45), ayah kandung korban", "pamannya sendiri, Sutrisno (52)", "si Joko yg kerja di bengkel",
# "Pelaku, Ustaz Mukhlis, sudah ditahan": a personal name (a capitalised word with lower-case letters, not
# initials such as "MR (19)") right before or after the tie, or right after the offender word.
_NAME = r"(?:(?:[Ss]i|[Ss]dr\.?|[Uu]stad?z|[Pp]ak|[Bb]ang|[Mm]as|[Oo]m)\s+)?([A-Z][a-z]{2,}(?: [A-Z][a-z]{2,}){0,3})"
_NAME_BEFORE_TIE_RE = re.compile(r"\b" + _NAME + r"(?:\s\(\d{2}\))?,\s*$")
_NAME_AFTER_TIE_RE = re.compile(r"^(?:\s+sendiri)?\s*,\s*" + _NAME)
_NAME_AFTER_OFFENDER_RE = re.compile(
    r"\b(?:[Pp]elaku(?:nya)?|[Tt]ersangka|[Tt]erdakwa)\s*(?:,|bernama|yakni|adalah)\s*" + _NAME
)


def _official_before(ck: _Checker, text: str) -> bool:
    """ "Menurut Kasat Reskrim AKP Hendra, paman korban ...": a title, a rank or a speech word just before the
    name makes it the official's, not the offender's."""
    words = text.split()[-2:]
    titles = ck.rules.sets["titles"]
    return any(w.lower() in titles or (w.isupper() and len(w) > 1) or w.lower() in _SPEECH for w in words)


_SPEECH = frozenset({"menurut", "kata", "ujar", "ucap", "jelas", "according"})


def _offender_identified(ck: _Checker) -> bool:
    """Point 8 (a sexual offender who is the child's relative) with the offender's full name or address: it
    names or locates the child victim too. Initials, age, job or a vague location (a kecamatan) do not."""
    kin = [e for e in ck.elements if e.kind == "kinship"]
    if not kin:
        return False
    if any(e.kind in ("relative_name", "address") for e in ck.elements):
        return True
    not_names = ck.rules.sets["not_names"] | ck.rules.sets["kinship"] | ck.rules.sets["child_nouns"]

    def personal(m: re.Match | None) -> bool:
        return bool(m) and not any(w.lower() in not_names for w in m.group(1).split())

    for e in kin:
        before = ck.text[max(0, e.start - 60) : e.start]
        m = _NAME_BEFORE_TIE_RE.search(before)
        if personal(m) and not _official_before(ck, before[: m.start()]):
            return True
        if personal(_NAME_AFTER_TIE_RE.match(ck.text[e.end : e.end + 60])):
            return True
    return any(personal(m) for m in _NAME_AFTER_OFFENDER_RE.finditer(ck.text))


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
