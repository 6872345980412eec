"""SIMFONI-PPA alignment: a victim's classification follows the victim, and intake warns when the
category contradicts the victims' ages."""

import pytest
from django.urls import reverse

from sinergi.cases import exports
from sinergi.cases import taxonomy as t
from sinergi.cases.statistics import period_for
from sinergi.core import clock

from .factories import PerpetratorInputFactory, PersonInputFactory, make_case
from .test_api_support import intake_payload
from .test_views_case_list import intake_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "age", "sex", "expected"),
    [
        ("violence_woman", 15, "F", "violence_child"),
        ("violence_woman", 17, "F", "violence_child"),
        ("violence_woman", 18, "F", "violence_woman"),
        ("violence_child", 30, "F", "violence_woman"),
        ("violence_woman", 40, "M", "other"),
        ("violence_woman", None, "F", "violence_woman"),  # unknown age: the case's category stands
        ("sexual", 12, "F", "sexual"),  # offence categories do not name the victim group
    ],
)
def test_the_category_follows_the_victim(category, age, sex, expected):
    assert t.victim_category(category, age=age, sex=sex) == expected


def test_a_child_is_never_exported_under_violence_against_women(head, tenant):
    case = make_case(
        head,
        tenant,
        category=t.Category.VIOLENCE_WOMAN,
        people=[
            PersonInputFactory(birth_date=None, age=16, sex="F"),
            PersonInputFactory(birth_date=None, age=34, sex="F"),
            PerpetratorInputFactory(),
        ],
    )
    today = clock.tenant_today(tenant)
    export = exports.simfoni_export(
        actor=head, tenant=tenant, period=period_for(year=today.year, month=today.month), fmt="csv"
    )
    rows = [dict(zip(exports.SIMFONI_HEADER, row, strict=True)) for row in list(export.rows)[1:]]
    mine = sorted(
        (r["Usia Korban"], r["Kategori Kasus"], r["Klasifikasi Korban"])
        for r in rows
        if r["No. Registrasi Kasus"] == case.number
    )
    assert mine == [(16, "Kekerasan terhadap Anak", "Anak"), (34, "Kekerasan terhadap Perempuan", "Dewasa")]


def test_intake_warns_when_the_category_contradicts_the_victims_age(cm, tenant, client_for):
    client = client_for(cm)
    response = client.post(reverse("cases:create"), intake_post(tenant, category="violence_woman"), follow=True)
    assert response.status_code == 200
    assert str(t.ERR_WOMAN_CATEGORY_CHILD) in response.content.decode()
    # A consistent report gets no warning.
    fine = client.post(reverse("cases:create"), intake_post(tenant), follow=True)
    assert str(t.ERR_WOMAN_CATEGORY_CHILD) not in fine.content.decode()


def test_the_api_returns_the_same_warning(cm, tenant, client_for):
    client = client_for(cm)
    response = client.post(
        "/api/v1/cases/", intake_payload(tenant, category="violence_woman"), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == [str(t.ERR_WOMAN_CATEGORY_CHILD)]
    fine = client.post("/api/v1/cases/", intake_payload(tenant), content_type="application/json")
    assert fine.json()["warnings"] == []


def test_a_child_category_with_only_adult_victims_warns():
    assert t.category_age_conflicts("child_marriage", [(25, "F")]) == [str(t.ERR_CHILD_CATEGORY_ADULT)]
    assert t.category_age_conflicts("child_marriage", [(25, "F"), (15, "F")]) == []
    assert t.category_age_conflicts("violence_woman", [(30, "M")]) == [str(t.ERR_WOMAN_CATEGORY_MAN)]
