"""Edit and retire regulation-library items, deadlines and RAD KLA activities, in the pages and the API:
audited, kept in history (the row stays), the same permission as adding them, 404 outside."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.kla.events import Event
from sinergi.kla.models import Deadline, DeadlineNotice, EvidenceType, RadActivity, Regulation
from sinergi.kla.services import workspace as s
from sinergi.kla.services.reminders import deadline_notices_send

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(kla):
    return s.regulation_save(
        actor=kla.secretariat,
        kind="perda",
        title="Perda Kabupaten Layak Anak",
        number="3/2024",
        issued_on=dt.date(2024, 2, 1),
        issuer="Bupati",
    )


@pytest.fixture
def activity(kla):
    return s.activity_save(
        actor=kla.secretariat,
        indicator=kla.ind1,
        agency=kla.w.dinsos,
        title="Sosialisasi KLA",
        activity_year=YEAR,
        budget=5_000_000,
    )


def _events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_regulation_is_edited_in_the_page_and_the_change_is_audited(kla, reg, client_for):
    sec = client_for(kla.secretariat)
    url = reverse("kla:regulation_edit", args=[reg.pk])
    form = sec.get(url)
    assert form.status_code == 200
    assert 'value="3/2024"' in form.content.decode()
    data = {"kind": "perda", "title": reg.title, "number": "4/2024", "issued_on": "2024-02-01", "issuer": "Bupati"}
    assert sec.post(url, data | {"number": ""}).status_code == 400
    assert sec.post(url, data).status_code == 302
    reg.refresh_from_db()
    assert reg.number == "4/2024"
    assert _events(Event.REGULATION_SAVED)[-1].extra["changed"] == ["number"]
    # An OPD officer sees the library but may not change it; another regency does not see it at all.
    assert client_for(kla.dinsos_officer).post(url, data).status_code == 403
    assert client_for(kla.other_secretariat).get(url).status_code == 404


def test_a_retired_regulation_leaves_the_library_and_new_links_but_stays_on_old_evidence(kla, reg, client_for):
    item = s.evidence_add(
        actor=kla.dinsos_officer, indicator=kla.ind1, evidence_type=EvidenceType.REGULATION, title="", regulation=reg
    )
    assert client_for(kla.dinsos_officer).post(reverse("kla:regulation_retire", args=[reg.pk])).status_code == 403
    assert client_for(kla.other_secretariat).post(reverse("kla:regulation_retire", args=[reg.pk])).status_code == 404
    sec = client_for(kla.secretariat)
    assert sec.post(reverse("kla:regulation_retire", args=[reg.pk])).status_code == 302
    assert "3/2024" not in sec.get(reverse("kla:regulations")).content.decode()
    assert (
        str(reg.pk)
        not in sec.get(reverse("kla:indicator", args=[kla.ind1.pk]))
        .content.decode()
        .split('id="kla-evidence-form"', 1)[1]
    )
    reg.refresh_from_db()
    assert reg.retired_at is not None  # kept, not deleted
    item.refresh_from_db()
    assert item.regulation_id == reg.pk
    assert _events(Event.REGULATION_RETIRED)[-1].extra["number"] == "3/2024"
    # Gone for the API too: no detail, no new link, no second retirement.
    api = reverse("kla_api:regulation_detail", args=[reg.pk])
    assert sec.get(api).status_code == 404
    assert sec.delete(api).status_code == 404
    link = sec.post(
        reverse("kla_api:evidence"),
        {"indicator_id": str(kla.ind1.pk), "evidence_type": "regulation", "regulation_id": str(reg.pk)},
        content_type="application/json",
    )
    assert link.status_code == 404


def test_a_regulation_is_edited_and_retired_over_the_api(kla, reg, client_for):
    sec = client_for(kla.secretariat)
    url = reverse("kla_api:regulation_detail", args=[reg.pk])
    body = {"kind": "perbup", "title": "Perbup KLA", "number": "9/2024", "issued_on": "2024-03-01", "issuer": "Bupati"}
    assert client_for(kla.dinsos_officer).put(url, body, content_type="application/json").status_code == 403
    assert client_for(kla.other_secretariat).put(url, body, content_type="application/json").status_code == 404
    assert sec.put(url, body | {"issued_on": "kemarin"}, content_type="application/json").status_code == 400
    done = sec.put(url, body, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["number"] == "9/2024"
    assert client_for(kla.dinsos_officer).delete(url).status_code == 403
    assert sec.delete(url).status_code == 204
    assert Regulation.objects.filter(pk=reg.pk, retired_at__isnull=False).exists()
    assert all(r["id"] != str(reg.pk) for r in sec.get(reverse("kla_api:regulations")).json())


def test_a_retired_deadline_is_no_longer_reminded_and_setting_it_again_revives_it(kla, client_for):
    today = dt.date.today()
    deadline = s.deadline_set(actor=kla.secretariat, year=kla.year, kind="collection", due_on=today)
    sec = client_for(kla.secretariat)
    listed = sec.get(reverse("kla_api:deadlines", args=[YEAR])).json()
    assert [d["id"] for d in listed] == [str(deadline.pk)]
    url = reverse("kla_api:deadline_detail", args=[deadline.pk])
    assert client_for(kla.dinsos_officer).delete(url).status_code == 403
    assert client_for(kla.other_secretariat).delete(url).status_code == 404
    assert sec.delete(url).status_code == 204
    assert sec.get(reverse("kla_api:deadlines", args=[YEAR])).json() == []
    assert deadline_notices_send() == {"reminder": 0, "escalation": 0}
    assert not DeadlineNotice.objects.exists()
    assert _events(Event.DEADLINE_RETIRED)[-1].extra["kind"] == "collection"
    assert Deadline.objects.filter(pk=deadline.pk).exists()
    # The page's form sets it again: the same row, live again.
    page = sec.post(reverse("kla:deadline_set"), {"year": YEAR, "kind": "collection", "due_on": today.isoformat()})
    assert page.status_code == 302
    deadline.refresh_from_db()
    assert deadline.retired_at is None
    home = sec.get(reverse("kla:home"), {"year": YEAR}).content.decode()
    assert reverse("kla:deadline_retire", args=[deadline.pk]) in home
    assert sec.post(reverse("kla:deadline_retire", args=[deadline.pk])).status_code == 302
    assert reverse("kla:deadline_retire", args=[deadline.pk]) not in sec.get(reverse("kla:home")).content.decode()


def test_an_activity_is_edited_and_retired_in_the_page(kla, activity, client_for):
    sec = client_for(kla.secretariat)
    url = reverse("kla:activity_edit", args=[activity.pk])
    assert 'value="Sosialisasi KLA"' in sec.get(url).content.decode()
    data = {"title": "Sosialisasi KLA di sekolah", "agency": kla.w.dinsos.pk, "activity_year": YEAR, "status": "done"}
    assert sec.post(url, data | {"activity_year": 1900}).status_code == 400
    assert sec.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status, activity.budget) == ("Sosialisasi KLA di sekolah", "done", 0)
    assert set(_events(Event.ACTIVITY_SAVED)[-1].extra["changed"]) == {"title", "status", "budget"}
    assert client_for(kla.disdik_officer).get(url).status_code == 404  # another OPD's activity
    assert client_for(kla.dinsos_officer).post(url, data).status_code == 403
    retire = reverse("kla:activity_retire", args=[activity.pk])
    assert client_for(kla.other_secretariat).post(retire).status_code == 404
    assert sec.post(retire).status_code == 302
    assert "Sosialisasi KLA di sekolah" not in sec.get(reverse("kla:indicator", args=[kla.ind1.pk])).content.decode()
    assert RadActivity.objects.filter(pk=activity.pk, retired_at__isnull=False).exists()
    assert sec.get(url).status_code == 404


def test_an_activity_is_edited_and_retired_over_the_api(kla, activity, client_for):
    sec = client_for(kla.secretariat)
    url = reverse("kla_api:activity_detail", args=[activity.pk])
    body = {
        "indicator_id": str(kla.ind1.pk),
        "agency_id": str(kla.w.dinsos.pk),
        "title": "Pelatihan konvensi hak anak",
        "activity_year": YEAR,
        "budget": 7_500_000,
        "status": "ongoing",
    }
    assert sec.get(url).json()["budget"] == 5_000_000
    assert client_for(kla.other_secretariat).put(url, body, content_type="application/json").status_code == 404
    assert sec.put(url, body | {"budget": -1}, content_type="application/json").status_code == 400
    done = sec.put(url, body, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["budget"] == 7_500_000
    assert sec.delete(url).status_code == 204
    assert sec.get(reverse("kla_api:activities", args=[YEAR])).json() == []
    assert _events(Event.ACTIVITY_RETIRED)[-1].extra["title"] == "Pelatihan konvensi hak anak"


def test_the_retire_services_refuse_another_regencys_rows_even_when_handed_them(kla, reg, activity):
    from django.core.exceptions import PermissionDenied

    from sinergi.kla.services import retire

    with pytest.raises(PermissionDenied):
        retire.regulation_retire(actor=kla.other_secretariat, regulation=reg)
    with pytest.raises(PermissionDenied):
        retire.activity_retire(actor=kla.other_secretariat, activity=activity)
    assert Regulation.objects.get(pk=reg.pk).retired_at is None
    assert RadActivity.objects.get(pk=activity.pk).retired_at is None
