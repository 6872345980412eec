"""The review workflow: submit, versions and diff, comments, return, approve; who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.publications import selectors, services
from sinergi.publications.models import Draft

from .conftest import BREACHING, COMPLIANT

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(humas):
    return services.draft_submit(actor=humas, title="Rilis kasus", text=BREACHING)


@pytest.fixture
def colleague(make_user):
    return make_user(Role.COMMUNICATIONS_OFFICER, username="humas_lain")


def test_submit_keeps_version_1_with_the_checker_verdict(draft):
    version = draft.versions.get()
    assert (version.number, version.verdict) == (1, "block")
    assert any(f["point"] == 8 for f in version.findings)
    assert AuditEvent.objects.filter(action="draft.submitted", object_id=str(draft.pk)).exists()


def test_revise_adds_a_version_and_the_diff_shows_the_change(draft, humas):
    services.draft_revise(actor=humas, draft=draft, text=BREACHING.replace("Melati Kusumawardani", "MK"))
    old, new = selectors.draft_versions(draft=draft)
    diff = selectors.version_diff(old=old, new=new)
    assert ("-", "Melati Kusumawardani") in diff
    assert ("+", "MK") in diff
    assert old.text == BREACHING  # the earlier version is kept as it was


def test_reviewer_returns_then_approves_and_the_approval_records_who_and_verdict(draft, humas, kadis):
    services.draft_return(actor=kadis, draft=draft, reason="Hapus nama anak dan hubungan keluarga pelaku.")
    draft.refresh_from_db()
    assert draft.status == Draft.Status.RETURNED
    services.draft_revise(actor=humas, draft=draft, text=COMPLIANT)
    services.draft_approve(actor=kadis, draft=draft)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.APPROVED
    assert (draft.approved_by, draft.approved_verdict, draft.approved_version.number) == (kadis, "ok", 2)
    assert AuditEvent.objects.filter(action="draft.approved", actor=kadis, object_id=str(draft.pk)).exists()


def test_nobody_approves_their_own_text(make_user):
    manager = make_user(Role.CASE_MANAGER, username="kasus_ppra")
    own = services.draft_submit(actor=manager, title="Rilis", text=COMPLIANT)
    with pytest.raises(PermissionDenied):
        services.draft_approve(actor=manager, draft=own)


def test_the_author_cannot_approve_and_a_reviewer_cannot_revise(draft, humas, kadis):
    with pytest.raises(PermissionDenied):
        services.draft_approve(actor=humas, draft=draft)
    with pytest.raises(PermissionDenied):
        services.draft_revise(actor=kadis, draft=draft, text=COMPLIANT)


def test_an_approved_draft_is_final(draft, humas, kadis):
    services.draft_approve(actor=kadis, draft=draft)
    with pytest.raises(PermissionDenied):
        services.draft_revise(actor=humas, draft=Draft.objects.get(pk=draft.pk), text=COMPLIANT)


def test_return_needs_a_reason_and_writes_nothing_without_one(draft, kadis):
    with pytest.raises(ValidationError):
        services.draft_return(actor=kadis, draft=draft, reason=" ")
    draft.refresh_from_db()
    assert draft.status == Draft.Status.SUBMITTED
    assert not draft.comments.exists()


def test_visibility_author_reviewer_colleague_outsider(draft, humas, kadis, colleague, outsider, analyst):
    assert selectors.draft_get_for_user(user=humas, pk=draft.pk) == draft
    assert selectors.draft_get_for_user(user=kadis, pk=draft.pk) == draft
    assert list(selectors.draft_list_for_user(user=colleague)) == []
    assert list(selectors.draft_list_for_user(user=outsider)) == []
    assert list(selectors.draft_list_for_user(user=analyst)) == []


def test_draft_page_personas(draft, humas, kadis, colleague, outsider, client_for):
    url = f"/publications/drafts/{draft.pk}/"
    assert client_for(humas).get(url).status_code == 200
    assert client_for(kadis).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_reviewer_approves_from_the_page(draft, kadis, client_for):
    response = client_for(kadis).post(f"/publications/drafts/{draft.pk}/", {"action": "approve"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Draft.Status.APPROVED


def test_author_gets_403_on_approve(draft, humas, client_for):
    response = client_for(humas).post(f"/publications/drafts/{draft.pk}/", {"action": "approve"})
    assert response.status_code == 403


def test_submit_from_the_checker_page_redirects_to_the_draft(humas, client_for):
    response = client_for(humas).post("/publications/", {"text": BREACHING, "submit": "1", "title": "Rilis"})
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/publications/drafts/{draft.pk}/"


def test_the_draft_queryset_and_the_permission_agree(draft, humas, kadis, colleague, outsider, analyst, make_user):
    from sinergi.core import policy

    people = [
        humas,
        kadis,
        colleague,
        outsider,
        analyst,
        make_user(Role.CASE_MANAGER),
        make_user(Role.SYSTEM_ADMIN),
        make_user(Role.SATGAS_VOLUNTEER),
        make_user(Role.SERVICE_PROVIDER),
    ]
    for user in people:
        listed = draft in selectors.draft_list_for_user(user=user)
        assert listed == policy.can(user, "publications.view_draft", draft), user.role


def test_a_draft_linked_to_an_earlier_story_is_checked_together(humas):
    first = services.draft_submit(
        actor=humas,
        title="Rilis 1",
        text="Seorang siswi berusia 13 tahun di Desa Sungai Rotan menjadi korban pencabulan. Pelaku ditahan.",
    )
    follow_up = "Korban pencabulan itu bersekolah di SMPN 2 Bukit Sari dan kini didampingi psikolog."
    alone = services.draft_submit(actor=humas, title="Rilis 2", text=follow_up)
    linked = services.draft_submit(actor=humas, title="Rilis 2b", text=follow_up, linked=[first])
    assert alone.versions.get().verdict == "warn"
    assert linked.versions.get().verdict == "block"


def test_linking_a_draft_one_cannot_see_is_404(humas, colleague):
    other = services.draft_submit(actor=colleague, title="Rilis lain", text=COMPLIANT)
    from django.http import Http404

    with pytest.raises(Http404):
        services.draft_submit(actor=humas, title="Rilis", text=COMPLIANT, linked=[other])
    assert not Draft.objects.filter(created_by=humas).exists()


def test_tenant_rule_additions_are_audited_and_used_by_the_checker(kadis, humas):
    from sinergi.publications.selectors import ppra_check_text

    text = "Korban berusia 9 tahun itu dirisak temannya di sekolah."
    assert all(f.point != 2 for f in ppra_check_text(text=text, tenant=kadis.tenant).findings)
    services.ppra_rules_update(actor=kadis, tenant=kadis.tenant, extra={"point2_strong": ["dirisak"]})
    assert any(f.point == 2 for f in ppra_check_text(text=text, tenant=kadis.tenant).findings)
    assert AuditEvent.objects.filter(action="ppra.rules_changed", actor=kadis).exists()
    with pytest.raises(PermissionDenied):
        services.ppra_rules_update(actor=humas, tenant=humas.tenant, extra={"point2_strong": ["x"]})
    with pytest.raises(ValidationError):
        services.ppra_rules_update(actor=kadis, tenant=kadis.tenant, extra={"age_patterns": ["(.*)"]})
