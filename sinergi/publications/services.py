"""Writes of the publications app: keeping a check, the tenant's rule additions, media partners and
their newsroom tokens. Each is one transaction with its audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record
from sinergi.core import policy
from sinergi.tenants.models import Tenant

from .events import PublicationsEvent
from .models import (
    Draft,
    DraftComment,
    DraftVersion,
    MediaPartner,
    NewsroomToken,
    PpraCheck,
    PpraRuleSet,
    TakedownRequest,
)
from .ppra.engine import Result
from .ppra.files import MAX_TEXT_CHARS
from .ppra.rules import (
    EXTENSIBLE_LISTS,
    PATTERNS_KEY,
    SEVERITIES,
    WEIGHTS_KEY,
    PatternError,
    validate_pattern,
)
from .selectors import draft_check

ERROR_TEXT_EMPTY = _("Enter the text to check.")
ERROR_TEXT_TOO_LONG = _("The text is too long (at most 200,000 characters).")
ERROR_UNKNOWN_LIST = _("Unknown word list: %(name)s.")
ERROR_WORD_TOO_LONG = _("Each word or phrase has at most 80 characters.")
ERROR_TOO_MANY_WORDS = _("At most 500 added words per list.")
ERROR_LIST_SHAPE = _("The list %(name)s must be a list of words or phrases.")
MAX_TENANT_PATTERNS = 50
ERROR_TOO_MANY_PATTERNS = _("Patterns must be a list of at most 50 rows.")
ERROR_PATTERN_SHAPE = _("Pattern %(n)s: each pattern is an object with pattern, point and severity.")
ERROR_PATTERN_POINT = _("Pattern %(n)s: the PPRA point is a number from 1 to 12.")
ERROR_PATTERN_SEVERITY = _("Pattern %(n)s: the severity is block, warn or advice.")
ERROR_PATTERN_TEXT = _("Pattern %(n)s: the reason and the suggestion have at most 300 characters each.")
ERROR_WEIGHT = _("Weights map a PPRA point (1 to 12) to block, warn or advice.")
PATTERN_ERRORS = {
    "empty": _("Pattern %(n)s is empty."),
    "too_long": _("Pattern %(n)s has more than 200 characters."),
    "syntax": _("Pattern %(n)s is not a valid regular expression: %(pattern)s"),
    "slow": _(
        "Pattern %(n)s could make every check very slow (a repeated group inside a repetition, or a "
        "back-reference): %(pattern)s"
    ),
    "empty_match": _("Pattern %(n)s matches an empty text, so it would flag everything: %(pattern)s"),
}
ERROR_PARTNER_NAME = _("Enter the outlet's name (at most 200 characters).")
ERROR_PARTNER_EXISTS = _("A media partner with this name already exists.")
ERROR_TOKEN_NAME = _("Enter a name for the token (at most 100 characters).")
ERROR_TOKEN_LIMIT = _("A media partner has at most 5 active newsroom tokens.")
MAX_ACTIVE_TOKENS = 5


def validate_text(text: str) -> str:
    """The text a check accepts: not blank, at most MAX_TEXT_CHARS characters."""
    if not text or not text.strip():
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError({"text": ERROR_TEXT_TOO_LONG})
    return text


@transaction.atomic
def ppra_check_store(
    *, actor: User | None, tenant: Tenant, text: str, result: Result, source: str, partner: MediaPartner | None = None
) -> PpraCheck:
    """Keep a check the user asked to keep (nothing is stored otherwise)."""
    if partner is None:
        policy.require(actor, "publications.use_checker", tenant)
    elif partner.tenant_id != tenant.pk:
        raise ValidationError(_("The media partner belongs to another kabupaten/kota."))
    validate_text(text)
    check = PpraCheck.objects.create(
        tenant=tenant,
        created_by=actor,
        partner=partner,
        source=source,
        text=text,
        verdict=result.verdict,
        findings=result.as_json()["findings"],
    )
    record(
        actor=actor,
        action=PublicationsEvent.CHECK_STORED,
        obj=check,
        tenant=tenant,
        extra={"verdict": result.verdict, "findings": len(result.findings), "source": source},
    )
    return check


@transaction.atomic
def ppra_rules_update(*, actor: User, tenant: Tenant, extra: dict) -> PpraRuleSet:
    """Replace the tenant's additions: added words per list name, its own patterns (`patterns`: rows of
    pattern, point, severity, why, suggestion) and per-point severities (`weights`: {point: severity}).
    The vendored rules stay as they are. Everything is validated first: one bad entry writes nothing."""
    policy.require(actor, "publications.change_rules", tenant)
    clean: dict = {}
    for name, value in (extra or {}).items():
        if name == PATTERNS_KEY:
            if value:
                clean[name] = _clean_patterns(value)
            continue
        if name == WEIGHTS_KEY:
            if value:
                clean[name] = _clean_weights(value)
            continue
        if name not in EXTENSIBLE_LISTS:
            raise ValidationError(ERROR_UNKNOWN_LIST, params={"name": name})
        if not isinstance(value, list | tuple):
            raise ValidationError(ERROR_LIST_SHAPE, params={"name": name})
        words = sorted({str(w).strip() for w in value if str(w).strip()})
        if any(len(w) > 80 for w in words):
            raise ValidationError(ERROR_WORD_TOO_LONG)
        if len(words) > 500:
            raise ValidationError(ERROR_TOO_MANY_WORDS)
        if words:
            clean[name] = words
    rule_set, _created = PpraRuleSet.objects.select_for_update().get_or_create(tenant=tenant)
    before = rule_set.extra or {}
    rule_set.extra = clean
    rule_set.updated_by = actor
    rule_set.save()
    changed = sorted(k for k in set(before) | set(clean) if before.get(k) != clean.get(k))
    record(actor=actor, action=PublicationsEvent.RULES_CHANGED, obj=rule_set, tenant=tenant, extra={"lists": changed})
    return rule_set


def _clean_patterns(rows) -> list[dict]:
    if not isinstance(rows, list | tuple) or len(rows) > MAX_TENANT_PATTERNS:
        raise ValidationError({PATTERNS_KEY: ERROR_TOO_MANY_PATTERNS})
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ValidationError({PATTERNS_KEY: ERROR_PATTERN_SHAPE % {"n": n}})
        pattern = str(row.get("pattern") or "")
        try:
            validate_pattern(pattern)
        except PatternError as exc:
            reason = str(exc).split(":", 1)[0]
            raise ValidationError(
                {PATTERNS_KEY: PATTERN_ERRORS.get(reason, PATTERN_ERRORS["syntax"]) % {"n": n, "pattern": pattern}}
            ) from exc
        point, severity = row.get("point"), str(row.get("severity") or "")
        if not (isinstance(point, int) or str(point).isdigit()) or not 1 <= int(point) <= 12:
            raise ValidationError({PATTERNS_KEY: ERROR_PATTERN_POINT % {"n": n}})
        if severity not in SEVERITIES:
            raise ValidationError({PATTERNS_KEY: ERROR_PATTERN_SEVERITY % {"n": n}})
        why, suggestion = str(row.get("why") or "").strip(), str(row.get("suggestion") or "").strip()
        if len(why) > 300 or len(suggestion) > 300:
            raise ValidationError({PATTERNS_KEY: ERROR_PATTERN_TEXT % {"n": n}})
        out.append(
            {"pattern": pattern, "point": int(point), "severity": severity, "why": why, "suggestion": suggestion}
        )
    return out


def _clean_weights(weights) -> dict[str, str]:
    if not isinstance(weights, dict):
        raise ValidationError({WEIGHTS_KEY: ERROR_WEIGHT})
    out = {}
    for point, severity in weights.items():
        if not severity:
            continue
        if not str(point).isdigit() or not 1 <= int(point) <= 12 or severity not in SEVERITIES:
            raise ValidationError({WEIGHTS_KEY: ERROR_WEIGHT})
        out[str(int(point))] = severity
    return out


@transaction.atomic
def media_partner_create(
    *, actor: User, tenant: Tenant, name: str, signatories: str = "", signed_on=None
) -> MediaPartner:
    """Register an outlet that signed the MoU or declaration on child-friendly reporting."""
    policy.require(actor, "publications.manage_mediapartner", tenant)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": ERROR_PARTNER_NAME})
    if MediaPartner.objects.filter(tenant=tenant, name__iexact=name).exists():
        raise ValidationError({"name": ERROR_PARTNER_EXISTS})
    partner = MediaPartner(tenant=tenant, name=name, signatories=(signatories or "").strip(), signed_on=signed_on)
    partner.full_clean()
    partner.save()
    record(actor=actor, action=PublicationsEvent.PARTNER_CREATED, obj=partner, extra={"name": name})
    return partner


@transaction.atomic
def newsroom_token_create(*, actor: User, partner: MediaPartner, name: str) -> tuple[NewsroomToken, str]:
    """A newsroom token for a media partner. Returns the token and its key, shown once and never stored."""
    policy.require(actor, "publications.manage_mediapartner", partner)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": ERROR_TOKEN_NAME})
    MediaPartner.objects.select_for_update().filter(pk=partner.pk).first()
    if partner.tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(ERROR_TOKEN_LIMIT)
    key = NewsroomToken.generate_key()
    token = NewsroomToken.objects.create(
        partner=partner, name=name, prefix=key[:12], token_hash=NewsroomToken.hash_key(key), created_by=actor
    )
    record(actor=actor, action=PublicationsEvent.TOKEN_CREATED, obj=token, tenant=partner.tenant, extra={"name": name})
    return token, key


@transaction.atomic
def newsroom_token_revoke(*, actor: User, token: NewsroomToken) -> NewsroomToken:
    policy.require(actor, "publications.manage_mediapartner", token.partner)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action=PublicationsEvent.TOKEN_REVOKED, obj=token, tenant=token.partner.tenant)
    return token


# ---- The review workflow ---------------------------------------------------------------------

ERROR_TITLE = _("Enter a title (at most 200 characters).")
ERROR_COMMENT = _("Enter a comment (at most 5,000 characters).")
ERROR_RETURN_REASON = _("Say what must change before the text can be approved.")
ERROR_FOUND_WITHOUT_MISSING = _("A found date is only for a missing child.")
ERROR_FOUND_IN_FUTURE = _("The date the child was found cannot be in the future.")


def _new_version(*, actor: User, draft: Draft, text: str) -> DraftVersion:
    result = draft_check(draft=draft, text=text)
    number = (draft.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return DraftVersion.objects.create(
        draft=draft,
        number=number,
        text=text,
        verdict=result.verdict,
        findings=result.as_json()["findings"],
        created_by=actor,
    )


@transaction.atomic
def draft_submit(*, actor: User, title: str, text: str, linked: list[Draft] = ()) -> Draft:
    """A communications officer submits a text for review; the checker runs on it as version 1, together
    with the linked earlier texts about the same story (each must be one the actor may open)."""
    tenant = actor.tenant
    policy.require(actor, "publications.add_draft", tenant)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError({"title": ERROR_TITLE})
    validate_text(text)
    for other in linked:
        policy.require_visible(actor, "publications.view_draft", other)
    draft = Draft.objects.create(tenant=tenant, title=title, created_by=actor)
    draft.linked.set(linked)
    version = _new_version(actor=actor, draft=draft, text=text)
    record(actor=actor, action=PublicationsEvent.DRAFT_SUBMITTED, obj=draft, extra={"verdict": version.verdict})
    return draft


@transaction.atomic
def draft_revise(*, actor: User, draft: Draft, text: str) -> DraftVersion:
    """The author saves a new version (e.g. after accepting suggestions) and resubmits it."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    policy.require(actor, "publications.revise_draft", draft)
    validate_text(text)
    version = _new_version(actor=actor, draft=draft, text=text)
    draft.status = Draft.Status.SUBMITTED
    draft.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=PublicationsEvent.DRAFT_REVISED,
        obj=draft,
        extra={"version": version.number, "verdict": version.verdict},
    )
    return version


