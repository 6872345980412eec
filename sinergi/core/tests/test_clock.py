"""The tenant's clock: a case registered in Kutai Kartanegara at 09.00 WITA reads 09.00 WITA everywhere."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Referral
from sinergi.cases.tests.factories import make_agency, make_case, make_referral
from sinergi.core import clock
from sinergi.tenants.models import Agency

pytestmark = pytest.mark.django_db

# 4 January 2023, 09.00 WITA (UTC+8) = 01.00 UTC = 08.00 WIB.
NINE_WITA = dt.datetime(2023, 1, 4, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def kukar(tenant):
    tenant.timezone = "Asia/Makassar"
    tenant.save(update_fields=["timezone"])
    return tenant


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_zone_abbreviations_and_indonesian_formats():
    with translation.override("id"), timezone.override(clock.zone("Asia/Makassar")):
        assert clock.format_when(NINE_WITA) == "4 Januari 2023, 09.00 WITA"
        assert clock.format_long_date(NINE_WITA) == "Rabu, 4 Januari 2023"
    with translation.override("id"), timezone.override(clock.zone("Asia/Jayapura")):
        assert clock.format_when(NINE_WITA, with_date=False) == "10.00 WIT"
    with translation.override("id"), timezone.override(clock.zone("Asia/Jakarta")):
        assert clock.format_when(NINE_WITA) == "4 Januari 2023, 08.00 WIB"
    assert clock.zone("Europe/Berlin").key == "Asia/Jakarta"  # only Indonesian zones are accepted


def test_a_case_registered_at_nine_wita_shows_nine_wita_in_page_pdf_and_export(kukar, make_user, client_for):
    manager = make_user(Role.CASE_MANAGER)
    head = make_user(Role.OFFICE_HEAD)
    with freeze_time(NINE_WITA):
        case = make_case(manager, kukar)
        client = client_for(manager)
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        pdf = _pdf_text(client.get(reverse("cases:summary_pdf", args=[case.pk])).content)
        export = client_for(head).get(reverse("audit:export"), {"object_id": str(case.pk)})
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    # A child victim: first response due in 24 hours, at 09.00 WITA the next day.
    assert case.first_response_due_at == NINE_WITA + dt.timedelta(hours=24)
    assert "5 Januari 2023, 09.00 WITA" in page  # the deadline
    assert "4 Januari 2023, 09.00 WITA" in page  # the timeline
    assert "08.00" not in page
    assert "09.00 WITA" in pdf
    assert any("2023-01-04T09:00:00+08:00" in cell for row in rows for cell in row)


def test_the_report_date_is_the_tenants_today(kukar, make_user):
    """23.30 WIB on 4 January is already 00.30 WITA on 5 January in Kutai Kartanegara."""
    manager = make_user(Role.CASE_MANAGER)
    late = dt.datetime(2023, 1, 4, 16, 30, tzinfo=dt.UTC)
    with freeze_time(late):
        assert clock.tenant_today(kukar) == dt.date(2023, 1, 5)
        case = make_case(manager, kukar, reported_on=dt.date(2023, 1, 5), incident_on=None)
    assert case.reported_on == dt.date(2023, 1, 5)


def test_referral_escalation_waits_for_the_tenants_midnight(tenant, other_tenant, make_user):
    """Due 4 January: overdue in a WIT regency at 00.30 WIT on the 5th, not yet in a WIB one (22.30)."""
    other_tenant.timezone = "Asia/Jayapura"
    other_tenant.save(update_fields=["timezone"])
    due = dt.date(2023, 1, 4)
    referrals = {}
    for place in (tenant, other_tenant):
        manager = make_user(Role.CASE_MANAGER, tenant=place)
        make_user(Role.OFFICE_HEAD, tenant=place)
        with freeze_time(dt.datetime(2023, 1, 2, 3, 0, tzinfo=dt.UTC)):
            case = make_case(manager, place)
            agency = make_agency(place, Agency.Kind.DINSOS)
            referrals[place.code] = make_referral(manager, case, agency, t.ServiceType.SOCIAL_REHAB, due_on=due)
    half_past_midnight_wit = dt.datetime(2023, 1, 4, 15, 30, tzinfo=dt.UTC)
    counts = services.escalate_overdue(now=half_past_midnight_wit)
    assert counts["referral"] == 1
    assert Referral.objects.get(pk=referrals[other_tenant.code].pk).escalated_at is not None
    assert Referral.objects.get(pk=referrals[tenant.code].pk).escalated_at is None
    # At 00.30 WIB it is the tenant's turn, and the WIT referral is not escalated twice.
    counts = services.escalate_overdue(now=dt.datetime(2023, 1, 4, 17, 30, tzinfo=dt.UTC))
    assert counts["referral"] == 1
    assert Referral.objects.filter(escalated_at__isnull=False).count() == 2
    assert Case.objects.count() == 2
