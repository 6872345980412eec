"""Round eleven (issue 17): classes read on blind set Q, each tried on new text (not Q's) with a breaching twin
that must still be flagged. One table: the text, the points it must be flagged for, the points it must not."""

import pytest

from sinergi.publications.ppra.engine import check
from sinergi.publications.ppra.text import tokenize

CASE = (
    "Seorang siswi berusia 13 tahun di Kecamatan Sungai Lada menjadi korban pencabulan dan kini didampingi UPTD PPA. "
)

CASES = [
    # A law's number, a sentence or a duration is no child's age.
    (
        "Tersangka Darman (41), tetangga korban, dijerat UU Nomor 12 Tahun 2022 tentang Tindak Pidana Kekerasan "
        "Seksual dengan ancaman 15 tahun penjara. Korban berusia 9 tahun didampingi UPTD PPA.",
        set(),
        {1, 12},
    ),
    # Twin: the child named is still point 1.
    (
        "Tersangka Darman (41) dijerat UU Nomor 12 Tahun 2022 karena mencabuli Nabila Putri (9), tetangganya.",
        {1},
        set(),
    ),
    # An office's class ("Bapas Kelas II") is no pupil's class, "Pekerja Sosial" no child's name.
    (
        "Polres Kuala Dendang bersama Bapas Kelas II dan Pekerja Sosial Dinas Sosial melaksanakan diversi terhadap "
        "seorang anak berinisial RZ (15) asal Kecamatan Tanjung Kelor. Kesepakatan diversi dicapai dengan keluarga korban.",
        set(),
        {1, 12},
    ),
    # The nickname of a named adult offender ("alias ...") is neither a relative's nor a child's name.
    (
        "Tersangka Wahyudi Saputra (33) alias Pak Yud, tetangga korban, ditahan karena mencabuli seorang anak "
        "perempuan berusia 10 tahun di Kecamatan Tanjung Kelor.",
        set(),
        {1, 12},
    ),
    (
        "Dua tersangka dewasa diamankan, yakni Rosmawati alias Mami Ros (45) selaku perekrut, dalam kasus "
        "perdagangan seorang anak berusia 16 tahun di Kecamatan Tanjung Kelor.",
        set(),
        {1},
    ),
    # An adult victim's spouse named: no child's relative.
    (
        "UPTD PPA mendampingi Ny. Yusnidar (36), warga Kecamatan Tanjung Kelor, yang dianiaya suaminya, Barlian (40). "
        "Anak-anak mereka kini tinggal bersama nenek. Korban mengalami luka memar.",
        set(),
        {1},
    ),
    # A law's or an office's name is no name ("Undang-Undang Perlindungan Anak", "Child Protection Office").
    (
        CASE + "Kami mengingatkan bahwa menyebarkan foto korban melukai anak dan melanggar Undang-Undang "
        "Perlindungan Anak.",
        set(),
        {1},
    ),
    (
        "The Kuala Dendang Women's Empowerment and Child Protection Office welcomed the diversion agreement for a "
        "15-year-old boy from Tanjung Kelor district.",
        set(),
        {1},
    ),
    # The school that sends a circular, with no child, class or address named: advice, not a warning.
    (
        "PEMBERITAHUAN KEPADA ORANG TUA/WALI PESERTA DIDIK SMPN 4 KUALA DENDANG. Sehubungan dengan beredarnya kabar "
        "kekerasan yang menimpa salah satu siswa kami, sekolah telah melapor ke UPTD PPA dan mendampingi korban. "
        "Mohon tidak menyebarkan nama atau foto anak.",
        set(),
        {1},
    ),
    # Twin: the same school with the pupil's class singles the child out.
    (
        "Pengumuman Komite Sekolah SDN 3 Tanjung Kelor. Salah satu siswa kelas 4B menjadi korban pencabulan oleh "
        "penjaga kantin, dan kini didampingi UPTD PPA.",
        {1},
        set(),
    ),
    # A hotline ("SAPA 129") is no village.
    (
        CASE + "Laporkan kekerasan ke layanan di SAPA 129 atau WA UPTD PPA.",
        set(),
        {1},
    ),
    # A sentence that says the uniform is NOT seen in the photo withholds it.
    (
        "Foto: petugas mendampingi seorang anak korban (wajah diburamkan, tampak dari belakang) saat pemeriksaan. "
        "Seragam dan atribut anak tidak terlihat dalam foto. Pelaku penganiayaan sudah ditahan.",
        set(),
        {4},
    ),
    # A parent's quote ("foto anak saya") is not the child speaking about its trauma.
    (
        'Anak yang hilang sejak Senin, Dinda (8), sudah ditemukan. Ibunya menangis saat menjemput. "Terima kasih '
        'semua yang sudah membantu mencari anak saya," katanya.',
        {1, 9},
        {3},
    ),
    # The child told a teacher (how the case came to light): no interview.
    (
        CASE + "Kasus terungkap setelah korban mengeluh sakit dan bercerita kepada gurunya di sekolah.",
        set(),
        {3},
    ),
    # "Pengadilan Agama" is an office, not a SARA framing.
    (
        "Laporan konseling: ananda Salsa Amelia (kelas V), yang orang tuanya sedang bercerai di Pengadilan Agama, "
        "kami minta menceritakan pertengkaran orang tuanya di depan kelompok.",
        {1, 3},
        {10},
    ),
    # Point 8: the victim named by the offender's tie after a sexual-violence act word or an arrest noun.
    (
        "Polres menetapkan seorang pria berinisial BR (44) sebagai tersangka kekerasan seksual terhadap anak tirinya "
        "yang berusia 14 tahun di Kecamatan Tanjung Kelor.",
        {8},
        set(),
    ),
    (
        "Warga geger dengan penangkapan seorang kakek berinisial SR (70) atas dugaan pencabulan terhadap cucu "
        "kandungnya yang berusia 7 tahun di Kecamatan Tanjung Kelor.",
        {8},
        set(),
    ),
    (
        "The man arrested for sexually abusing his own stepdaughter in Tanjung Kelor district is 50 years old, initials RH.",
        {8},
        set(),
    ),
    # Point 12 without identity: detention with adults, diversion refused as policy, a closed hearing published.
    (
        "Seorang anak berusia 14 tahun yang terlibat tawuran ditahan di sel Polsek bersama tahanan dewasa selama "
        "sepekan. Kapolsek menyebut diversi tidak perlu dilakukan.",
        {12},
        {1},
    ),
    (
        "Sidang perkara anak digelar secara tertutup di Pengadilan Negeri Kuala Dendang. Meski begitu, redaksi "
        "memperoleh salinan berita acara musyawarah diversi yang memuat pengakuan anak.",
        {12},
        set(),
    ),
    # Twins that stay compliant: separate detention, an open verdict, a warning against it.
    (
        "Anak berkonflik dengan hukum berinisial FA (15) dititipkan di LPKS, terpisah dari tahanan dewasa, sambil "
        "menunggu diversi.",
        set(),
        {12},
    ),
    (
        "Sidang perkara anak berinisial RH (15) berlangsung tertutup untuk umum. Hakim membacakan putusan dalam "
        "sidang terbuka: pidana pembinaan di LPKS selama enam bulan.",
        set(),
        {12},
    ),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_round11_classes(text, present, absent):
    flagged = {f.point for f in check(text).findings if f.severity != "advice"}
    assert present <= flagged, (present - flagged, flagged)
    assert not (absent & flagged), (absent & flagged, flagged)


def test_a_sentence_ends_after_a_closing_bracket():
    doc = tokenize("Sosialisasi pencegahan kekerasan (bagi anak). Materi disampaikan dengan lagu.")
    assert {t.text: t.sentence for t in doc.tokens}["Materi"] == 1


def test_the_sender_school_is_reported_as_advice():
    text = (
        "PEMBERITAHUAN KEPADA ORANG TUA/WALI PESERTA DIDIK SMPN 4 KUALA DENDANG. Salah satu siswa kami menjadi "
        "korban perundungan dan sudah didampingi UPTD PPA."
    )
    schools = [f for f in check(text).findings if f.kind == "school"]
    assert schools
    assert all(f.severity == "advice" for f in schools)
