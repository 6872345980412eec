"""Fixtures shared by the case-handling tests (the personas are in the root conftest.py)."""

import pytest

from sinergi.cases import services as s
from sinergi.cases import taxonomy as t

from .factories import make_case


@pytest.fixture
def planned(cm, tenant):
    """A case in the intervention-plan stage (where the case plan is written)."""
    case = make_case(cm, tenant)
    for stage in (t.Stage.OUTREACH, t.Stage.ASSESSMENT, t.Stage.PLANNING):
        s.case_change_stage(actor=cm, case=case, to_stage=stage, note="Langkah berikutnya")
    case.refresh_from_db()
    return case
