"""Demo data of the KLA workspace (fictional): for every demo regency with a task-force secretariat, the
current and last year's tree, OPDs assigned by cluster, evidence of realistic completeness (Kelembagaan,
I and III strong; II, IV and V weak) as small real PDFs, self-assessments of both years, deadlines; in
Paser the minutes of the seed meeting linked as cluster I evidence (a link, not a copy)."""

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.core import clock, plugins

from .models import Assignment, DeadlineKind, EvidenceType, Indicator, ReviewStatus, SelfAssessment
from .services import workspace as s
from .services.instrument import year_load

STRONG = {"K": 0.9, "I": 0.85, "III": 0.8}
KIND_BY_CLUSTER = {
    "K": ["bappeda", "office", "diskominfo"],
    "I": ["disdukcapil", "diskominfo", "office"],
    "II": ["kemenag", "office", "dinsos"],
    "III": ["dinkes", "health_facility"],
    "IV": ["disdik", "school"],
    "V": ["dinsos", "uptd_ppa", "police_ppa"],
}


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with one line of text (real, valid, a few hundred bytes)."""
    safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 40 760 Td (" + safe[:90] + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _agency_for(slots: dict, cluster: str, i: int):
    for kind in KIND_BY_CLUSTER.get(cluster, []):
        matches = [a for key, a in slots.items() if getattr(a, "kind", "") == kind or key == kind]
        if matches:
            return matches[i % len(matches)]
    return sorted(slots.values(), key=lambda a: a.name)[i % len(slots)]


def _seed_tenant(tenant, secretariat, slots: dict, year: int) -> int:
    rng = random.Random(f"kla-{tenant.code}-{year}")  # noqa: S311  (demo data, not secrets)
    ey = year_load(year=year)
    last = year_load(year=year - 1)
    indicators = list(Indicator.objects.filter(year=ey).select_related("cluster").order_by("order"))
    for i, ind in enumerate(indicators):
        s.assignments_set(
            actor=secretariat,
            indicators=[ind],
            agencies=[_agency_for(slots, ind.cluster.code, i)],
            contact_name="Petugas KLA (fiktif)",
        )
    items = 0
    for ind in indicators:
        strength = STRONG.get(ind.cluster.code, 0.45)
        agency = Assignment.objects.filter(tenant=tenant, indicator=ind).first().agency
        for t in ind.required_types:
            if rng.random() > strength:
                continue
            dated = dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
            title = f"{EvidenceType(t).label} indikator {ind.code} (contoh fiktif)"
            item = s.evidence_add(
                actor=secretariat,
                indicator=ind,
                agency=agency,
                evidence_type=t,
                title=title,
                uploaded_file=SimpleUploadedFile(f"bukti-{ind.code}-{t}.pdf", tiny_pdf(f"{tenant.name} - {title}")),
                number=f"{rng.randint(1, 400)}/{year - 1}" if t in ("regulation", "decree", "policy") else "",
                is_signed=t in ("regulation", "decree", "policy"),
                dated_on=dated,
            )
            roll = rng.random()
            if roll < 0.6:
                s.evidence_review(actor=secretariat, item=item, decision=ReviewStatus.ACCEPTED)
            elif roll < 0.75:
                s.evidence_review(
                    actor=secretariat,
                    item=item,
                    decision=ReviewStatus.REVISION,
                    comment="Tanda tangan dan nomor belum terlihat.",
                )
            items += 1
        s.self_assessment_set(
            actor=secretariat,
            indicator=ind,
            points=(Decimal(ind.points) * Decimal(str(min(0.95, strength + 0.05)))).quantize(Decimal("0.01")),
        )
    for ind in Indicator.objects.filter(year=last):
        SelfAssessment.objects.get_or_create(
            tenant=tenant,
            indicator=ind,
            defaults={
                "points": (Decimal(ind.points) * Decimal(str(rng.uniform(0.55, 0.75)))).quantize(Decimal("0.01"))
            },
        )
    s.deadline_set(actor=secretariat, year=ey, kind=DeadlineKind.COLLECTION, due_on=dt.date(year, 1, 31))
    s.deadline_set(actor=secretariat, year=ey, kind=DeadlineKind.SELF_ASSESSMENT, due_on=dt.date(year, 2, 28))
    s.deadline_set(actor=secretariat, year=ey, kind=DeadlineKind.SUBMISSION, due_on=dt.date(year, 3, 31))
    return items


def _link_paser_minutes(tenant, secretariat, year: int) -> bool:
    from sinergi.documents.selectors import documents_for_owner
    from sinergi.taskforces.models import Meeting
    from sinergi.taskforces.services.letters import minutes_pdf
    from sinergi.taskforces.services.meetings import meeting_document_add

    meeting = Meeting.objects.filter(tenant=tenant, source__startswith="seeds/001").first()
    if meeting is None:
        return False
    doc = documents_for_owner(owner=meeting).filter(kind="minutes_scan").first()
    if doc is None:
        data = minutes_pdf(meeting=meeting)
        doc = meeting_document_add(
            actor=secretariat,
            owner=meeting,
            kind="minutes_scan",
            uploaded_file=SimpleUploadedFile("notulen-rapat.pdf", data),
            title="Notulen rapat Gugus Tugas KLA",
        )
    indicator = Indicator.objects.get(year__year=year, code="6")
    s.evidence_add(
        actor=secretariat,
        indicator=indicator,
        evidence_type=EvidenceType.UANG,
        title="Notulen rapat koordinasi Gugus Tugas KLA",
        link_document=doc,
        dated_on=clock.tenant_today(tenant) if not meeting.starts_at else meeting.starts_at.date(),
    )
    return True


def seed_kla(run: plugins.DemoRun) -> list[str]:
    lines = []
    users = run.data.get("users", {})
    agencies = run.data.get("agencies", {})
    for code, tenant in sorted(run.data.get("tenants", {}).items()):
        secretariat = next(
            (u for u in users.values() if u.tenant_id == tenant.pk and u.role == "taskforce_secretariat"), None
        )
        if secretariat is None or not agencies.get(code):
            continue
        year = clock.tenant_today(tenant).year
        if Assignment.objects.filter(tenant=tenant, indicator__year__year=year).exists():
            continue
        items = _seed_tenant(tenant, secretariat, agencies[code], year)
        linked = _link_paser_minutes(tenant, secretariat, year) if code == "64.01" else False
        lines.append(f"KLA {year} {tenant.name}: {items} evidence items{' + seed meeting minutes' if linked else ''}.")
    return lines
