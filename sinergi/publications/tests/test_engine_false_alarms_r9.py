"""Round nine (issue 17): false-alarm classes read on blind set N, each with a unit test on new text (not N's)
and, where the rule could swallow a real breach, a breaching twin that must still be flagged."""

from sinergi.publications.ppra.engine import check


def points(text: str, **kw) -> set[int]:
    return {f.point for f in check(text, **kw).findings if f.severity != "advice"}


# ---- titles of laws, offices and guidelines are not a child's name ---------------------------------------------


def test_a_law_title_after_a_child_age_is_not_a_child_name():
    text = (
        "Seorang remaja berusia 15 tahun di Kecamatan Sungai Lada menjalani diversi. Penyidik berpegang pada "
        "UU Nomor 11 Tahun 2012 tentang Sistem Peradilan Pidana Anak dan Pedoman Pemberitaan Ramah Anak."
    )
    assert points(text) == set()


def test_an_office_name_after_the_victim_word_is_not_a_child_name():
    text = (
        "Terduga pelaku, seorang pria dewasa yang dikenal korban, telah ditahan Satreskrim Polres Lubuk Pandan. "
        "Korban berinisial DA (12) asal Kecamatan Sungai Lada didampingi UPTD PPA."
    )
    assert points(text) == set()


def test_a_real_child_name_next_to_a_law_title_is_still_flagged():
    text = "Korban, Nabila Ramadhani (12), didampingi UPTD PPA sesuai UU Nomor 35 Tahun 2014 tentang Perlindungan Anak."
    found = [f for f in check(text).findings if f.severity != "advice" and f.point == 1]
    assert [f.text for f in found] == ["Nabila Ramadhani"]


# ---- point 3: "ujarnya" / "she said" after an official spoke is the official, not the child -----------------

OFFICIAL_QUOTE = (
    "Dua remaja putri asal Kecamatan Sungai Lada, berinisial R (15) dan T (14), korban perdagangan orang, "
    "kembali bersekolah. Kepala UPTD PPA, Marlina Sitorus, mengatakan pemulihan tidak mudah. Pada minggu "
    'pertama keduanya sering mimpi buruk. "Kami dampingi dengan konseling rutin bersama keluarga," ujarnya.'
)


def test_a_pronoun_tag_after_an_official_spoke_is_not_the_child_speaking():
    assert 3 not in points(OFFICIAL_QUOTE)


def test_an_english_she_said_after_the_head_of_the_unit_is_not_the_child():
    text = (
        "A man was jailed for abusing two girls, aged 9 and 11. The head of the unit, Marlina Sitorus, said "
        'both girls were receiving counselling after the abuse. "They have shown great courage," she said.'
    )
    assert 3 not in points(text)


def test_a_pronoun_tag_after_the_child_spoke_is_still_the_child():
    text = (
        "Korban perdagangan orang, R (15) asal Kecamatan Sungai Lada, bercerita tentang malam ia dijual. "
        '"Saya dikurung dan dipukul tiap malam," ujarnya.'
    )
    assert 3 in points(text)


# ---- point 4: a picture masked in the next sentence; a colloquial request not to share ------------------------


def test_a_photo_masked_in_the_next_sentence_is_not_a_breach():
    text = (
        "Foto penjemputan terlampir: petugas mengantar seorang anak korban penelantaran ke rumah aman. "
        "Seluruh wajah anak sudah kami samarkan dan latar bangunan dipotong. Anak berinisial RN (7) sehat."
    )
    assert 4 not in points(text)


def test_a_photo_whose_masking_the_next_sentence_undoes_is_still_a_breach():
    text = (
        "Foto yang dirilis polsek memperlihatkan korban pencabulan di ruang pemeriksaan. Meski wajahnya "
        "disamarkan, tas bertuliskan namanya terlihat jelas."
    )
    assert 4 in points(text)


def test_a_colloquial_request_not_to_forward_a_child_photo_is_not_a_picture():
    text = "Bapak2 grup ronda, jgn forward lagi foto anak yg jadi korban di desa sebelah ya. Kasian anaknya."
    assert 4 not in points(text)


def test_a_forwarded_child_photo_is_still_a_picture():
    text = "Bapak2 grup ronda, ini foto anak yg jadi korban pencabulan di desa sebelah, kasian anaknya."
    assert 4 in points(text)


# ---- a child still missing after an abduction: the family's appeal may name and show the child -------------

ABDUCTION_APPEAL = (
    "Polisi masih memburu seorang pria yang diduga membawa kabur anak perempuan berusia 13 tahun dari "
    "Kecamatan Sungai Lada sejak Senin. Keluarga memohon bantuan masyarakat. Anak tersebut, Nurul Safitri, "
    "terakhir memakai jilbab biru. Foto anak yang disebarkan keluarga kami sertakan atas izin orang tua."
)


def test_an_abducted_child_still_missing_named_and_shown_in_the_appeal_is_compliant():
    assert points(ABDUCTION_APPEAL) == set()


def test_the_abducted_child_found_and_still_named_breaches_points_1_and_9():
    found = ABDUCTION_APPEAL.replace("Polisi masih memburu", "Polisi telah menangkap").replace(
        "sejak Senin.", "sejak Senin. Anak itu telah ditemukan di sebuah penginapan."
    )
    assert {1, 9} <= points(found)


def test_a_pronoun_tag_after_an_officer_confirmed_the_report_is_the_officer():
    text = (
        "Seorang siswi berusia 14 tahun di Kecamatan Sungai Lada diduga dicabuli kenalannya. Setelah didekati "
        "guru BK, korban menceritakan apa yang dialaminya. Kasat Reskrim AKP Rudi Hartono membenarkan laporan "
        'itu. "Terlapor sudah kami amankan dan korban kami dampingi," ujarnya.'
    )
    assert 3 not in points(text)
