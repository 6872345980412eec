"""The PPRA findings of round six (issue 17, the misses of blind set M read by class): the labelling convention for
a juvenile offender's identity (points 1 and 12), and one test per gap class fixed. Each breach is flagged with its
point; each compliant near-miss is not."""

from sinergi.publications.ppra.engine import check


def flagged(text: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for f in check(text).findings:
        if f.severity != "advice":
            out.setdefault(f.point, []).append(f.text)
    return out


# ---- the ABH convention: a juvenile offender's identity breaches points 1 and 12 ---------------------------


def test_a_named_juvenile_suspect_is_flagged_under_points_1_and_12():
    text = "Polisi menangkap Aldi Saputra (16), pelajar SMK Bina Karya, yang diduga mencuri sepeda motor."
    findings = [f for f in check(text).findings if f.severity != "advice"]
    by_point = {p: [f for f in findings if f.point == p] for p in (1, 12)}
    assert "Aldi Saputra" in [f.text for f in by_point[12]]
    # One point-1 finding, on the most severe identity span (the name), not every span doubled.
    assert [(f.text, f.severity) for f in by_point[1]] == [("Aldi Saputra", "block")]


def test_a_juvenile_suspect_identified_by_proxies_only_gets_point_1_on_one_of_them():
    got = flagged("Pelaku anak berinisial BS (15), warga Dusun Krajan RT 01/RW 03, telah diamankan atas pengeroyokan.")
    assert 12 in got
    assert len(got[1]) == 1
    assert got[1][0] in got[12]


def test_a_juvenile_suspect_with_initials_and_a_district_is_still_compliant():
    assert (
        flagged("Seorang remaja berinisial KA (16) diamankan polisi karena mencuri motor di Kecamatan Sungai Tebing.")
        == {}
    )


def test_a_child_victim_is_point_1_only():
    got = flagged("Korban, Dinda Ayu Lestari (11), dianiaya tetangganya yang kini ditahan polisi.")
    assert got.get(1) == ["Dinda Ayu Lestari"]
    assert 12 not in got


# ---- point 8: the offender's tie said by a relative clause, a copula, a compound or "melakukan" -------------


def test_an_offender_described_by_role_who_is_also_the_victims_uncle_exposes_the_tie():
    assert 8 in flagged("Kasus pencabulan oleh guru ngaji yang juga pakde korban ini terungkap. Pelaku sudah ditahan.")
    assert 8 not in flagged("Kasus pencabulan oleh guru ngaji ini terungkap setelah pakde korban melapor ke polisi.")


def test_an_english_copula_naming_the_stepfather_exposes_the_tie():
    assert 8 in flagged("The man arrested for sexually abusing a nine-year-old girl is her stepfather, police said.")
    assert 8 not in flagged("The man arrested for sexually abusing a nine-year-old girl is a neighbour, police said.")


def test_a_compound_kinship_before_an_act_said_as_a_noun_exposes_the_tie():
    got = flagged(
        "Kakak sepupu korban, MR (19), diduga melakukan pencabulan terhadap adik sepupunya yang berusia 8 tahun."
    )
    assert got.get(8) == ["Kakak sepupu korban"]
    assert 8 not in flagged("Seorang pria, MR (39), diduga melakukan pencabulan terhadap siswi yang berusia 8 tahun.")


def test_melakukan_before_the_act_makes_the_victims_tie_the_offenders():
    assert 8 in flagged("Pria itu diduga melakukan pencabulan terhadap keponakannya yang berusia 8 tahun.")
    assert 8 not in flagged("Ibu korban melaporkan pencabulan terhadap putrinya yang berusia 8 tahun ke polisi.")


# ---- point 4: a masking that a contrast or a partial cover undoes ------------------------------------------


def test_a_blurred_face_with_the_school_name_still_readable_is_a_breach():
    text = (
        "Dalam foto yang kami muat, wajah korban sudah diblur, namun nama sekolah di seragamnya dan nomor "
        "rumahnya masih terbaca jelas."
    )
    assert 4 in flagged(text)
    assert 4 not in flagged("Dalam foto yang kami muat, wajah korban sudah diblur dan tidak ada penanda lain.")


def test_a_masking_with_meski_after_what_identifies_the_child_is_a_breach():
    text = (
        'Video yang kami unggah menampilkan rumah korban dengan papan nama "Toko Berkah" milik orang tuanya, '
        "sementara anak terlihat di teras meski wajahnya diburamkan."
    )
    assert 4 in flagged(text)


def test_a_contrast_about_something_else_than_the_child_leaves_the_masking_safe():
    assert (
        flagged("Foto kegiatan: wajah anak-anak peserta lomba diburamkan, namun semangat mereka terlihat jelas.") == {}
    )
    text = "Dalam foto, wajah korban yang berusia 9 tahun sudah diburamkan, sementara petugas terlihat mendampingi."
    assert 4 not in flagged(text)


def test_a_mosaic_that_neighbours_still_see_through_is_a_breach():
    text = (
        "Pada gambar yang disertakan, wajah anak korban disamarkan dengan mozaik, tetapi kursi rodanya membuat "
        "tetangga langsung mengenalinya."
    )
    assert 4 in flagged(text)
    assert 4 not in flagged("Pada gambar yang disertakan, wajah anak korban disamarkan dengan mozaik.")


def test_only_a_thin_bar_over_the_eyes_is_no_masking():
    text = "Rekaman CCTV menunjukkan siswi itu ditarik paksa ke mobil. Mata siswi itu hanya ditutup garis hitam tipis."
    assert 4 in flagged(text)
    assert 4 not in flagged("Rekaman CCTV menunjukkan siswi itu ditarik paksa ke mobil. Wajahnya ditutup garis hitam.")


def test_a_victims_age_before_a_passive_by_the_offender_is_not_a_juvenile_case():
    got = flagged(
        "Rekaman CCTV memperlihatkan korban, bocah enam tahun, sebelum dibawa pergi pelaku; wajahnya tidak kami samarkan."
    )
    assert 4 in got
    assert 12 not in got


# ---- point 12: a colloquial arrest, an English naming and an English village -------------------------------


def test_a_colloquially_caught_robber_who_is_still_a_kid_is_a_juvenile_case():
    got = flagged("Ternyata begal yg ketangkep semalem masih bocil, namanya Egi umur 14, anak SMPN 2 Batu Ampar.")
    assert got.get(12, [])[:1] == ["Egi"]
    assert 1 in got
    adult = flagged("Ternyata begal yg ketangkep semalem masih muda, namanya Egi umur 24, tinggal di Kecamatan Batu.")
    assert 12 not in adult


def test_an_english_suspect_identified_by_police_as_a_name_is_a_juvenile_case():
    text = (
        "The 16-year-old suspect, identified by police as Dani Firmansyah, son of a local shopkeeper in Sukajadi "
        "village, has been charged with arson."
    )
    got = flagged(text)
    assert "Dani Firmansyah" in got.get(12, [])
    assert "Sukajadi village" in got.get(12, [])
    assert flagged("The 16-year-old suspect, identified by police only as DF, has been charged with arson.") == {}


# ---- points 7 and 3: the witness and the trauma said in the sentence before, colloquial and English --------


def test_a_witness_child_interviewed_while_police_have_not_caught_the_suspect_is_point_7():
    text = (
        "Polisi belum menangkap tersangka penculikan. Sementara itu, kami berbincang dengan anak berinisial T (12) "
        'yang menyaksikan kejadian itu. "Orangnya tinggi, pakai jaket hitam," katanya.'
    )
    assert 7 in flagged(text)
    assert 7 not in flagged(text.replace("belum menangkap", "sudah menangkap"))


def test_an_english_witness_interviewed_while_the_gunman_is_at_large_is_point_7():
    text = "With the gunman still at large, our team interviewed a 14-year-old witness at her school."
    assert 7 in flagged(text)
    assert 7 not in flagged("After the gunman was arrested, our team interviewed a 14-year-old witness at her school.")


def test_a_pronoun_telling_in_the_next_sentence_carries_the_child_witness():
    text = (
        "Live IG barusan sama adek saksi yg liat pembunuhan di Kel. Sukajadi, umur 11 th. Pelakunya masih "
        "berkeliaran lho, dia cerita semua ciri2nya ke kita."
    )
    assert 7 in flagged(text)
    assert 7 not in flagged(text.replace("masih berkeliaran", "udah ditangkap"))


def test_the_witness_of_the_sentence_before_is_the_child_interviewed():
    text = (
        "Anak saksi berumur 8 tahun itu mengaku melihat tetangganya membawa kabur korban. Pelaku masih dalam "
        "pengejaran dan belum ditangkap, namun bocah itu kami wawancarai di teras rumahnya."
    )
    assert flagged(text).keys() == {7}


def test_an_adult_relative_named_before_the_speech_verb_is_no_child_speaking():
    text = "Kakak korban, Ramli (20), mengatakan adiknya sempat dikurung pelaku yang kini melarikan diri."
    assert 7 not in flagged(text)


def test_a_childs_quote_about_a_parents_suicide_is_point_3():
    text = '"Aku lihat bapak gantung diri di dapur," kata siswi kelas 4 itu ketika ditemui wartawan di rumahnya.'
    assert 3 in flagged(text)
    assert 3 not in flagged('"Aku suka pelajaran menggambar," kata siswi kelas 4 itu ketika ditemui wartawan.')


def test_an_english_childs_quote_about_a_flood_is_point_3():
    text = (
        "Speaking to our reporter at the camp, the nine-year-old boy described watching the flood sweep away his "
        'sister. "I held her hand but the water was too strong," he said.'
    )
    assert 3 in flagged(text)


# ---- the tokeniser: an abbreviation the spelling variants rewrite still does not end a sentence -------------


def test_kel_and_jl_abbreviations_do_not_end_a_sentence():
    from sinergi.publications.ppra.engine import load_rules, tokenize

    doc = tokenize("Anak itu tinggal di Kel. Sukajadi dan Jl. Mawar. Ia sehat.", variants=load_rules().variants)
    assert len(doc.sentences) == 2


# ---- false alarms: an adult victim, a signboard's name, the English news "story" ---------------------------


def test_an_adult_victim_story_has_no_child():
    text = (
        "Seorang ibu rumah tangga, Sumiati (34), warga Desa Sukamaju, melapor ke polisi setelah dianiaya suaminya. "
        "Korban mengalami luka memar di lengan. Pelaku sudah diamankan."
    )
    assert flagged(text) == {}
    # The victim's mother aged 34 is no adult victim: the victim is her child.
    assert 1 in flagged("Ibu korban, Sumiati (34), warga Desa Sukamaju, melapor setelah korban dianiaya tetangganya.")


def test_a_shop_name_on_a_signboard_is_not_a_childs_name():
    text = (
        'Video itu menampilkan rumah korban dengan papan nama "Toko Berkah Jaya" milik orang tuanya, dan anak di teras.'
    )
    assert "Toko Berkah Jaya" not in flagged(text).get(1, [])
    assert "Bunga Lestari" in flagged("Korban penganiayaan itu bernama Bunga Lestari (9), siswi kelas 3.").get(1, [])


def test_the_news_story_in_english_is_no_social_media_material():
    text = (
        "A photo published with this story shows the 13-year-old victim in front of her family's stall, with the "
        "shop's sign clearly visible behind her; only her eyes are pixelated."
    )
    got = flagged(text)
    assert 4 in got
    assert 11 not in got
    assert 11 in flagged("The 13-year-old victim's Instagram story was shared by classmates after the assault.")


# ---- point 6: a shelter located in colloquial words -----------------------------------------------------------


def test_a_shelter_located_near_a_terminal_with_a_green_fence_is_point_6():
    text = (
        "Gue tau loh anak yg dilindungi LPSK itu sekarang diumpetin di rumah aman deket terminal Rawa Lestari, "
        "yg pagarnya ijo."
    )
    assert 6 in flagged(text)
    assert 6 not in flagged("Anak korban itu kini tinggal di rumah aman milik pemerintah dan didampingi psikolog.")
