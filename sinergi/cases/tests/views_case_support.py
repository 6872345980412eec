"""Shared data, helpers and the case fixture of the case-page tests; no tests here.

Data is built through the services; users come from the conftest personas. Assertions are about what
a user or an attacker would see in the HTML.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Person

__all__ = ["case"]

VICTIM_NAME = "Melati Kusumawardani"

VICTIM_NIK = "6402015501140003"

VICTIM_BIRTH = dt.date(2014, 1, 15)

VICTIM_SCHOOL = "SD Negeri 7 Tenggarong"

PERPETRATOR_NAME = "Bambang Hartono Wijaya"

CHRONOLOGY = "Kronologi sangat rahasia tentang kejadian di rumah"

HTMX = {"HTTP_HX_REQUEST": "true"}


def intake(actor, tenant, *, category=t.Category.VIOLENCE_CHILD, forms=("physical",), nik=VICTIM_NIK, **kwargs):
    district = tenant.regency.districts.order_by("code").first()
    data = services.IntakeInput(
        channel=t.Channel.WALK_IN,
        reported_on=kwargs.pop("reported_on", timezone.localdate()),
        category=category,
        forms=list(forms),
        chronology=CHRONOLOGY,
        district_code=kwargs.pop("district_code", district.code),
        people=[
            services.PersonInput(
                full_name=VICTIM_NAME,
                nik=nik,
                birth_date=VICTIM_BIRTH,
                school_name=VICTIM_SCHOOL,
                sex=t.Sex.FEMALE,
            ),
            services.PersonInput(
                role=Person.Role.PERPETRATOR, full_name=PERPETRATOR_NAME, relation_to_victim=t.Relation.NEIGHBOUR
            ),
        ],
        **kwargs,
    )
    return services.case_intake(actor=actor, tenant=tenant, data=data)


def detail_url(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def case(manager, tenant):
    return intake(manager, tenant)
