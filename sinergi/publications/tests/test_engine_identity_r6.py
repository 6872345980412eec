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
        "Video yang kami unggah menampilkan rumah korban, sementara anak terlihat di teras meski wajahnya diburamkan."
    )
    assert 4 in flagged(text)


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
