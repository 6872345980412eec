"""The tenant admin's rule editor (page and API) and the reviewer's flags on drafts (points 6, 7, 9)."""

import datetime as dt

import pytest

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.publications import selectors, services
from sinergi.publications.models import PpraRuleSet

pytestmark = pytest.mark.django_db

RULES_API = "/api/v1/publications/rules/"
RULES_PAGE = "/publications/rules/"
TEXT = "Anak korban itu kini dijaga di Pos Ronda Melati setiap malam."


def _points(text, tenant, **kw):
    return {(f.point, f.severity) for f in selectors.ppra_check_text(text=text, tenant=tenant, **kw).findings}


def test_admin_adds_a_pattern_over_the_api_and_every_check_uses_it(kadis, humas, client_for):
    assert (6, "block") not in _points(TEXT, kadis.tenant)
    body = {
        "lists": {"point2_strong": ["dirisak"]},
        "patterns": [{"pattern": r"Pos\s+Ronda\s+\w+", "point": 6, "severity": "block", "why": "Lokasi jaga."}],
        "weights": {"5": "advice"},
    }
    response = client_for(kadis).put(RULES_API, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["patterns"][0]["point"] == 6
    assert (6, "block") in _points(TEXT, kadis.tenant)
    event = AuditEvent.objects.get(action="ppra.rules_changed", actor=kadis)
    assert set(event.extra["lists"]) == {"patterns", "point2_strong", "weights"}
    # The newsroom-facing roles cannot read or change the rules.
    assert client_for(humas).get(RULES_API).status_code == 403
    assert client_for(humas).put(RULES_API, body, content_type="application/json").status_code == 403


@pytest.mark.parametrize(
    "pattern", ["(a+)+", "(unclosed", "x*", "(a)\\1", "a" * 201, r"\w+\s+Ronda", r"(?:\s+lagi)*\s+Ronda"]
)
def test_a_bad_pattern_is_a_400_and_nothing_is_written(kadis, client_for, pattern):
    services.ppra_rules_update(actor=kadis, tenant=kadis.tenant, extra={"point2_strong": ["dirisak"]})
    body = {"lists": {"point2_strong": ["lain"]}, "patterns": [{"pattern": pattern, "point": 1, "severity": "warn"}]}
    response = client_for(kadis).put(RULES_API, body, content_type="application/json")
    assert response.status_code == 400
    assert PpraRuleSet.objects.get(tenant=kadis.tenant).extra == {"point2_strong": ["dirisak"]}
    assert AuditEvent.objects.filter(action="ppra.rules_changed").count() == 1


def test_weights_set_a_points_severity_for_the_tenant_only(kadis, other_tenant):
    text = "Kakek korban ditangkap karena mencabuli cucunya yang berusia 7 tahun."
    assert (8, "warn") in _points(text, kadis.tenant)
    services.ppra_rules_update(actor=kadis, tenant=kadis.tenant, extra={"weights": {"8": "block"}})
    assert (8, "block") in _points(text, kadis.tenant)
    assert (8, "warn") not in _points(text, kadis.tenant)
    assert (8, "warn") in _points(text, other_tenant)


def test_rules_page_saves_and_shows_a_bad_pattern_as_400(kadis, client_for):
    client = client_for(kadis)
    page = client.get(RULES_PAGE)
    assert page.status_code == 200
    post = {"list_point2_strong": "dirisak\n", "pattern_rows": "3", "pattern_0": "Pos\\s+Ronda", "point_0": "6"}
    post["severity_0"] = "warn"
    response = client.post(RULES_PAGE, post)
    assert response.status_code == 302
    saved = PpraRuleSet.objects.get(tenant=kadis.tenant).extra
    assert saved["patterns"][0]["pattern"] == "Pos\\s+Ronda"
    assert saved["point2_strong"] == ["dirisak"]
    response = client.post(RULES_PAGE, {**post, "pattern_1": "(a+)+", "point_1": "1", "severity_1": "warn"})
    assert response.status_code == 400
    assert "(a+)+" in response.content.decode()  # the posted form comes back
    assert PpraRuleSet.objects.get(tenant=kadis.tenant).extra == saved


def test_rules_page_is_refused_to_a_communications_officer(humas, client_for):
    assert client_for(humas).get(RULES_PAGE).status_code == 403


# ---- the reviewer's flags ----------------------------------------------------------------------------

QUOTE = 'Seorang anak saksi berusia 10 tahun ditemui di rumahnya. "Saya takut sekali," kata bocah itu.'
PLACE = "Siswi berusia 9 tahun itu kini tinggal bersama kerabat di Desa Karang Anyar."
FOUND = "Bocah bernama Intan Permatasari (7) yang hilang sejak Senin kini bersama keluarganya."


def test_flag_perpetrator_at_large_turns_a_child_witness_quote_into_point_7(humas, kadis):
    draft = services.draft_submit(actor=humas, title="Saksi", text=QUOTE)
    assert 7 not in {f.point for f in selectors.draft_check(draft=draft, text=QUOTE).findings}
    draft = services.draft_set_flags(actor=kadis, draft=draft, perpetrator_at_large=True)
    result = selectors.draft_check(draft=draft, text=QUOTE)
    assert any(f.point == 7 and f.severity == "block" for f in result.findings)
    assert AuditEvent.objects.filter(action="draft.flagged", actor=kadis).exists()


def test_flag_lpsk_on_an_earlier_draft_counts_for_the_linked_one(humas, kadis):
    earlier = services.draft_submit(actor=humas, title="Rilis pertama", text="Seorang anak menjadi korban.")
    services.draft_set_flags(actor=kadis, draft=earlier, lpsk_protected=True)
    later = services.draft_submit(actor=humas, title="Lanjutan", text=PLACE, linked=[earlier])
    findings = selectors.draft_check(draft=later, text=PLACE).findings
    assert any(f.point == 6 and f.text == "Desa Karang Anyar" for f in findings)


def test_flag_found_on_blocks_the_name_and_says_the_date(humas, kadis):
    draft = services.draft_submit(actor=humas, title="Anak hilang", text=FOUND)
    draft = services.draft_set_flags(actor=kadis, draft=draft, missing_child=True, found_on=dt.date(2026, 1, 4))
    findings = [f for f in selectors.draft_check(draft=draft, text=FOUND).findings if f.point == 9]
    assert any(f.severity == "block" and f.text == "Intan Permatasari" and "4 Januari 2026" in f.why for f in findings)


def test_flags_are_for_reviewers_and_refuse_impossible_dates(humas, kadis, client_for):
    draft = services.draft_submit(actor=humas, title="Anak hilang", text=FOUND)
    url = f"/api/v1/publications/drafts/{draft.pk}/flags/"
    assert client_for(humas).post(url, {"lpsk_protected": True}, format="json").status_code == 403
    reviewer = client_for(kadis)
    assert reviewer.post(url, {"found_on": "2026-01-04"}, format="json").status_code == 400  # not missing
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    assert reviewer.post(url, {"missing_child": True, "found_on": future}, format="json").status_code == 400
    draft.refresh_from_db()
    assert (draft.missing_child, draft.found_on) == (False, None)
    response = reviewer.post(url, {"missing_child": True, "found_on": "2026-01-04"}, format="json")
    assert response.status_code == 200
    assert response.json()["found_on"] == "2026-01-04"


def test_draft_page_flag_form_for_the_reviewer_only(humas, kadis, client_for):
    draft = services.draft_submit(actor=humas, title="Saksi", text=QUOTE)
    url = f"/publications/drafts/{draft.pk}/"
    assert 'value="flags"' not in client_for(humas).get(url).content.decode()
    reviewer = client_for(kadis)
    assert 'value="flags"' in reviewer.get(url).content.decode()
    assert reviewer.post(url, {"action": "flags", "perpetrator_at_large": "on"}).status_code == 302
    assert reviewer.post(url, {"action": "flags", "found_on": "kemarin"}).status_code == 400
    page = reviewer.get(url).content.decode()
    assert "PPRA butir 7" in page


def test_a_make_user_without_review_role_cannot_flag(make_user, humas):
    officer = make_user(Role.COMMUNICATIONS_OFFICER, username="humas_dua")
    draft = services.draft_submit(actor=humas, title="Saksi", text=QUOTE)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.draft_set_flags(actor=officer, draft=draft, lpsk_protected=True)
