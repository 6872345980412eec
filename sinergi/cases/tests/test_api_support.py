"""Shared data, helpers and fixtures of the case API tests (no tests here).

Personas (manager, head, the agencies and their officers) come from the root conftest. The other
fixtures are exported through `__all__` so that test modules can `import *` them without importing
each other's tests.
"""

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

__all__ = [
    "case",
    "dinkes",
    "mc",
    "referred",
    "unreferred_officer",
]

API = "/api/v1/cases/"

VICTIM_NAME = "Melati Kusumawardani"
VICTIM_NIK = "6402015501140003"
VICTIM_BIRTH = "2014-01-15"
VICTIM_ADDRESS = "Jalan Cendana Nomor 12 Tenggarong"
VICTIM_PHONE = "081234567001"
VICTIM_SCHOOL = "SD Negeri 7 Tenggarong"
GUARDIAN_NAME = "Sri Wahyuningsih"
PERPETRATOR_NAME = "Bambang Hartono Wijaya"
PERPETRATOR_NIK = "6402010101800007"
REPORTER_NAME = "Yohanes Pratama Siregar"
CHRONOLOGY = "Kronologi sangat rahasia tentang kejadian di rumah"

# What the continued-schooling agency must never receive (fieldsets.SERVICE_FIELDSETS["schooling"]).
SCHOOLING_FORBIDDEN_KEYS = {
    "chronology",
    "nik",
    "address",
    "phone",
    "forms",
    "category",
    "channel",
    "channel_detail",
    "incident_on",
    "incident_place",
    "triage",
    "risk_level",
    "relation_to_victim",
    "perpetrator_status",
    "has_disability",
    "disabilities",
    "assigned_to",
    "closure_reason",
}
SCHOOLING_FORBIDDEN_VALUES = (
    CHRONOLOGY,
    VICTIM_NIK,
    VICTIM_ADDRESS,
    VICTIM_PHONE,
    PERPETRATOR_NAME,
    PERPETRATOR_NIK,
    REPORTER_NAME,
    VICTIM_NAME,  # masked unless revealed
    GUARDIAN_NAME,
)


# ---- helpers ---------------------------------------------------------------------------------


def post(client: Client, path: str, data: Any = None):
    return client.post(path, data if data is not None else {}, content_type="application/json")


def token_client(user) -> Client:
    key = ApiToken.generate_key()
    ApiToken.objects.create(user=user, name="integration", prefix=key[:12], token_hash=ApiToken.hash_key(key))
    return Client(headers={"Authorization": f"Token {key}"})


def walk(obj: Any) -> Iterator[tuple[str, Any]]:
    """Every key and every scalar value of a JSON document, recursively."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield "key", key
            yield from walk(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from walk(value)
    else:
        yield "value", obj


def keys_of(obj: Any) -> set[str]:
    return {v for kind, v in walk(obj) if kind == "key"}


def text_of(obj: Any) -> str:
    return " ".join(str(v) for kind, v in walk(obj) if kind == "value")


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "details"} <= set(body["error"])
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def intake_payload(tenant, **overrides: Any) -> dict:
    district = tenant.regency.districts.order_by("code").first()
    payload = {
        "channel": "walk_in",
        "reported_on": timezone.localdate().isoformat(),
        "category": "violence_child",
        "forms": ["physical", "psychological"],
        "incident_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "incident_place": "household",
        "district": district.code,
        "chronology": CHRONOLOGY,
        "triage": {"perpetrator_at_home": True},
        "victims": [
            {
                "full_name": VICTIM_NAME,
                "nik": VICTIM_NIK,
                "birth_date": VICTIM_BIRTH,
                "address": VICTIM_ADDRESS,
                "phone": VICTIM_PHONE,
                "school_name": VICTIM_SCHOOL,
                "guardian_name": GUARDIAN_NAME,
                "sex": "F",
                "education": "sd",
                "district": district.code,
            }
        ],
        "perpetrators": [
            {
                "full_name": PERPETRATOR_NAME,
                "nik": PERPETRATOR_NIK,
                "sex": "M",
                "age": 41,
                "relation_to_victim": "neighbour",
            }
        ],
        "reporters": [{"full_name": REPORTER_NAME, "phone": "081299998888"}],
    }
    payload.update(overrides)
    return payload


def create_case(client: Client, tenant, **overrides: Any) -> dict:
    response = post(client, API, intake_payload(tenant, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def victim_id(case_json: dict) -> str:
    return case_json["victims"][0]["id"]


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def dinkes(tenant):
    return AgencyFactory(tenant=tenant, kind=Agency.Kind.DINKES, short_name="Dinkes")


@pytest.fixture
def unreferred_officer(make_user, dinkes):
    """An officer of an agency the case was never referred to."""
    return make_user(Role.SERVICE_PROVIDER, agency=dinkes)


@pytest.fixture
def mc(client_for, manager):
    return client_for(manager)


@pytest.fixture
def case(mc, tenant) -> dict:
    return create_case(mc, tenant)


@pytest.fixture
def referred(mc, case, dinsos, disdik) -> dict:
    """The case referred to Dinsos (social rehabilitation) and Disdik (continued schooling)."""
    vid = victim_id(case)
    out = {}
    for agency, service in ((dinsos, "social_rehab"), (disdik, "schooling")):
        response = post(
            mc,
            f"{API}{case['id']}/referrals/",
            {
                "agency": str(agency.pk),
                "service_type": service,
                "victim": vid,
                "note": "Mohon ditindaklanjuti",
                "consent_given_by": "guardian",
                "consent_method": "written",
            },
        )
        assert response.status_code == 201, response.content
        out[service] = response.json()
    return out
