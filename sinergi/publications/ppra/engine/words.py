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


def roots(word: str) -> frozenset[str]:
    from ..text import roots as _roots

    return _roots(word)
