"""Evidence, review, scores and bands, through the services (real database, real storage)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.kla import scoring
from sinergi.kla.models import Band, EvidenceType, Indicator, ReviewStatus
from sinergi.kla.services import workspace as s
from sinergi.kla.services.instrument import year_load
from sinergi.notifications.models import Notification

from .conftest import pdf

pytestmark = pytest.mark.django_db


def stored_blobs() -> list[Path]:
    root = Path(settings.SINERGI_PRIVATE_STORAGE)
    return [p for p in root.rglob("*") if p.is_file()]


def test_the_year_holds_the_whole_tree_with_points_and_bands(kla):
    assert kla.year.indicators.count() == 24
    assert kla.year.clusters.count() == 6
    assert sum(i.points for i in kla.year.indicators.all()) == 1000
    assert next((b.name, b.min_points, b.max_points) for b in kla.year.bands.all()) == ("Pratama", 500, 600)
    assert not kla.ind1.is_points_verified
    assert all(b.is_verified for b in kla.year.bands.all())
    assert sum(si.points for si in kla.ind1.sub_items.all()) == kla.ind1.points
    # A second year is its own copy; reloading keeps the assignments attached.
    other = year_load(year=2025)
    assert other.indicators.count() == 24
    assert other.pk != kla.year.pk
    year_load(year=2026)
    assert kla.ind1.assignments.count() == 1


def test_linking_a_meeting_document_adds_no_file_to_private_storage(kla):
    before = stored_blobs()
    item = s.evidence_add(
        actor=kla.dinsos_officer,
        indicator=kla.ind1,
        evidence_type=EvidenceType.UANG,
        title="Notulen",
        link_document=kla.minutes,
    )
    assert stored_blobs() == before
    assert item.document.file_id == kla.minutes.file_id
    assert item.document.linked_from_id == kla.minutes.pk


def test_an_upload_is_type_checked_and_nothing_is_half_written(kla):
    bad = SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        s.evidence_add(
            actor=kla.dinsos_officer, indicator=kla.ind1, evidence_type="regulation", title="Perda", uploaded_file=bad
        )
    assert not kla.ind1.evidence.exists()


def test_an_officer_cannot_add_evidence_to_an_indicator_of_another_opd(kla):
    from django.http import Http404

    with pytest.raises(Http404):
        s.evidence_add(
            actor=kla.dinsos_officer, indicator=kla.ind4, evidence_type="data", title="Data", uploaded_file=pdf()
        )


def test_revision_notifies_the_opd_then_reupload_and_accept_move_the_scores(kla):
    sec, opd = kla.secretariat, kla.dinsos_officer
    s.self_assessment_set(actor=sec, indicator=kla.ind1, points=Decimal(60))
    item = s.evidence_add(
        actor=opd,
        indicator=kla.ind1,
        evidence_type="regulation",
        title="Perda KLA",
        uploaded_file=pdf(),
        number="5/2024",
        is_signed=True,
        dated_on=dt.date(2024, 3, 1),
    )
    first = scoring.year_score(tenant=kla.w.tenant, year=kla.year).indicators[0]
    assert first.completeness == 0
    assert first.predicted < 60
    s.evidence_review(actor=sec, item=item, decision=ReviewStatus.REVISION, comment="Lampiran kurang")
    assert Notification.objects.filter(recipient=opd, kind="kla_revision_requested").exists()
    with pytest.raises(ValidationError):
        s.evidence_review(actor=sec, item=item, decision=ReviewStatus.REVISION, comment="")
    s.evidence_replace(actor=opd, item=item, uploaded_file=pdf("perda-baru.pdf"))
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    s.evidence_review(actor=sec, item=item, decision=ReviewStatus.ACCEPTED)
    for t in ("budget", "implementation"):
        it = s.evidence_add(
            actor=opd, indicator=kla.ind1, evidence_type=t, title=t, uploaded_file=pdf(), dated_on=dt.date(2025, 5, 1)
        )
        s.evidence_review(actor=sec, item=it, decision=ReviewStatus.ACCEPTED)
    s.evidence_add(
        actor=opd,
        indicator=kla.ind1,
        evidence_type="uang",
        title="Notulen",
        link_document=kla.minutes,
        dated_on=dt.date(2025, 6, 1),
    )
    after = scoring.year_score(tenant=kla.w.tenant, year=kla.year).indicators[0]
    assert after.completeness == 100
    assert after.predicted == Decimal("60.00")
    assert [r.decision for r in item.reviews.all()] == ["accepted", "revision"]


def test_self_assessment_is_refused_above_the_indicator_points(kla):
    with pytest.raises(ValidationError):
        s.self_assessment_set(actor=kla.secretariat, indicator=kla.ind1, points=Decimal(61))


def test_changing_a_band_threshold_in_the_data_changes_the_projected_band(kla):
    for ind in Indicator.objects.filter(year=kla.year):
        s.self_assessment_set(actor=kla.secretariat, indicator=ind, points=Decimal(ind.points) * Decimal("0.70"))
    score = scoring.year_score(tenant=kla.w.tenant, year=kla.year)
    assert score.self_total == Decimal(700)
    assert score.self_band.name == "Madya"
    Band.objects.filter(year=kla.year, name="Madya").update(max_points=699)
    Band.objects.filter(year=kla.year, name="Nindya").update(min_points=700)
    assert scoring.year_score(tenant=kla.w.tenant, year=kla.year).self_band.name == "Nindya"


def test_a_regulation_of_the_library_is_reused_without_a_copy(kla):
    reg = s.regulation_save(
        actor=kla.secretariat,
        kind="perda",
        title="Perda KLA",
        number="5 Tahun 2020",
        issued_on=dt.date(2020, 2, 1),
        issuer="Bupati",
        uploaded_file=pdf(),
    )
    before = stored_blobs()
    a = s.evidence_add(
        actor=kla.dinsos_officer, indicator=kla.ind1, evidence_type="regulation", title="", regulation=reg
    )
    assert a.number == "5 Tahun 2020"
    assert a.is_signed
    assert a.document.file_id == reg.document.file_id
    assert stored_blobs() == before
    expired = s.regulation_save(
        actor=kla.secretariat,
        kind="sk",
        title="SK lama",
        number="1/2019",
        issued_on=dt.date(2019, 1, 1),
        issuer="Bupati",
        valid_until=dt.date(2020, 12, 31),
    )
    with pytest.raises(ValidationError):
        s.evidence_add(
            actor=kla.dinsos_officer, indicator=kla.ind1, evidence_type="decree", title="", regulation=expired
        )
