"""Demo data of the publications app (plugin demo_seeder): drafts in several states of the workflow, two
media partners with their MoU, a takedown request. Every name, outlet, village and school is fictional.
Written through the services (so the checker runs and the audit log has the events); idempotent: a
tenant that already has drafts is left alone."""

import datetime as dt

from sinergi.accounts.models import User

from . import services
from .models import Draft

FIRST = (
    "Seorang siswi SMP bernama Kemuning Sari (13), warga Desa Rawa Teduh, menjadi korban pencabulan oleh "
    "ayah tirinya. Kapolsek mengatakan pelaku sudah ditahan."
)
FIRST_FIXED = (
    "Seorang anak perempuan berusia 13 tahun di kecamatan setempat menjadi korban kekerasan seksual oleh "
    "seorang anggota keluarga. Kapolsek mengatakan terduga pelaku sudah ditahan. Korban didampingi UPTD PPA."
)
SECOND = (
    "Korban kini bersekolah lagi di SMP Tunas Harapan dan tinggal bersama neneknya. Pendampingan psikologis berlanjut."
)
COMPLIANT = (
    "DP3A menggelar sosialisasi Pedoman Pemberitaan Ramah Anak bagi 30 wartawan media daring dan cetak. "
    "Peserta diingatkan agar identitas anak korban tidak dipublikasikan."
)
MISSING = "Bocah bernama Danu Saputra (8) yang dilaporkan hilang sejak Senin sudah ditemukan di rumah kerabatnya."

PARTNERS = (
    ("Kabar Mahakam Daring (fiktif)", "Pemimpin Redaksi: Rudi Hartawan\nKepala DP3A", dt.date(2026, 3, 12)),
    ("Radio Suara Tepian (fiktif)", "Direktur: Lestari Anggraini\nKepala DP3A", dt.date(2026, 5, 20)),
)


def seed_publications(*, users: dict[str, User]) -> int:
    """Drafts, partners and a takedown request in each tenant with a communications officer and a head."""
    created = 0
    tenants: dict[str, dict[str, User]] = {}
    for user in users.values():
        tenants.setdefault(user.tenant.code if user.tenant_id else "", {}).setdefault(user.role, user)
    for code, by_role in tenants.items():
        author, head = by_role.get("communications_officer"), by_role.get("office_head")
        if not code or author is None or head is None or Draft.objects.filter(tenant=head.tenant).exists():
            continue
        created += _seed_tenant(author=author, head=head)
    return created


def _seed_tenant(*, author: User, head: User) -> int:
    tenant = head.tenant
    # 1. A breaching release returned, fixed and approved (v1 -> return -> v2 -> approve).
    first = services.draft_submit(actor=author, title="Rilis kasus kekerasan seksual anak (demo)", text=FIRST)
    services.draft_return(actor=head, draft=first, reason="Hapus nama, desa dan hubungan keluarga pelaku.")
    services.draft_revise(actor=author, draft=first, text=FIRST_FIXED)
    services.draft_approve(actor=head, draft=first)
    # 2. A follow-up linked to it (the jigsaw check), waiting for review, with the reviewer's flag.
    second = services.draft_submit(actor=author, title="Berita lanjutan (demo)", text=SECOND, linked=[first])
    services.draft_set_flags(actor=head, draft=second, lpsk_protected=True)
    # 3. A compliant announcement, waiting for review.
    services.draft_submit(actor=author, title="Sosialisasi PPRA bagi wartawan (demo)", text=COMPLIANT)
    # 4. A missing child who was found: the reviewer's date makes the name a point-9 block.
    missing = services.draft_submit(actor=author, title="Anak hilang sudah ditemukan (demo)", text=MISSING)
    services.draft_set_flags(actor=head, draft=missing, missing_child=True, found_on=dt.date(2026, 6, 2))
    services.draft_comment(actor=head, draft=missing, body="Anak sudah ditemukan: mohon hapus nama dan foto.")
    partners = [
        services.media_partner_create(actor=head, tenant=tenant, name=name, signatories=who, signed_on=signed)
        for name, who, signed in PARTNERS
    ]
    services.takedown_request_create(
        actor=head,
        partner=partners[0],
        kind="correction",
        url="https://kabar-mahakam.example/berita/anak-hilang-ditemukan",
        points=[9],
        reason="Anak sudah ditemukan; nama dan foto anak masih tampil di berita lama.",
    )
    return 4
