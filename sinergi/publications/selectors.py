"""Reads of the publications app, and the PPRA check itself (a pure read: it writes nothing)."""

import difflib
import re

from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import Http404

from sinergi.core import policy
from sinergi.tenants.models import Tenant

from .models import Draft, DraftVersion, MediaPartner, NewsroomToken, PpraRuleSet, TakedownRequest
from .policy import visible_drafts_q
from .ppra.engine import CaseFlags, Result, check


def ppra_check_text(
    *,
    text: str,
    tenant: Tenant | None = None,
    tenant_code: str | None = None,
    linked_texts: list[str] = (),
    register_matcher=None,
    flags: CaseFlags | None = None,
) -> Result:
    """The PPRA findings for `text`, with the tenant's villages and its added words.

    `tenant_code` alone (the command line) works without a database too: the code is then the
    kabupaten/kota whose villages the gazetteer uses."""
    extra = None
    if tenant is None and tenant_code:
        try:
            tenant = Tenant.objects.filter(code=tenant_code).first()
        except DatabaseError:
            tenant = None
    if tenant is not None:
        extra = ppra_extra_rules(tenant=tenant)
    regency_code = tenant.regency_id if tenant is not None else tenant_code
    return check(
        text,
        regency_code=regency_code,
        extra_rules=extra,
        linked_texts=linked_texts,
        register_matcher=register_matcher,
        flags=flags,
    )


def ppra_rule_set(*, tenant: Tenant) -> PpraRuleSet | None:
    return PpraRuleSet.objects.filter(tenant=tenant).first()


def ppra_extra_rules(*, tenant: Tenant) -> dict | None:

    rule_set = PpraRuleSet.objects.filter(tenant=tenant).only("extra").first()
    return rule_set.extra if rule_set is not None else None


def draft_list_for_user(*, user) -> QuerySet[Draft]:
    """Drafts the user may open: reviewers see the tenant's, authors their own."""
    return Draft.objects.filter(visible_drafts_q(user)).select_related("created_by", "approved_by")


def draft_get_for_user(*, user, pk) -> Draft:
    """One draft, or 404 when it does not exist or is not the user's to see (another tenant included)."""
    draft = draft_list_for_user(user=user).filter(pk=pk).first()
    if draft is None:
        raise Http404
    policy.require_visible(user, "publications.view_draft", draft)
    return draft


def draft_linked_texts(*, draft: Draft) -> list[str]:
    """The latest text of each draft linked to `draft` (for the jigsaw check)."""
    texts = []
    for other in draft.linked.all():
        latest = other.versions.order_by("-number").first()
        if latest is not None:
            texts.append(latest.text)
    return texts


def draft_flags(*, draft: Draft) -> CaseFlags:
    """The reviewer's flags of the story: set on this draft or on an earlier draft it links to."""
    from django.utils import translation

    from sinergi.core.clock import format_long_date

    rows = [draft, *draft.linked.all()]
    found = max((d.found_on for d in rows if d.found_on), default=None)
    return CaseFlags(
        lpsk_protected=any(d.lpsk_protected for d in rows),
        perpetrator_at_large=any(d.perpetrator_at_large for d in rows),
        missing=any(d.missing_child for d in rows),
        found_on=_found_on_text(found, format_long_date, translation) if found else "",
    )


def _found_on_text(found, format_long_date, translation) -> str:
    """'4 Januari 2023': the findings' reasons are Indonesian whatever the reader's language."""
    with translation.override("id"):
        return format_long_date(found).split(", ", 1)[-1]


def draft_check(*, draft: Draft, text: str) -> Result:
    """A draft's text checked as the workflow sees it: with the linked texts (jigsaw) and the flags."""
    return ppra_check_text(
        text=text, tenant=draft.tenant, linked_texts=draft_linked_texts(draft=draft), flags=draft_flags(draft=draft)
    )


def draft_versions(*, draft: Draft) -> list[DraftVersion]:
    return list(draft.versions.select_related("created_by").order_by("number"))


def version_diff(*, old: DraftVersion | None, new: DraftVersion) -> list[tuple[str, str]]:
    """Word-level diff of two versions: (op, text) with op in '=', '-', '+'."""
    if old is None:
        return [("=", new.text)]
    a, b = re.split(r"(\s+)", old.text), re.split(r"(\s+)", new.text)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    out: list[tuple[str, str]] = []
    removed, added = "", ""
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            chunk = "".join(a[i1:i2])
            # A space between two changes belongs to the change: "ayah tirinya" -> "seorang anggota keluarga".
            if (removed or added) and not chunk.strip() and k + 1 < len(ops):
                removed, added = removed + chunk, added + chunk
                continue
            out += [(o, t) for o, t in (("-", removed), ("+", added)) if t]
            removed, added = "", ""
            out.append(("=", chunk))
        else:
            removed += "".join(a[i1:i2])
            added += "".join(b[j1:j2])
    out += [(o, t) for o, t in (("-", removed), ("+", added)) if t]
    return out


def media_partner_list_for_user(*, user) -> QuerySet[MediaPartner]:
    if not policy.can(user, "publications.view_mediapartner", user.tenant):
        return MediaPartner.objects.none()
    return MediaPartner.objects.filter(tenant_id=user.tenant_id)


def media_partner_get_for_user(*, user, pk) -> MediaPartner:
    """One partner of the user's tenant, or 404."""
    partner = media_partner_list_for_user(user=user).filter(pk=pk).first()
    if partner is None:
        raise Http404
    return partner


def takedown_get_for_user(*, user, pk) -> TakedownRequest:
    found = TakedownRequest.objects.filter(pk=pk, partner__in=media_partner_list_for_user(user=user)).first()
    if found is None:
        raise Http404
    return found


def newsroom_token_get_for_user(*, user, pk) -> NewsroomToken:
    found = NewsroomToken.objects.filter(pk=pk, partner__in=media_partner_list_for_user(user=user)).first()
    if found is None:
        raise Http404
    return found
