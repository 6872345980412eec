"""The fixed word lists and patterns the checker reads the text with, and word roots."""

import re

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
        "dilakukan",
        "by",
        "suspect",
        "perpetrator",
        "accused",
    }
)
# Offices graded by class: "Kelas" after them ("Bapas Kelas II", "Lapas Kelas IIA") is no school class.
GRADED_OFFICES = frozenset({"bapas", "lapas", "rutan", "lpka", "lpas", "imigrasi", "bandara", "pelabuhan", "kppn"})
# The words that name the offender in a story ("pelaku", "tersangka", English "suspect").
OFFENDER_NOUNS = frozenset({"pelaku", "pelakunya", "tersangka", "terdakwa", "suspect"})

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


def roots(word: str) -> frozenset[str]:
    from ..text import roots as _roots

    return _roots(word)


# Ages written out: "berusia sebelas tahun", "bocah delapan tahun", "umur lima belas tahun".
_UNITS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_NUMBER_WORDS = {**_UNITS, "sepuluh": 10, "sebelas": 11, **{f"{w} belas": n + 10 for w, n in _UNITS.items()}}
_NUMBER_WORD_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# A duration ("selama dua tahun", "dua tahun lalu") is not an age: a cue before the number is required.
_AGE_CUES = (
    r"berusia|berumur|usia|umur|usianya|umurnya|baru|masih|anak|bocah|balita|siswa|siswi|pelajar|murid|remaja|"
    r"gadis|putri|putra|santri|santriwati|korban|adik|cucu|keponakan|abg"
)
AGE_WORDS_RE = re.compile(
    rf"\b(?:{_AGE_CUES})(?:\s+(?:yang|baru|masih|sekitar|berusia|berumur)){{0,3}}\s+({_NUMBER_WORD_RE})\s+(?:tahun|thn|th)\b",
    re.IGNORECASE,
)
# After a name: ", umur lima belas tahun", ", berusia 9 tahun", "Dinda baru berusia 10 tahun ketika ...".
AFTER_NAME_AGE_WORDS_RE = re.compile(
    rf"^\s*(?:,\s*)?(?:yang\s+)?(?:(?:masih|baru|kini|saat\s+itu)\s+)?(?:berusia|berumur|usia|umur)\s+(?:baru\s+)?"
    rf"(\d{{1,2}}|{_NUMBER_WORD_RE})\s+(?:tahun|thn|th)\b",
    re.IGNORECASE,
)


# English ages in words: "nine-year-old", "a fourteen year old".
_EN_NUMBER_WORDS = {
    w: n + 1
    for n, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
EN_AGE_WORDS_RE = re.compile(
    r"\b(" + "|".join(sorted(_EN_NUMBER_WORDS, key=len, reverse=True)) + r")[- ]years?[- ]old\b", re.IGNORECASE
)


def number_value(word: str) -> int:
    """'sebelas' -> 11, 'empat belas' -> 14, '9' -> 9."""
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word) or _EN_NUMBER_WORDS[word]