@transaction.atomic
def draft_comment(*, actor: User, draft: Draft, body: str) -> DraftComment:
    policy.require(actor, "publications.comment_draft", draft)
    body = (body or "").strip()
    if not body or len(body) > 5000:
        raise ValidationError({"body": ERROR_COMMENT})
    comment = DraftComment.objects.create(draft=draft, version=draft.versions.last(), author=actor, body=body)
    record(actor=actor, action=PublicationsEvent.DRAFT_COMMENTED, obj=draft, extra={"version": comment.version.number})
    return comment


@transaction.atomic
def draft_approve(*, actor: User, draft: Draft) -> Draft:
    """Approve the latest version; the approval keeps who, when, and the checker's verdict then."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    policy.require(actor, "publications.review_draft", draft)
    version = draft.versions.last()
    # Re-checked now: the rules or the linked texts may have changed since the version was saved.
    verdict = draft_check(draft=draft, text=version.text).verdict
    draft.status = Draft.Status.APPROVED
    draft.approved_by = actor
    draft.approved_at = timezone.now()
    draft.approved_version = version
    draft.approved_verdict = verdict
    draft.save()
    record(
        actor=actor,
        action=PublicationsEvent.DRAFT_APPROVED,
        obj=draft,
        extra={"version": version.number, "verdict": verdict},
    )
    return draft


@transaction.atomic
def draft_return(*, actor: User, draft: Draft, reason: str) -> Draft:
    """Return the draft to its author with a reason (kept as a comment on the latest version)."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    policy.require(actor, "publications.review_draft", draft)
    reason = (reason or "").strip()
    if not reason or len(reason) > 5000:
        raise ValidationError({"reason": ERROR_RETURN_REASON})
    version = draft.versions.last()
    DraftComment.objects.create(draft=draft, version=version, author=actor, body=reason)
    draft.status = Draft.Status.RETURNED
    draft.save(update_fields=["status", "updated_at"])
    record(actor=actor, action=PublicationsEvent.DRAFT_RETURNED, obj=draft, extra={"version": version.number})
    return draft


