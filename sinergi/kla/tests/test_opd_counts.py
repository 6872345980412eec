"""Counts are information too: on an indicator shared by two OPDs, an OPD officer's scores count only its
own agency's evidence (the other OPD's items are a 404 to it, so their number and types are not shown)."""

import pytest
from django.urls import reverse

from sinergi.kla.services import workspace as s

from .conftest import YEAR, pdf

pytestmark = pytest.mark.django_db


def _ind1(scores: dict) -> dict:
    return next(i for c in scores["clusters"] for i in c["indicators"] if i["code"] == "1")


def test_an_opd_officers_scores_do_not_count_another_opds_items_on_a_shared_indicator(kla, client_for):
    s.assignments_set(actor=kla.secretariat, indicators=[kla.ind1], agencies=[kla.w.disdik])
    other = s.evidence_add(
        actor=kla.disdik_officer, indicator=kla.ind1, evidence_type="regulation", title="Perda", uploaded_file=pdf()
    )
    s.evidence_review(actor=kla.secretariat, item=other, decision="accepted")
    dinsos = client_for(kla.dinsos_officer)
    assert dinsos.get(reverse("kla_api:evidence")).json()["count"] == 0
    mine = _ind1(dinsos.get(reverse("kla_api:scores", args=[YEAR])).json())
    assert mine["completeness"] == 0
    assert "regulation" in mine["missing"]
    assert mine["agencies"] == [kla.w.dinsos.short_name]
    # The secretariat still sees the whole indicator.
    whole = _ind1(client_for(kla.secretariat).get(reverse("kla_api:scores", args=[YEAR])).json())
    assert whole["completeness"] > 0
    assert "regulation" not in whole["missing"]
