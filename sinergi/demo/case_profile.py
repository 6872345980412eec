"""The shape of the demo's case history: categories, channels, places and outcomes with their weights."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

# ---- Case history -------------------------------------------------------------------------------

# (category, weight, share of child victims, share of female victims): SIMFONI-PPA shows sexual
# violence as the most reported form and girls as most victims; adults are mostly women.
CATEGORY_PROFILE: dict[str, tuple[int, float, float]] = {
    "sexual": (30, 0.78, 0.86),
    "violence_child": (18, 1.0, 0.55),
    "domestic": (17, 0.2, 0.9),
    "violence_woman": (8, 0.0, 1.0),
    "neglect": (5, 1.0, 0.5),
    "abh": (4, 0.6, 0.5),
    "child_marriage": (4, 1.0, 0.9),
    "exploitation": (4, 0.8, 0.6),
    "tppo": (4, 0.45, 0.8),
    "other": (6, 0.5, 0.6),
}
CATEGORY_FORMS: dict[str, list[tuple[list[str], int]]] = {
    "sexual": [(["sexual"], 6), (["sexual", "psychological"], 4), (["sexual", "physical"], 1)],
    "violence_child": [(["physical"], 5), (["physical", "psychological"], 4), (["psychological"], 3)],
    "domestic": [(["physical", "psychological"], 5), (["physical"], 3), (["psychological"], 2), (["neglect"], 1)],
    "violence_woman": [(["physical"], 3), (["psychological"], 3), (["physical", "psychological"], 2)],
    "neglect": [(["neglect"], 4), (["neglect", "psychological"], 1)],
    "abh": [(["physical"], 2), (["other"], 2), (["sexual"], 1)],
    "child_marriage": [(["psychological"], 2), (["other"], 2), (["exploitation"], 1)],
    "exploitation": [(["exploitation"], 4), (["exploitation", "psychological"], 1)],
    "tppo": [(["trafficking", "exploitation"], 3), (["trafficking"], 2)],
    "other": [(["other"], 3), (["psychological"], 1)],
}
CATEGORY_PLACE: dict[str, list[tuple[str, int]]] = {
    "sexual": [("household", 5), ("public_facility", 2), ("school", 1), ("online", 2), ("other", 1)],
    "violence_child": [("household", 5), ("school", 3), ("public_facility", 1)],
    "domestic": [("household", 1)],
    "violence_woman": [("household", 3), ("workplace", 2), ("public_facility", 1), ("online", 1)],
    "neglect": [("household", 1)],
    "abh": [("public_facility", 3), ("school", 1), ("other", 1)],
    "child_marriage": [("household", 1)],
    "exploitation": [("public_facility", 2), ("workplace", 2), ("online", 1)],
    "tppo": [("workplace", 2), ("other", 2), ("online", 1)],
    "other": [("household", 2), ("other", 1)],
}
CATEGORY_RELATION: dict[str, list[tuple[str, int]]] = {
    "sexual": [("partner_friend", 5), ("family", 3), ("neighbour", 3), ("parent", 2), ("teacher", 1), ("unknown", 1)],
    "violence_child": [("parent", 5), ("family", 2), ("teacher", 1), ("neighbour", 1)],
    "domestic": [("spouse", 8), ("family", 1), ("parent", 1)],
    "violence_woman": [("spouse", 3), ("partner_friend", 3), ("coworker", 1), ("other", 1)],
    "neglect": [("parent", 4), ("family", 1)],
    "abh": [("partner_friend", 3), ("neighbour", 1), ("other", 1)],
    "child_marriage": [("parent", 3), ("family", 1), ("partner_friend", 1)],
    "exploitation": [("employer", 3), ("family", 1), ("other", 1)],
    "tppo": [("employer", 2), ("other", 2), ("unknown", 1)],
    "other": [("other", 2), ("unknown", 1)],
}
CHANNEL_WEIGHTS = [
    ("walk_in", 24),
    ("hotline", 14),
    ("satgas", 12),
    ("police", 12),
    ("school", 8),
    ("health", 7),
    ("ngo", 4),
    ("public_form", 5),
    ("media", 3),
    ("other", 2),
]
# (service, probability) per category; services go to the agency slot in SERVICE_SLOT.
CATEGORY_SERVICES: dict[str, list[tuple[str, float]]] = {
    "sexual": [("medical", 0.85), ("psychological", 0.9), ("police", 0.8), ("legal_aid", 0.5), ("schooling", 0.25)],
    "violence_child": [("medical", 0.6), ("psychological", 0.7), ("police", 0.35), ("schooling", 0.3)],
    "domestic": [("medical", 0.5), ("psychological", 0.6), ("police", 0.4), ("legal_aid", 0.4), ("mediation", 0.2)],
    "violence_woman": [("medical", 0.5), ("psychological", 0.6), ("police", 0.5), ("legal_aid", 0.4), ("shelter", 0.1)],
    "neglect": [("social_rehab", 0.7), ("social_assistance", 0.6), ("schooling", 0.4), ("medical", 0.3)],
    "abh": [("legal_aid", 0.9), ("social_rehab", 0.7), ("psychological", 0.5)],
    "child_marriage": [("religious", 0.6), ("schooling", 0.6), ("psychological", 0.5), ("social_assistance", 0.3)],
    "exploitation": [("social_rehab", 0.7), ("police", 0.5), ("schooling", 0.5), ("psychological", 0.4)],
    "tppo": [("repatriation", 0.8), ("police", 0.8), ("psychological", 0.6), ("restitution", 0.4), ("shelter", 0.3)],
    "other": [("psychological", 0.5), ("social_assistance", 0.3)],
}
SERVICE_SLOT = {
    "medical": ("puskesmas", "dinkes"),
    "psychological": ("puskesmas", "dinkes"),
    "legal_aid": ("lbh",),
    "police": ("polres",),
    "social_rehab": ("dinsos",),
    "shelter": ("dinsos",),
    "schooling": ("disdik",),
    "social_assistance": ("dinsos",),
    "reintegration": ("dinsos",),
    "repatriation": ("dinsos",),
    "restitution": ("lbh",),
    "religious": ("kemenag",),
    "mediation": ("uptd",),
}
# Days the case manager gives an agency for each service (a visum is urgent, counselling takes weeks).
SERVICE_DUE_DAYS = {
    "medical": 3,
    "psychological": 30,
    "legal_aid": 30,
    "police": 21,
    "social_rehab": 30,
    "shelter": 7,
    "schooling": 21,
    "social_assistance": 14,
    "reintegration": 30,
    "repatriation": 14,
    "restitution": 45,
    "religious": 21,
    "mediation": 14,
}
# Rough relative population of Kukar's kecamatan, so the capital and the coast report more cases.
DISTRICT_WEIGHTS = {
    "64.02.06": 10,  # Tenggarong
    "64.02.16": 8,  # Tenggarong Seberang
    "64.02.03": 7,  # Loa Janan
    "64.02.13": 6,  # Samboja
    "64.02.05": 6,  # Muara Badak
    "64.02.02": 5,  # Loa Kulu
    "64.02.04": 5,  # Anggana
    "64.02.14": 4,  # Muara Jawa
    "64.02.15": 3,  # Sanga Sanga
    "64.02.17": 3,  # Marang Kayu
    "64.02.08": 3,  # Kota Bangun
    "64.02.07": 3,  # Sebulu
    "64.02.11": 3,  # Muara Kaman
    "64.02.20": 3,  # Samboja Barat
    "64.02.12": 1,  # Tabang
    "64.02.18": 1,  # Muara Wis
}
RELATION_ID = {
    "parent": "orang tua",
    "family": "kerabat",
    "spouse": "suami",
    "partner_friend": "pacar/teman",
    "teacher": "guru",
    "neighbour": "tetangga",
    "employer": "majikan",
    "coworker": "rekan kerja",
    "other": "orang lain",
    "unknown": "orang tidak dikenal",
}
PLACE_ID = {
    "household": "rumah",
    "workplace": "tempat kerja",
    "school": "lingkungan sekolah",
    "public_facility": "fasilitas umum",
    "short_course": "tempat kursus",
    "online": "media sosial",
    "other": "lokasi lain",
}
CHRONOLOGY: dict[str, list[str]] = {
    "sexual": [
        "Korban ({who}) diduga mengalami kekerasan seksual oleh {rel} di {place}. Kejadian diketahui setelah "
        "korban bercerita kepada keluarga. Korban tampak ketakutan dan enggan keluar rumah.",
        "Pelapor melihat perubahan perilaku korban ({who}). Korban mengaku disentuh secara tidak pantas "
        "oleh {rel} beberapa kali di {place}.",
        "Korban ({who}) menerima ancaman penyebaran foto pribadi dari {rel} melalui {place}.",
    ],
    "violence_child": [
        "Korban ({who}) datang dengan luka memar di lengan dan punggung; diduga dipukul oleh {rel} di {place}.",
        "Guru melaporkan korban ({who}) sering datang ke sekolah dengan bekas luka. Korban mengaku dimarahi "
        "dan dipukul oleh {rel}.",
    ],
    "domestic": [
        "Korban ({who}) mengalami pemukulan oleh {rel} di {place} setelah pertengkaran soal nafkah. "
        "Kejadian berulang sejak beberapa bulan.",
        "Korban ({who}) diusir dari rumah dan diancam oleh {rel}. Korban kini menumpang di rumah kerabat.",
    ],
    "violence_woman": [
        "Korban ({who}) mengalami kekerasan fisik dan psikis oleh {rel} di {place}.",
        "Korban ({who}) dihina dan diancam berulang kali oleh {rel}; korban mengalami gangguan tidur.",
    ],
    "neglect": [
        "Warga melaporkan korban ({who}) sering ditinggal sendirian tanpa makanan yang cukup oleh {rel}.",
        "Korban ({who}) tidak bersekolah dan tidak terurus; {rel} bekerja di luar daerah.",
    ],
    "abh": [
        "Anak berhadapan dengan hukum: terjadi perkelahian di {place} yang melibatkan anak; korban ({who}) "
        "mengalami luka ringan. Perkara ditangani Unit PPA.",
        "Anak diduga mengambil barang milik korban ({who}) di {place}. Keluarga meminta pendampingan.",
    ],
    "child_marriage": [
        "Korban ({who}) akan dinikahkan oleh keluarga; pelapor meminta pencegahan perkawinan anak.",
        "Korban ({who}) putus sekolah karena dinikahkan; korban ingin melanjutkan pendidikan.",
    ],
    "exploitation": [
        "Korban ({who}) dipekerjakan oleh {rel} hingga larut malam di {place} tanpa upah yang layak.",
        "Korban ({who}) diminta mengemis oleh {rel} di {place}.",
    ],
    "tppo": [
        "Korban ({who}) dijanjikan pekerjaan di luar daerah oleh {rel}, kemudian dokumennya ditahan dan "
        "korban dipaksa bekerja.",
        "Korban ({who}) berhasil menghubungi keluarga setelah dibawa ke luar provinsi oleh {rel}.",
    ],
    "other": [
        "Pelapor meminta pendampingan bagi korban ({who}) yang mengalami perundungan di {place}.",
        "Korban ({who}) membutuhkan konseling setelah mengalami kejadian yang membuatnya trauma.",
    ],
}
DECLINE_REASONS = [
    "Layanan penuh bulan ini; mohon dirujuk ke unit lain.",
    "Korban berdomisili di luar wilayah layanan kami.",
    "Keluarga korban menolak layanan ini.",
]
SERVICE_NOTES = [
    "Sesi berjalan baik, korban kooperatif.",
    "Pendampingan lanjutan dijadwalkan.",
    "Korban didampingi orang tua.",
    "Layanan selesai sesuai rencana.",
    "",
]
RIGHT_NOT_NEEDED_REASONS = {
    "restitution": "Keluarga korban memilih tidak mengajukan restitusi.",
    "psychological_rehab": "Hasil asesmen psikolog: tidak memerlukan rehabilitasi lanjutan.",
    "reintegration": "Korban sudah kembali ke keluarga tanpa pendampingan tambahan.",
}
CLOSURE_WEIGHTS = [
    ("resolved", 72),
    ("victim_withdrew", 8),
    ("referred_out", 6),
    ("unreachable", 5),
    ("not_a_case", 5),
    ("duplicate", 4),
]
EARLY_CLOSURES = {"not_a_case", "duplicate", "unreachable"}


def _weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _children_ages(rng: random.Random, category: str) -> int:
    if category == "neglect":
        return rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9])
    if category == "violence_child":
        return _weighted(rng, [(rng.randint(2, 5), 2), (rng.randint(6, 12), 5), (rng.randint(13, 17), 3)])
    if category in ("sexual", "child_marriage", "tppo", "exploitation"):
        return _weighted(rng, [(rng.randint(4, 12), 3), (rng.randint(13, 17), 7)])
    return rng.randint(5, 17)


def _education_for(rng: random.Random, age: int) -> str:
    if age <= 5:
        return "paud" if age >= 4 else "none"
    if age <= 12:
        return "sd"
    if age <= 15:
        return "sltp"
    if age <= 17:
        return _weighted(rng, [("slta", 8), ("none", 2)])
    return _weighted(rng, [("sd", 2), ("sltp", 3), ("slta", 4), ("higher", 1), ("unknown", 1)])


def fictional_nik(rng: random.Random, district_code: str, birth: dt.date, female: bool) -> str:
    """Region prefix + DDMMYY (day + 40 for women, as on real NIKs) + a 9xxx serial rarely issued."""
    day = birth.day + (40 if female else 0)
    return f"{district_code.replace('.', '')[:6]}{day:02d}{birth:%m%y}9{rng.randint(0, 999):03d}"


def fictional_phone(rng: random.Random) -> str:
    return f"0812-0000-{rng.randint(0, 9999):04d}"
