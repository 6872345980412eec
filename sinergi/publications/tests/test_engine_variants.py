"""The PPRA engine on the ways Indonesian news writes the same thing: ages in words, colloquial affixes,
kinship variants, negated masking, chats as interviews. Each test has its compliant twin."""

from sinergi.publications.ppra.engine import check
from sinergi.publications.ppra.engine.checker import _Checker
from sinergi.publications.ppra.rules import load_rules
from sinergi.publications.ppra.text import roots


def flagged(text: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for f in check(text).findings:
        if f.severity != "advice":
            out.setdefault(f.point, []).append(f.text)
    return out


def ages(text: str) -> list[int]:
    return [value for _start, _end, value in _Checker(text, load_rules(), None).ages]


def test_ages_written_in_words_are_ages_but_a_duration_is_not():
    assert ages("Bocah delapan tahun itu dianiaya.") == [8]
    assert ages("Korban yang baru berusia sebelas tahun dirawat.") == [11]
    assert ages("Siswi berumur empat belas tahun itu melapor.") == [14]
    assert ages("Pelaku dikurung selama dua tahun dan bekerja sejak tiga tahun lalu.") == []


def test_a_name_with_its_age_in_words_is_a_child_in_a_juvenile_case():
    got = flagged("ABH atas nama Bima Sakti bin Darmo, umur lima belas tahun, menjalani diversi di PN.")
    assert got[12] == ["Bima Sakti bin Darmo"]


def test_colloquial_verbs_find_their_roots():
    assert "leceh" in roots("ngelecehin")
    assert "cabul" in roots("nyabulin")
    assert "obrol" in roots("ngobrol")


def test_the_offender_tie_in_colloquial_and_appositive_forms_is_point_8():
    assert 8 in flagged("Yg ngelecehin bocah SD itu ternyata omnya sendiri. Udah ditangkep.")
    assert 8 in flagged("Polisi menangkap TR (44), bapak tiri korban, yang diduga mencabuli anak 12 tahun itu.")
    assert 8 in flagged("Pelakunya tak lain sepupunya sendiri, seorang pemuda yang mencabuli gadis 14 tahun itu.")


def test_a_relative_who_reports_or_speaks_is_not_the_offender():
    assert 8 not in flagged("Paman korban melaporkan pencabulan terhadap keponakannya ke polisi. Tersangka ditahan.")
    assert 8 not in flagged("Ibu korban berharap kasus pencabulan yang menimpa putrinya segera disidangkan.")


def test_a_picture_left_unmasked_on_purpose_is_point_4_and_a_masked_one_is_not():
    assert 4 in flagged("Foto korban, bocah 9 tahun yang dianiaya, sengaja tidak kami sensor agar publik tahu.")
    assert 4 not in flagged("Foto korban, bocah 9 tahun yang dianiaya, telah kami sensor sebelum dimuat.")
    assert 4 in flagged("Dalam foto itu wajah siswi 12 tahun tersebut masih mudah dikenali walau diburamkan.")


def test_a_chat_with_a_child_witness_while_the_offender_is_free_is_point_7():
    text = "Wartawan kami berbincang dengan bocah yang melihat penjambretan itu. Polisi masih memburu pelaku."
    assert 7 in flagged(text)
    assert 7 not in flagged(
        "Wartawan kami berbincang dengan kepala sekolah tentang jadwal ujian. Polisi masih memburu pelaku."
    )


def test_a_found_child_named_in_colloquial_words_is_point_9():
    assert 9 in flagged("Alhamdulillah Raka Aditya (7) udah ketemu di rumah neneknya. Makasih semua.")
    assert 9 not in flagged("Alhamdulillah anak yang kami cari udah ketemu. Makasih semua.")


def test_an_english_school_name_is_an_identity_proxy():
    got = flagged("A 10-year-old boy, Adam Lee, a pupil at Bright Star Primary School, was beaten, police said.")
    assert "Adam Lee" in got[1]
    assert 1 not in flagged("Bright Star Primary School will hold its sports day on Friday.")


def test_a_name_followed_by_a_grade_is_a_pupil():
    assert 1 in flagged("Korban perundungan, Rani Oktaviani (kelas VII), dipukuli kakak kelasnya.")
    assert 1 not in flagged("Selamat ulang tahun sekolah kami, SDN 4 Batu Ampar!")


def test_a_time_of_day_is_not_a_beating():
    assert flagged("Rapat orang tua siswa kelas 5 SDN 4 Batu Ampar dimulai pukul 09.00 di aula.") == {}


def test_sebut_saja_marks_a_pseudonym_and_a_real_name_is_still_flagged():
    assert 1 not in flagged("Korban, sebut saja Mawar (12), dicabuli tetangganya. Pelaku sudah ditahan.")
    assert 1 in flagged("Korban, Mawar Lestari (12), dicabuli tetangganya. Pelaku sudah ditahan.")


def test_a_child_swept_away_by_a_river_is_not_a_violence_case_but_dragged_is():
    assert 1 not in flagged("Warga mencari Dafa Putra (9) yang terseret arus sungai sejak Minggu sore.")
    assert 1 in flagged("Dafa Putra (9) diseret tetangganya ke kebun lalu ditinggalkan di sana.")
