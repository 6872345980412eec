"""Identity findings (points 1, 5, 8, 9, 12) and the jigsaw combination across linked texts."""

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
    has_offender_identity = any(x.kind in ("relative_name", "address", "village") for x in ck.elements)
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
        _abh_point_1(ck, first)
    del proxies, kinds


_ABH_POINT_1_WHY = (
    "PPRA butir 1: identitas anak, terlebih anak yang disangka, didakwa atau dipidana, wajib dirahasiakan."
)


def _abh_point_1(ck: _Checker, first: int) -> None:
    """A juvenile offender's identity breaches point 1 as well as point 12 (the guideline's point 1 names the
    suspected, charged or convicted child): one point-1 finding on the most severe of the text's point-12
    identity findings (the first of them), so that the editor sees both points without every span doubled."""
    of_12 = [f for f in ck.findings[first:] if f.point == 12 and f.kind in IDENTITY_KINDS]
    if not of_12:
        return
    f = min(of_12, key=lambda f: (SEVERITY_ORDER[f.severity], f.start))
    ck.add(1, f.severity, f.start, f.end, _ABH_POINT_1_WHY + " " + f.why, f.suggestion, f.kind)


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