# ---- Takedown and correction requests --------------------------------------------------------

ERROR_URL = _("Enter the address of the published item.")
ERROR_POINTS = _("Choose PPRA points between 1 and 12.")
ERROR_REASON = _("Say which part breaches the PPRA (at most 5,000 characters).")
ERROR_ALREADY_ANSWERED = _("This request has already been answered.")


@transaction.atomic
def takedown_request_create(
    *, actor: User, partner: MediaPartner, kind: str, url: str, points: list[int], reason: str
) -> TakedownRequest:
    """Ask a media partner to take down or correct a published item that breaches the PPRA."""
    policy.require(actor, "publications.manage_mediapartner", partner)
    if kind not in TakedownRequest.Kind.values:
        raise ValidationError({"kind": _("Choose take down or correct.")})
    points = sorted({int(p) for p in points or []})
    if not points or any(not 1 <= p <= 12 for p in points):
        raise ValidationError({"points": ERROR_POINTS})
    reason = (reason or "").strip()
    if not reason or len(reason) > 5000:
        raise ValidationError({"reason": ERROR_REASON})
    request = TakedownRequest(
        tenant=partner.tenant,
        partner=partner,
        kind=kind,
        url=(url or "").strip(),
        points=points,
        reason=reason,
        created_by=actor,
    )
    try:
        request.full_clean()
    except ValidationError as exc:
        raise ValidationError({"url": ERROR_URL}) from exc
    request.save()
    record(actor=actor, action=PublicationsEvent.TAKEDOWN_SENT, obj=request, extra={"kind": kind, "points": points})
    return request


