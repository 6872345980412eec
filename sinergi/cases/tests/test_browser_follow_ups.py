"""The case plan's follow-ups on a 360 px phone, in Debian chromium: the move and cancel forms open on
demand (htmx, into the follow-up's own slot), a move shows the new time, a cancel takes it off the plan."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import FollowUp
from sinergi.core.tests.browser import MOBILE, assert_fits, assert_no_csp_violations, log_in, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_follow_up_is_moved_then_cancelled_from_forms_opened_on_demand(open_page, live_server, cm, planned):
    from playwright.sync_api import expect

    visit = s.follow_up_schedule(
        actor=cm,
        case=planned,
        kind=t.FollowUpKind.HOME_VISIT,
        starts_at=timezone.now() + dt.timedelta(days=1),
        owner=cm,
    )
    page = open_page(MOBILE)
    log_in(page, live_server.url, cm, f"/cases/{planned.pk}/", with_totp(cm))
    slot = page.locator(f"#slot-follow-up-{visit.pk}")
    expect(slot.locator("form")).to_have_count(0)  # links until opened
    slot.locator("a.form-opener", has_text="Move").click()
    starts = slot.get_by_label("New date and time")
    expect(starts).to_be_visible()
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)
    assert_fits(page)
    new_time = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(hour=9, minute=30)
    starts.fill(new_time.strftime("%Y-%m-%dT%H:%M"))
    slot.get_by_role("button", name="Move").click()
    expect(page.get_by_text("Follow-up moved.")).to_be_visible()
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).strftime("%Y-%m-%d %H:%M") == new_time.strftime("%Y-%m-%d %H:%M")
    assert visit.sequence == 1

    slot = page.locator(f"#slot-follow-up-{visit.pk}")
    slot.locator("a.form-opener", has_text="Cancel the follow-up").click()
    reason = slot.get_by_label("Why is it cancelled?")
    expect(reason).to_be_visible()
    reason.fill("Keluarga pindah sementara")
    slot.get_by_role("button", name="Cancel the follow-up").click()
    expect(page.get_by_text("Follow-up cancelled.")).to_be_visible()
    expect(page.locator(f"#slot-follow-up-{visit.pk}")).to_have_count(0)
    assert FollowUp.objects.get(pk=visit.pk).is_cancelled
    assert_fits(page)
    assert_no_csp_violations(page)
