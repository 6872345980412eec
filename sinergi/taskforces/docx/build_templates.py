"""Rebuild the default Word templates (undangan.docx, notulen.docx) with docxtpl (Jinja) tags.

The office may edit the generated files in Word (layout, kop surat, wording) as long as the {{ … }} and
{% … %} tags stay; run `python -m sinergi.taskforces.docx.build_templates` only to reset them.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).parent


def _kop(doc) -> None:
    for text, size, bold in (
        ("{{ letterhead.parent|upper }}", 12, True),
        ("{{ letterhead.office|upper }}", 14, True),
        ("{{ letterhead.address }}", 9, False),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    doc.add_paragraph("_" * 80)


def undangan() -> None:
    doc = Document()
    _kop(doc)
    doc.add_paragraph("{{ place_date }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for label, value in (
        ("Nomor", "{{ number }}"),
        ("Sifat", "{{ nature }}"),
        ("Lampiran", "{{ attachment }}"),
        ("Hal", "Undangan {{ subject }}"),
    ):
        doc.add_paragraph(f"{label}\t: {value}")
    doc.add_paragraph("Yth.")
    doc.add_paragraph("{% for name in addressees %}{{ loop.index }}. {{ name }}\n{% endfor %}di Tempat")
    doc.add_paragraph("Dengan hormat, dalam rangka {{ title }}, kami mengundang Bapak/Ibu untuk hadir pada:")
    for label, value in (("Hari/tanggal", "{{ day_date }}"), ("Waktu", "{{ time }}"), ("Tempat", "{{ venue }}")):
        doc.add_paragraph(f"{label}\t: {value}")
    doc.add_paragraph("Acara\t: {% for item in agenda %}{{ loop.index }}. {{ item }}\n{% endfor %}")
    doc.add_paragraph(
        "Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat waktu. Atas perhatian dan "
        "kehadirannya diucapkan terima kasih."
    )
    for text in (
        "{{ signature.position }},",
        "",
        "",
        "{{ signature.name }}",
        "{{ signature.rank }}",
        "NIP. {{ signature.nip }}",
    ):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(HERE / "undangan.docx")


def notulen() -> None:
    doc = Document()
    _kop(doc)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("NOTULEN").bold = True
    for label, value in (
        ("Kegiatan", "{{ title }}"),
        ("Hari/tanggal", "{{ day_date }}"),
        ("Waktu", "{{ time }}"),
        ("Tempat", "{{ venue }}"),
        ("Pimpinan rapat", "{{ chair }}"),
        ("Notulis", "{{ note_taker }}"),
    ):
        doc.add_paragraph(f"{label}\t: {value}")
    doc.add_paragraph("{{ summary }}")
    doc.add_paragraph(
        "{% for item in agenda %}{{ item.position }}. {{ item.title }}\nPembahasan: {{ item.discussion }}\n"
        "Narasumber/penanggap: {{ item.speakers }}\nKeputusan: {{ item.decisions }}\n\n{% endfor %}"
    )
    doc.add_paragraph("Kesepakatan:")
    doc.add_paragraph(
        "{% for a in agreements %}{{ a.label }}. {{ a.text }} (PJ: {{ a.owner }}; tenggat: {{ a.due }})\n{% endfor %}"
    )
    doc.save(HERE / "notulen.docx")


if __name__ == "__main__":
    undangan()
    notulen()