@transaction.atomic
def takedown_request_answer(*, actor: User, request: TakedownRequest, status: str, answer: str) -> TakedownRequest:
    """Record the partner's answer: done or refused (once)."""
    request = TakedownRequest.objects.select_for_update().get(pk=request.pk)
    policy.require(actor, "publications.manage_mediapartner", request)
    if request.status != TakedownRequest.Status.SENT:
        raise ValidationError(ERROR_ALREADY_ANSWERED)
    if status not in (TakedownRequest.Status.DONE, TakedownRequest.Status.REFUSED):
        raise ValidationError({"status": _("Choose done or refused.")})
    request.status = status
    request.answer = (answer or "").strip()[:5000]
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "answered_at"])
    record(actor=actor, action=PublicationsEvent.TAKEDOWN_ANSWERED, obj=request, extra={"status": status})
    return request


@transaction.atomic
def draft_set_flags(
    *,
    actor: User,
    draft: Draft,
    lpsk_protected: bool = False,
    perpetrator_at_large: bool = False,
    missing_child: bool = False,
    found_on=None,
) -> Draft:
    """The reviewer marks what the text cannot say about the story (PPRA points 6, 7 and 9); the flags
    count for this draft and every draft that links to it. Stored versions keep the verdict they had;
    the page, the API and the approval check the text again with the flags."""
    from sinergi.core.clock import tenant_today

    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    policy.require(actor, "publications.flag_draft", draft)
    if found_on is not None and not missing_child:
        raise ValidationError({"found_on": ERROR_FOUND_WITHOUT_MISSING})
    if found_on is not None and found_on > tenant_today(draft.tenant):
        raise ValidationError({"found_on": ERROR_FOUND_IN_FUTURE})
    before = {f: getattr(draft, f) for f in DRAFT_FLAG_FIELDS}
    draft.lpsk_protected = bool(lpsk_protected)
    draft.perpetrator_at_large = bool(perpetrator_at_large)
    draft.missing_child = bool(missing_child)
    draft.found_on = found_on
    draft.save(update_fields=[*DRAFT_FLAG_FIELDS, "updated_at"])
    changed = sorted(f for f in DRAFT_FLAG_FIELDS if before[f] != getattr(draft, f))
    record(actor=actor, action=PublicationsEvent.DRAFT_FLAGGED, obj=draft, extra={"changed": changed})
    return draft


DRAFT_FLAG_FIELDS = ("lpsk_protected", "perpetrator_at_large", "missing_child", "found_on")
