"""Round ten (issue 17): false-alarm classes read on blind set P, each with a unit test on new text (not P's)
and a breaching twin that must still be flagged."""

from sinergi.publications.ppra.engine import check


def points(text: str, **kw) -> set[int]:
    return {f.point for f in check(text, **kw).findings if f.severity != "advice"}


# ---- point 4: a sentence that says the picture is NOT shown is no picture of the child ------------------------

CASE = (
    "Seorang siswi berusia 13 tahun di Kecamatan Sungai Lada menjadi korban perundungan dan kini didampingi UPTD PPA. "
)


def test_a_photo_said_not_to_be_published_is_no_point_4():
    assert points(CASE + "Nama dan foto korban tidak dipublikasikan demi pemulihannya.") == set()


def test_a_face_the_documentation_will_not_show_is_no_point_4():
    assert points(CASE + "Dokumentasi pendampingan tidak akan menampilkan wajah anak.") == set()


def test_only_the_artwork_not_the_face_is_no_point_4():
    assert points(CASE + "Foto yang kami pakai hanya memperlihatkan gambar karyanya, bukan wajah anak.") == set()


def test_a_photo_shown_unmasked_is_still_point_4():
    assert 4 in points(CASE + "Foto korban ditampilkan tanpa sensor di akun sekolah.")


def test_a_negated_masking_next_to_a_publishing_verb_is_still_point_4():
    assert 4 in points(CASE + "Foto korban yang tidak disamarkan sudah tidak diunggah lagi, tetapi sempat beredar.")


def test_a_withheld_face_undone_by_a_contrast_is_still_point_4():
    assert 4 in points(CASE + "Wajah anak tidak ditampilkan, namun seragam dengan badge sekolahnya terlihat di foto.")


# ---- point 1: "seorang ibu, Marni (35)" describes the adult victim herself, not the mother of the case's child ----


def test_an_adult_victim_introduced_as_a_mother_is_no_relative_name():
    text = (
        "Seorang ibu, Marni (35), tewas setelah dianiaya suaminya di Kecamatan Sungai Lada. Pelaku, Junaidi (38), "
        "menyerahkan diri ke Polsek. Pasangan itu memiliki seorang anak berusia 6 tahun yang kini diasuh kerabat."
    )
    assert points(text) == set()


def test_a_housewife_victim_named_is_no_relative_name():
    text = (
        "Seorang ibu rumah tangga, Wati Lestari (40), menjadi korban penganiayaan suaminya di Kecamatan Sungai "
        "Lada. Dua anak mereka kini diasuh kerabat."
    )
    assert points(text) == set()


def test_the_named_mother_of_the_victim_is_still_point_1():
    text = (
        "Ibu korban, Marni (35), melapor ke Polsek setelah anaknya yang berusia 6 tahun dianiaya tetangga di "
        "Kecamatan Sungai Lada."
    )
    assert 1 in points(text)


def test_the_named_mother_of_a_child_victim_after_the_case_is_still_point_1():
    text = "Seorang anak perempuan berusia 9 tahun dianiaya ayah tirinya. Ibunya, Wati Lestari (40), melapor ke Polsek."
    assert 1 in points(text)


# ---- point 7: an interview that is refused or forbidden did not take place -----------------------------------

WITNESS = "Seorang anak saksi kasus penganiayaan di Kecamatan Sungai Lada sudah diperiksa penyidik. "


def test_a_refused_interview_of_the_child_witness_is_no_point_7():
    text = WITNESS + "Polisi tidak mengizinkan wartawan mewawancarai anak tersebut karena pelaku belum tertangkap."
    assert points(text) == set()


def test_a_forbidden_interview_of_the_child_witness_is_no_point_7():
    text = WITNESS + "Wartawan dilarang mewawancarai anak itu selama pelaku belum tertangkap."
    assert points(text) == set()


def test_an_interview_of_the_child_witness_while_the_offender_is_at_large_is_still_point_7():
    text = WITNESS + "Wartawan kami mewawancarai anak tersebut di rumahnya, padahal pelaku belum tertangkap."
    assert 7 in points(text)


# ---- point 1: a capitalised word before a bare number ("Pasal 82") is a reference, not a child's name ----------

REFERENCE = (
    'Seorang pria dewasa ditahan karena mencabuli anak di Kecamatan Sungai Lada. "Penyebaran identitas anak korban '
    'merupakan pelanggaran Pasal 19 UU SPPA," tegas Kapolsek.'
)


def test_a_numbered_article_after_the_child_is_not_her_name():
    assert points(REFERENCE) == set()


def test_a_child_name_with_a_bare_age_is_still_point_1():
    text = "Pelaku berinisial TS (37) ditangkap di Kecamatan Sungai Lada. Korban, Dinda 10 tahun, kini didampingi UPTD PPA."
    assert 1 in points(text)


# ---- point 6: "di RPSA" names the service, not where the shelter is ----------------------------------------

STREET_CHILDREN = (
    "Dinas Sosial menjangkau 12 anak jalanan di Kecamatan Sungai Lada. Anak-anak berusia 6 hingga 15 tahun itu kini "
)


def test_the_shelter_name_after_di_is_no_location():
    assert points(STREET_CHILDREN + "mendapat layanan di RPSA dan didaftarkan kembali ke sekolah.") == set()


def test_a_shelter_with_its_street_is_still_point_6():
    assert 6 in points(STREET_CHILDREN + "tinggal di RPSA di Jalan Melati samping Masjid Raya.")
