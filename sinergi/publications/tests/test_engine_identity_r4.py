"""The PPRA identity findings added for issue 17 (identity recall on unseen text): a child who offends without a
role word (point 12), kinship words in their affixed and variant forms (point 8), names before the child cue and
nicknames (point 1). Each breach is flagged with its point; each compliant near-miss is not."""

from sinergi.publications.ppra.engine import check


def flagged(text: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for f in check(text).findings:
        if f.severity != "advice":
            out.setdefault(f.point, []).append(f.text)
    return out


# ---- point 12: the child is the offender, said without "pelaku" or "tersangka" -----------------------------


def test_a_named_child_in_a_gang_that_attacked_is_a_juvenile_case():
    got = flagged(
        "Dua remaja anggota geng motor yang membacok seorang sopir dibekuk. Keduanya, RA (17) dan "
        "Bagas Adi Nugroho (16), pelajar di Kecamatan Padang Ilalang."
    )
    assert got.get(12) == ["Bagas Adi Nugroho"]
    assert got.get(1) == ["Bagas Adi Nugroho"]  # a juvenile offender's identity breaches points 1 and 12


def test_a_pupil_caught_with_a_blade_and_detained_is_a_juvenile_case():
    got = flagged("Gilang Saputra, siswa kelas XI yang kedapatan membawa celurit saat tawuran, kini ditahan polisi.")
    assert "Gilang Saputra" in got.get(12, [])


def test_a_child_snatching_a_phone_and_arrested_exposes_the_parent_and_street():
    got = flagged(
        "Ini anaknya pak Darto yg tinggal di Gang Mawar, umur 13 tahun udah berani jambret HP. Diciduk polisi."
    )
    assert 12 in got
    assert 1 in got  # points 1 and 12 (the ABH convention of round six)


def test_a_child_victim_of_a_gang_is_not_made_an_offender():
    got = flagged("Bocah 12 tahun bernama Rendi Saputra dibacok anggota geng motor yang kemudian ditangkap polisi.")
    assert got.get(1) == ["Rendi Saputra"]
    assert 12 not in got


def test_a_child_witness_of_a_stabbing_is_not_made_an_offender():
    got = flagged("Siswa bernama Dimas Aji melihat seorang pria menusuk pedagang di pasar. Pria itu ditangkap.")
    assert 12 not in got


def test_an_arrested_teen_with_initials_and_a_district_is_compliant():
    got = flagged("Seorang remaja berinisial KA (16) diamankan polisi karena mencuri motor di Kecamatan Sungai Tebing.")
    assert got == {}


def test_a_burn_wound_of_a_child_victim_is_not_an_offence():
    got = flagged("Bocah enam tahun bernama Nadia Ayu mengalami luka bakar setelah disiram air keras oleh tetangganya.")
    assert got.get(1) == ["Nadia Ayu"]
    assert 12 not in got


# ---- point 8: the offender's tie to the child victim --------------------------------------------------------


def test_a_grandfather_arrested_in_apposition_exposes_the_tie():
    got = flagged(
        "Unit PPA menahan SD (63), kakek korban, atas dugaan persetubuhan terhadap cucunya yang berusia 10 tahun."
    )
    assert 8 in got


def test_an_arrested_man_and_his_own_child_exposes_the_tie():
    got = flagged(
        "Seorang buruh berinisial TK (47) ditahan polisi atas dugaan pencabulan terhadap anak kandungnya sendiri."
    )
    assert 8 in got


def test_an_in_law_who_did_the_act_exposes_the_tie():
    got = flagged("Pelecehan seksual terhadap siswi SD itu dilakukan kakak iparnya, berinisial AH (27).")
    assert got.get(8) == ["kakak iparnya"]


def test_colloquial_uncles_expose_the_tie():
    assert 8 in flagged("Anak 7 tahun dicabuli sama oom nya sendiri pas nginep. Pelakunya udah ditangkap.")
    assert 8 in flagged("Paklik kok tega nodai ponakan sendiri yg masih SMP.")


def test_a_relative_named_after_the_offender_exposes_the_tie():
    got = flagged("Pelaku pencabulan bocah enam tahun itu ternyata tetangga sekaligus kerabat korban.")
    assert 8 in got


def test_a_stepfather_in_english_exposes_the_tie():
    assert 8 in flagged("A 12-year-old girl was sexually abused by her stepfather, police said.")


def test_a_pregnancy_by_a_cousin_is_a_sexual_case_with_the_tie():
    got = flagged("Seorang remaja putri 15 tahun diketahui hamil. Pelakunya tak lain sepupunya sendiri, RN (20).")
    assert 8 in got


def test_a_relative_who_accompanies_or_reports_is_not_the_offender():
    assert (
        flagged("Paman korban mendampingi anak itu saat visum setelah dicabuli penjaga kebun berinisial TR (50).") == {}
    )
    assert 8 not in flagged("Polisi menangkap pria asing yang mencabuli bocah delapan tahun. Ayah korban melapor.")


def test_an_unspecified_family_member_is_compliant():
    got = flagged("Seorang anggota keluarga ditahan atas dugaan kekerasan seksual terhadap anak berusia 10 tahun.")
    assert got == {}


# ---- point 1: the child's name before the cue, nicknames, named in the next sentence ------------------------


def test_a_name_before_a_clause_about_a_pupil_is_the_childs():
    got = flagged("Salsabila Putri, yang masih duduk di kelas 4, menjadi korban perundungan oleh kakak kelasnya.")
    assert got.get(1) == ["Salsabila Putri"]


def test_a_name_before_its_age_without_a_comma_is_the_childs():
    got = flagged("Dinda Ayu Lestari baru berusia 10 tahun ketika pertama kali dianiaya majikan ibunya.")
    assert got.get(1) == ["Dinda Ayu Lestari"]


def test_a_nickname_in_quotes_is_the_childs():
    got = flagged('Korban, yang oleh teman-temannya dipanggil "Nining", dianiaya pengasuhnya. Bocah itu dirawat.')
    assert got.get(1) == ["Nining"]


def test_a_name_given_as_the_identity_of_the_child_before_is_the_childs():
    got = flagged(
        "Pelajar berusia 17 tahun itu menjadi tersangka kasus narkoba. Identitas lengkapnya, Reza Pahlevi, "
        "sudah diketahui warga."
    )
    assert "Reza Pahlevi" in got.get(12, [])


def test_a_name_before_a_clause_about_an_offender_is_not_the_childs():
    got = flagged("Darmawan Saputra, yang mencabuli siswi kelas 4 itu, ditahan. Korban didampingi psikolog.")
    assert 1 not in got


def test_an_adult_offender_named_after_a_child_sentence_is_not_a_child():
    got = flagged("Korban adalah bocah delapan tahun. Pelaku bernama Hendra Wijaya ditahan di Polsek.")
    assert 1 not in got


def test_a_childs_own_name_in_a_prize_announcement_is_compliant():
    assert flagged("Pengumuman: Rafa Alfarizi dari kelas 3B menjadi juara 1 lomba mewarnai tingkat kecamatan.") == {}


def test_a_nickname_with_an_apposition_giving_a_childs_age_is_the_childs():
    got = flagged("Kasihan bgt si Bunga Citra, anak tetangga gw umur 7 thn, dipukulin bapaknya sampe lebam.")
    assert got.get(1) == ["Bunga Citra"]


def test_an_exclamation_before_a_childs_age_is_not_a_name():
    got = flagged("Astaga, anak 7 tahun dicabuli sama oom nya sendiri. Pelakunya udah ditangkap.")
    assert 1 not in got
    assert 8 in got


def test_a_police_station_named_after_a_childs_age_is_not_a_name():
    got = flagged("Ibu korban melaporkan pencabulan yang dialami putrinya yang berusia 10 tahun ke Polsek Sungai Lada.")
    assert got == {}


def test_a_colloquial_theft_and_arrest_of_a_pupil_is_a_juvenile_case():
    got = flagged(
        "Viral! Remaja tanggung ini nyolong motor di parkiran, ternyata siswa SMA Harapan Bangsa. Sudah diciduk."
    )
    assert got.get(12) == ["SMA Harapan Bangsa"]


def test_an_uncle_written_with_a_hyphenated_particle_exposes_the_tie():
    assert 8 in flagged("Korban, siswi kelas 7, sudah dua kali diperkosa om-nya sendiri.")
    assert 8 not in flagged("Korban, siswi kelas 7, sudah dua kali diperkosa pria yang baru dikenalnya.")


def test_a_step_grandchild_as_the_victim_exposes_the_tie():
    assert 8 in flagged("Pria berinisial BT (50) ditangkap karena menyetubuhi cucu tirinya yang baru 12 tahun.")
    assert 8 not in flagged("Pria berinisial BT (50) ditangkap karena menyetubuhi bocah yang baru 12 tahun.")


def test_an_english_age_in_words_before_a_name_makes_it_a_childs():
    got = flagged("Nine-year-old Maya Sari was beaten by her neighbour, police said.")
    assert got.get(1) == ["Maya Sari"]
    assert 1 not in flagged("Nine-year-old MS was beaten by her neighbour, police said.")


def test_an_arrested_uncle_in_english_exposes_the_tie():
    assert 8 in flagged("Police arrested the girl's uncle, 44, on suspicion of molesting the 9-year-old.")
    assert 8 not in flagged("Police arrested a 44-year-old man on suspicion of molesting the 9-year-old.")


def test_a_coach_of_a_youth_team_arrested_is_an_adult_offender():
    got = flagged("Pelatih tim sepak bola remaja, Hendra Gunawan, ditangkap karena mencabuli anak didiknya.")
    assert 12 not in got
    assert 1 not in got
    assert 12 in flagged("Pemain tim sepak bola remaja, Hendra Gunawan (16), ditangkap karena mencuri sepatu.")
