"""Personas of the KLA workspace, defined once: the task-force world (secretariat, office head, agencies,
a meeting with minutes) plus an OPD evidence officer of Dinsos and of Disdik, and the secretariat of
another regency; the 2026 instrument loaded."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.documents.tests.factories import MINIMAL_PDF
from sinergi.kla.models import Indicator
from sinergi.kla.services import workspace
from sinergi.kla.services.instrument import year_load
from sinergi.taskforces import services as tf
from sinergi.taskforces.tests.conftest import world  # noqa: F401  (the shared task-force personas)

YEAR = 2026


def pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@dataclass
class Kla:
    w: object
    year: object
    secretariat: object
    head: object
    dinsos_officer: object
    disdik_officer: object
    other_secretariat: object
    ind1: Indicator
    ind4: Indicator
    minutes: object


@pytest.fixture
def kla(world) -> Kla:  # noqa: F811
    year = year_load(year=YEAR)
    dinsos_officer = UserFactory(
        role=Role.OPD_EVIDENCE_OFFICER, tenant=world.tenant, agency=world.dinsos, full_name="Rina Dinsos"
    )
    disdik_officer = UserFactory(
        role=Role.OPD_EVIDENCE_OFFICER, tenant=world.tenant, agency=world.disdik, full_name="Budi Disdik"
    )
    minutes = tf.meeting_document_add(
        actor=world.secretariat,
        owner=world.meeting,
        kind="minutes_scan",
        uploaded_file=pdf("notulen.pdf"),
        title="Notulen Rakor",
    )
    ind1 = Indicator.objects.get(year=year, code="1")
    ind4 = Indicator.objects.get(year=year, code="4")
    workspace.assignments_set(actor=world.secretariat, indicators=[ind1], agencies=[world.dinsos], contact_name="Rina")
    workspace.assignments_set(actor=world.secretariat, indicators=[ind4], agencies=[world.disdik])
    return Kla(
        w=world,
        year=year,
        secretariat=world.secretariat,
        head=world.head,
        dinsos_officer=dinsos_officer,
        disdik_officer=disdik_officer,
        other_secretariat=world.other_secretariat,
        ind1=ind1,
        ind4=ind4,
        minutes=minutes,
    )


@pytest.fixture
def item(kla):
    """A regulation uploaded by the Dinsos officer for the first indicator (test files may define their own)."""
    return workspace.evidence_add(
        actor=kla.dinsos_officer,
        indicator=kla.ind1,
        evidence_type="regulation",
        title="Perda KLA",
        uploaded_file=pdf(),
        number="5/2024",
    )
