"""Shared data and fixtures of the reports tests (statistics, SIMFONI-PPA export, summary PDF); no tests here."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_referral
from sinergi.tenants.models import Agency

from .factories import PerpetratorInputFactory, PersonInputFactory, ReporterInputFactory, make_agency, make_case

__all__ = ["world"]

MARCH = dt.datetime(2025, 3, 14, 3, 0, tzinfo=dt.UTC)

FEBRUARY = dt.datetime(2025, 2, 10, 3, 0, tzinfo=dt.UTC)

STATS_URL = reverse("cases:statistics")

EXPORT_URL = reverse("cases:export_simfoni")

VICTIM_A = {
    "full_name": "Anindya Puspitasari",
    "nik": "6402015103150002",
    "birth_date": dt.date(2014, 6, 1),
    "address": "Jalan Cempaka Putih 21",
    "phone": "081355550001",
    "school_name": "SD Negeri Cempaka",
    "guardian_name": "Wiryono Santoso",
    "guardian_phone": "081355550002",
    "sex": "F",
    "education": "sd",
    "disabilities": ["physical"],
}

CHRONOLOGY_A = "Korban dipukul ayahnya setelah pulang sekolah"

IDENTITY_STRINGS = [
    "Anindya",
    "Puspitasari",
    "6402015103150002",
    "2014-06-01",
    "Cempaka",
    "081355550001",
    "Wiryono",
    "081355550002",
    "Bramantyo",
    "Kusnadi",
    "Rosalinda",
    "Citra Ayu",
    "dipukul",
    "Pelapor Sejati",
]


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def world(make_user, tenant, other_tenant):
    """Four cases in March 2025 and one in February, referrals in every state, and another regency."""
    users = {
        "cm": make_user(Role.CASE_MANAGER),
        "head": make_user(Role.OFFICE_HEAD),
        "analyst": make_user(Role.ANALYST),
        "satgas": make_user(Role.SATGAS_VOLUNTEER),
        "other_cm": make_user(Role.CASE_MANAGER, tenant=other_tenant),
        "other_head": make_user(Role.OFFICE_HEAD, tenant=other_tenant),
        "other_analyst": make_user(Role.ANALYST, tenant=other_tenant),
    }
    agencies = {
        "dinsos": make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos"),
        "disdik": make_agency(tenant, Agency.Kind.DISDIK, short_name="Disdik"),
        "rsud": make_agency(tenant, Agency.Kind.HEALTH_FACILITY, short_name="RSUD"),
        "police": make_agency(tenant, Agency.Kind.POLICE_PPA, short_name="Unit PPA"),
        "shelter": make_agency(tenant, Agency.Kind.NGO, short_name="Rumah Aman"),
    }
    for key, agency in agencies.items():
        users[key] = make_user(Role.SERVICE_PROVIDER, agency=agency)
    users["shelter_idle"] = make_user(Role.SERVICE_PROVIDER, agency=agencies["shelter"])
    cm = users["cm"]
    with freeze_time(MARCH):
        a = make_case(
            cm,
            tenant,
            category=t.Category.VIOLENCE_CHILD,
            forms=["physical", "psychological"],
            incident_place=t.Place.HOUSEHOLD,
            district_code="64.02.01",
            village_code="64.02.01.1001",
            chronology=CHRONOLOGY_A,
            people=[
                PersonInputFactory(**VICTIM_A),
                PerpetratorInputFactory(full_name="Bramantyo Ayah", relation_to_victim="parent", age=40),
                PerpetratorInputFactory(full_name="Kusnadi Tetangga", relation_to_victim="neighbour", age=30),
                ReporterInputFactory(full_name="Pelapor Sejati"),
            ],
        )
        refs = {
            "dinsos": make_referral(actor=cm, case=a, agency=agencies["dinsos"], service_type="social_rehab"),
            "disdik": make_referral(actor=cm, case=a, agency=agencies["disdik"], service_type="schooling"),
            "rsud": make_referral(actor=cm, case=a, agency=agencies["rsud"], service_type="medical"),
            "police": make_referral(actor=cm, case=a, agency=agencies["police"], service_type="police"),
        }
        s.referral_respond(actor=users["dinsos"], referral=refs["dinsos"], accept=True)
        s.service_record(
            actor=users["dinsos"], referral=refs["dinsos"], delivered_on=MARCH.date(), sessions=2, outcome="completed"
        )
        s.referral_respond(actor=users["disdik"], referral=refs["disdik"], accept=True)
        s.referral_respond(actor=users["police"], referral=refs["police"], accept=False, reason="Sudah ditangani")
        b = make_case(
            cm,
            tenant,
            category=t.Category.SEXUAL,
            forms=["sexual"],
            incident_place=t.Place.SCHOOL,
            district_code="64.02.02",
            people=[
                PersonInputFactory(full_name="Rosalinda", age=15, birth_date=None, sex="F", education="sltp"),
                PersonInputFactory(full_name="Citra Ayu", age=4, birth_date=None, sex="M", education="paud"),
                PerpetratorInputFactory(relation_to_victim="teacher", age=35, sex="M"),
            ],
        )
        c = make_case(
            users["satgas"],
            tenant,
            category=t.Category.DOMESTIC,
            forms=["psychological"],
            incident_place="",
            district_code="",
            people=[PersonInputFactory(adult=True, age=30, birth_date=None, disabilities=[])],
        )
    with freeze_time(FEBRUARY):
        d = make_case(cm, tenant, category=t.Category.NEGLECT, forms=["neglect"], district_code="64.02.03")
    with freeze_time(MARCH):
        other = make_case(users["other_cm"], other_tenant, category=t.Category.TPPO, forms=["trafficking"])
    return {
        "users": users,
        "agencies": agencies,
        "cases": {"a": a, "b": b, "c": c, "d": d, "other": other},
        "refs": refs,
    }


def rows_by(table) -> dict[str, int]:
    return {row.key: row.count for row in table.rows}
