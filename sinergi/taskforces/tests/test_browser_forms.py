"""The secretariat's forms in Debian chromium at phone width (390 px): a working group on the bodies page,
recurring meetings from a rule, a meeting's status, "reviewed at this meeting" on the follow-up meeting,
editing an agreement (text, owner, due date with a reason, then removing the due date) and uploading the
office's Word template. Each page fits the phone and raises no CSP violation; each write is checked in
the database."""

import datetime as dt
import io
import re

import pytest
from docx import Document as WordDocument
from playwright.sync_api import expect

from sinergi.core.tests.browser import assert_fits, assert_no_csp_violations, log_in
from sinergi.taskforces import services
from sinergi.taskforces.models import Agreement, Body, LetterTemplate, Meeting
from sinergi.taskforces.services.templates import DEFAULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _exactly(label: str) -> re.Pattern:
    """A label matched whole: the shared field template marks required fields with an aria-hidden "*"."""
    return re.compile(rf"^{re.escape(label)}(\s*\*)?$")


def _check(page) -> None:
    assert_fits(page, PHONE["width"])
    assert_no_csp_violations(page)


def test_the_secretariats_forms_work_on_a_390px_phone(world, open_page, live_server, tmp_path):
    base = live_server.url
    page = open_page(PHONE)
    log_in(page, base, world.secretariat, "/taskforces/bodies/")

    # A working group of the Gugus Tugas, cluster I.
    page.get_by_label("Kind").select_option(value="working_group")
    page.get_by_label("Name").fill("Pokja Klaster I")
    page.get_by_label("Gugus Tugas KLA of the working group").select_option(label="Gugus Tugas KLA Uji")
    page.get_by_label("Cluster").select_option(value="1")
    _check(page)
    page.get_by_role("button", name="Create").click()
    expect(page.locator("main")).to_contain_text("Pokja Klaster I")
    group = Body.objects.get(name="Pokja Klaster I")
    assert (group.parent_id, group.cluster) == (world.body.pk, "1")

    # Recurring meetings: four quarterly rakor from one rule, same local time (WITA).
    page.goto(base + "/taskforces/meetings/series/new/")
    page.get_by_label(_exactly("Body")).select_option(label="Gugus Tugas KLA Uji")
    page.get_by_label("Title").fill("Rakor Triwulanan Gugus Tugas")
    page.get_by_label("Recurrence rule (RRULE)").fill("FREQ=MONTHLY;INTERVAL=3;COUNT=4")
    page.get_by_label("First meeting starts").fill("2030-01-08T09:00")
    page.get_by_label("Agenda (one item per line)").fill("Evaluasi kesepakatan")
    _check(page)
    page.get_by_role("button", name="Create the meetings").click()
    page.wait_for_load_state()
    series = list(Meeting.objects.filter(title__startswith="Rakor Triwulanan").order_by("starts_at"))
    assert len(series) == 4
    assert {m.starts_at.astimezone(world.meeting.starts_at.tzinfo).hour for m in series} == {9}
    assert series[0].series_id is not None
    _check(page)

    # The meeting's status.
    page.goto(f"{base}/taskforces/meetings/{world.meeting.pk}/")
    page.locator("form[action$='/status/']").get_by_label("Status").select_option(value="held")
    _check(page)
    page.get_by_role("button", name="Change the status").click()
    expect(page.locator("main")).to_contain_text("Saved")
    world.meeting.refresh_from_db()
    assert world.meeting.status == "held"

    # "Reviewed at this meeting" on the follow-up meeting's page.
    follow = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="lanjutan",
        title="Rapat lanjutan",
        starts_at=world.meeting.starts_at + dt.timedelta(days=30),
        agenda=["Evaluasi"],
        invited=[world.members["dinsos"]],
        follows_up=world.meeting,
    )
    page.goto(f"{base}/taskforces/meetings/{follow.pk}/")
    _check(page)
    page.get_by_role("button", name="Mark as reviewed at this meeting").click()
    expect(page.locator("#review")).to_contain_text("Reviewed at this meeting")
    world.agreement.refresh_from_db()
    assert world.agreement.reviewed_at_id == follow.pk

    # Editing the agreement: text, owner and due date with a reason; then removing the due date.
    page.goto(f"{base}/taskforces/agreements/{world.agreement.pk}/")
    page.locator("summary", has_text="Edit the agreement").click()
    edit = page.locator("form[action$='/edit/']")
    edit.get_by_label(_exactly("Agreement")).fill("Menyusun dan mengesahkan norma pemberitaan anak")
    edit.get_by_label(_exactly("Owner agency")).select_option(label=str(world.satpol))
    edit.get_by_label(_exactly("Due date")).fill("2023-06-30")
    edit.get_by_label("Reason").fill("Menunggu rapat DPRD")
    _check(page)
    edit.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Menyusun dan mengesahkan norma pemberitaan anak")
    agreement = Agreement.objects.get(pk=world.agreement.pk)
    assert (agreement.owner_id, agreement.due_on) == (world.satpol.pk, dt.date(2023, 6, 30))
    page.locator("summary", has_text="Edit the agreement").click()
    edit.get_by_label("Remove the due date").check()
    edit.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Say why the owner or the due date is removed.")
    assert Agreement.objects.get(pk=agreement.pk).due_on == dt.date(2023, 6, 30)
    _check(page)
    edit.get_by_label("Remove the due date").check()
    edit.get_by_label("Reason").fill("Tanggal menunggu APBD perubahan")
    edit.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/taskforces/agreements/[0-9a-f-]{36}/$"))
    assert Agreement.objects.get(pk=agreement.pk).due_on is None

    # The office's Word template.
    doc = WordDocument(str(DEFAULTS / "undangan.docx"))
    doc.add_paragraph("KOP KANTOR {{ number }}")
    path = tmp_path / "undangan-kantor.docx"
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    page.goto(base + "/taskforces/templates/")
    page.get_by_label("Template").select_option(value="undangan")
    page.get_by_label("Word document").set_input_files(str(path))
    _check(page)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-template-current='undangan']")).to_contain_text("Version 1")
    assert LetterTemplate.objects.get().tenant_id == world.tenant.pk
    _check(page)
