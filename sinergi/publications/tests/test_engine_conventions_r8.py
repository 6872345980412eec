"""The PPRA labelling conventions of round eight (issue 17; benchmarks/README.md, PPRA section), all from PPRA's
definition of a child's identity (name, photo, face, names of parents and relatives, address, village, school)
and point 1 covering every child. Like the ABH convention (points 1 + 12), each adds ONE finding of the added
point on the most severe source finding, its `why` naming the convention. Each rule has a compliant twin."""

from sinergi.publications.ppra.engine import CaseFlags, check


def breaches(text: str, **kw) -> list:
    return [f for f in check(text, **kw).findings if f.severity != "advice"]


def points(text: str, **kw) -> set[int]:
    return {f.point for f in breaches(text, **kw)}


def of(findings: list, point: int) -> list:
    return [f for f in findings if f.point == point]


# ---- 1. a found child who is still identified: points 1 and 9 ------------------------------------------------


def test_a_found_child_named_again_breaches_points_1_and_9_with_one_point_1_finding():
    text = (
        "Alhamdulillah, Citra Lestari (9) yang hilang sejak Selasa telah ditemukan di rumah bibinya di "
        "Desa Karang Tengah. Citra kini kembali bersama orang tuanya."
    )
    found = breaches(text)
    assert {f.point for f in found} == {1, 9}
    [one] = of(found, 1)
    assert (one.text, one.severity) == ("Citra Lestari", "block")  # the most severe, then first, point-9 span
    assert "ditemukan" in one.why
    assert "PPRA butir 1" in one.why
    assert "Citra Lestari" in [f.text for f in of(found, 9)]


APPEAL = "Mohon bantuan: Citra Lestari (9) hilang sejak Selasa di sekitar pasar. Mohon hubungi 0812-0000-1111."


def test_a_child_still_missing_named_in_the_family_appeal_is_compliant():
    assert points(APPEAL) == set()
    # Point 9 allows it: the name is advice only.
    assert [(f.point, f.severity, f.text) for f in check(APPEAL).findings] == [(9, "advice", "Citra Lestari")]


def test_an_old_appeal_kept_online_after_the_child_was_found_is_point_9_only():
    # The reviewer flags the date; the text itself is the old appeal: keeping it online is 9, not 1.
    found = breaches(APPEAL, flags=CaseFlags(missing=True, found_on="4 Januari 2027"))
    assert [(f.point, f.severity, f.text) for f in found] == [(9, "block", "Citra Lestari")]


def test_a_found_child_not_identified_is_compliant():
    text = (
        "Seorang anak yang dilaporkan hilang di Kecamatan Karang Tengah telah ditemukan dan kini bersama keluarganya."
    )
    assert points(text) == set()


# ---- 2. the face of a child in conflict with the law in a photo or video: points 1, 4 and 12 ----------------


def test_the_face_of_a_juvenile_suspect_in_a_photo_breaches_points_1_4_and_12_on_the_picture():
    text = (
        "Bersama rilis ini kami lampirkan foto pelaku anak berusia 15 tahun saat diperiksa penyidik. "
        "Wajahnya terlihat jelas tanpa sensor."
    )
    found = breaches(text)
    assert {f.point for f in found} == {1, 4, 12}
    [twelve] = of(found, 12)
    [one] = of(found, 1)
    # One 12 and one 1, on the first (most severe) picture finding; the picture findings stay under 4.
    first_picture = min(of(found, 4), key=lambda f: f.start)
    assert (twelve.start, twelve.end) == (one.start, one.end) == (first_picture.start, first_picture.end)
    assert "UU SPPA" in twelve.why
    assert "PPRA butir 1" in one.why


def test_the_face_in_the_sentence_after_the_juvenile_suspect_is_his():
    text = (
        "Seorang pelajar berusia 16 tahun ditetapkan sebagai tersangka pengeroyokan. "
        "Wajahnya tampak jelas dalam foto saat pemeriksaan."
    )
    assert points(text) == {1, 4, 12}


def test_a_masked_photo_of_a_juvenile_suspect_is_compliant():
    text = (
        "Bersama rilis ini kami lampirkan foto pelaku anak berusia 15 tahun yang wajahnya sudah diburamkan "
        "saat diperiksa penyidik."
    )
    assert points(text) == set()


def test_the_face_of_a_child_victim_is_point_4_only_unless_the_words_identify_her():
    unnamed = "Dalam video yang kami terima, wajah korban pencabulan berusia 8 tahun itu terlihat jelas tanpa sensor."
    assert points(unnamed) == {4}
    named = "Dalam video yang kami terima, wajah Nuraini (8), korban pencabulan, terlihat jelas tanpa sensor."
    assert points(named) == {1, 4}


# ---- 3. point 8 with the offender's full name or address: points 1 and 8 ------------------------------------


def test_a_kin_offender_named_before_the_tie_breaches_points_1_and_8():
    text = "Polisi menahan Darmaji (51), paman korban, yang diduga mencabuli keponakannya berusia 9 tahun."
    found = breaches(text)
    assert {f.point for f in found} == {1, 8}
    [one] = of(found, 1)
    assert one.text == "paman korban"
    assert "nama lengkap atau alamat pelaku" in one.why
    assert one.severity == "block"  # the named offender names the child: point 8 blocks too


def test_a_kin_offender_named_after_the_offender_word_breaches_points_1_and_8():
    text = (
        "Kasus pencabulan oleh guru mengaji yang juga pakde korban terungkap pekan ini. "
        "Pelaku, Ustaz Rohmat, sudah ditahan."
    )
    assert points(text) == {1, 8}


def test_a_kin_offender_with_his_street_address_breaches_points_1_and_8():
    text = "Ayah tiri korban yang tinggal di Jl. Flamboyan No. 12 ditangkap karena mencabuli anak tirinya berusia 11 tahun."
    assert points(text) == {1, 8}


def test_a_kin_offender_with_initials_age_job_and_district_is_point_8_only():
    text = (
        "Seorang sopir angkot berinisial DM (51), paman korban, ditahan di Kecamatan Karang Tengah karena "
        "diduga mencabuli keponakannya berusia 9 tahun."
    )
    found = breaches(text)
    assert {f.point for f in found} == {8}
    assert all(f.severity == "warn" for f in found)


def test_an_official_named_before_the_tie_is_not_the_offender():
    text = "Menurut Kasat Reskrim AKP Hendra, paman korban ditangkap karena mencabuli keponakannya berusia 9 tahun."
    assert points(text) == {8}
