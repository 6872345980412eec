"""Personas of the task forces, defined once: the secretariat, the office head, an analyst, staff of the
owner agency (Dinsos), of a supporting agency (Disdik) and of an uninvolved agency (Satpol PP), and the
secretariat of another regency."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.taskforces import services
from sinergi.taskforces.models import BodyKind, MeetingType
from sinergi.tenants.models import Agency, Signatory
from sinergi.tenants.tests.factories import AgencyFactory

WITA = ZoneInfo("Asia/Makassar")


@dataclass
class World:
    tenant: object
    other_tenant: object
    secretariat: object
    head: object
    analyst: object
    owner_staff: object
    supporter_staff: object
    outsider_staff: object
    other_secretariat: object
    dinsos: object
    disdik: object
    satpol: object
    body: object
    meeting: object
    agreement: object
    members: dict


@pytest.fixture
def world(tenant, other_tenant) -> World:
    tenant.timezone = "Asia/Makassar"
    tenant.letter_city = "Tenggarong"
    tenant.letterhead_parent = "Pemerintah Kabupaten Kutai Kartanegara"
    tenant.save()
    Signatory.objects.create(
        tenant=tenant,
        name="Drs. Contoh Penandatangan",
        position="Kepala Dinas",
        nip="197001011990031001",
        is_default=True,
    )
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial", short_name="Dinsos")
    disdik = AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, name="Dinas Pendidikan", short_name="Disdik")
    satpol = AgencyFactory(tenant=tenant, kind=Agency.Kind.SATPOL_PP, name="Satpol PP", short_name="Satpol")
    office = AgencyFactory(tenant=tenant, kind=Agency.Kind.OFFICE, name="DPPPA", short_name="DPPPA")
    secretariat = UserFactory(
        role=Role.TASKFORCE_SECRETARIAT, tenant=tenant, agency=office, full_name="Rudi Sekretariat"
    )
    head = UserFactory(role=Role.OFFICE_HEAD, tenant=tenant, agency=office, full_name="Ibu Kepala")
    analyst = UserFactory(role=Role.ANALYST, tenant=tenant, full_name="Dewi Analis")
    owner_staff = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=dinsos, full_name="Yuli Dinsos")
    supporter_staff = UserFactory(
        role=Role.OPD_EVIDENCE_OFFICER, tenant=tenant, agency=disdik, full_name="Hendra Disdik"
    )
    outsider_staff = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=satpol, full_name="Joko Satpol")
    other_secretariat = UserFactory(role=Role.TASKFORCE_SECRETARIAT, tenant=other_tenant, full_name="Sari Paser")
    body = services.body_create(
        actor=secretariat,
        tenant=tenant,
        kind=BodyKind.GUGUS_TUGAS_KLA,
        name="Gugus Tugas KLA Uji",
        decree_number="188.45/123/HK/2022",
    )
    members = {
        "dinsos": services.member_add(
            actor=secretariat, body=body, agency=dinsos, contact_name="Yuli", contact_email="dinsos@example.test"
        ),
        "disdik": services.member_add(actor=secretariat, body=body, agency=disdik, contact_email="disdik@example.test"),
        "media": services.member_add(
            actor=secretariat,
            body=body,
            organisation="Radio Contoh FM",
            partner_kind="media",
            contact_email="radio@example.test",
        ),
    }
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        type=MeetingType.RAKOR,
        title="Rakor Perlindungan Anak",
        starts_at=dt.datetime(2023, 1, 4, 9, 0, tzinfo=WITA),
        ends_at=dt.datetime(2023, 1, 4, 12, 0, tzinfo=WITA),
        venue="Ruang Rapat DPPPA",
        agenda=["Pembukaan", "Publikasi anak"],
        invited=[members["dinsos"], members["media"]],
    )
    agreement = services.agreement_create(
        actor=secretariat,
        meeting=meeting,
        text="Menyusun norma pemberitaan anak",
        owner=dinsos,
        supporters=[disdik],
        due_on=dt.date(2023, 3, 31),
    )
    return World(
        tenant=tenant,
        other_tenant=other_tenant,
        secretariat=secretariat,
        head=head,
        analyst=analyst,
        owner_staff=owner_staff,
        supporter_staff=supporter_staff,
        outsider_staff=outsider_staff,
        other_secretariat=other_secretariat,
        dinsos=dinsos,
        disdik=disdik,
        satpol=satpol,
        body=body,
        meeting=meeting,
        agreement=agreement,
        members=members,
    )
