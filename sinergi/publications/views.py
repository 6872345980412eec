"""The PPRA checker page: paste a text or upload a file, see the findings highlighted, accept a
suggestion (the text is re-checked), and optionally keep the check. htmx swaps the checker block;
without JavaScript the same form posts and the whole page comes back."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.forms import add_service_errors

from . import photo_copies, selectors, services
from .forms import MAX_PHOTOS, CheckForm
from .highlight import apply_replacement, segments
from .models import PpraCheck
from .ppra import photos as photo_checks
from .ppra.files import extract_text
from .ppra.rules import load_rules
from .register import register_matcher_for

ERROR_DATE = _("Enter a date as YYYY-MM-DD.")


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
@ratelimit(key="user", rate="240/h", method="POST", block=True)
def checker(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "publications.use_checker", tenant)
    context: dict = {"points": load_rules().points}
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        photos = request.FILES.getlist("photos")[:MAX_PHOTOS]
        if photos:
            context["photos"] = _photo_reports(request, photos)
        if photos and not (request.POST.get("text", "").strip() or request.FILES.get("file")):
            form = CheckForm(initial={"keep": False})
        elif form.is_valid():
            try:
                text = _posted_text(form)
                register = form.cleaned_data["register"]
                matcher = register_matcher_for(request) if register else None  # 403 / 429 first
                result = selectors.ppra_check_text(text=text, tenant=tenant, register_matcher=matcher)
                accepted = _accepted_index(request, len(result.findings))
                if accepted is not None:
                    text = apply_replacement(text, result.findings[accepted])
                    result = selectors.ppra_check_text(text=text, tenant=tenant, register_matcher=matcher)
                if "submit" in request.POST and accepted is None:
                    try:
                        linked = list(
                            selectors.draft_list_for_user(user=request.user).filter(
                                pk__in=_uuids(request.POST.getlist("linked"))
                            )
                        )
                        draft = services.draft_submit(
                            actor=request.user, title=request.POST.get("title", ""), text=text, linked=linked
                        )
                    except ValidationError as exc:
                        context["title_error"] = " ".join(exc.messages)
                    else:
                        return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
                stored = None
                if form.cleaned_data["keep"]:
                    stored = services.ppra_check_store(
                        actor=request.user, tenant=tenant, text=text, result=result, source=PpraCheck.Source.PAGE
                    )
                form = CheckForm(initial={"text": text, "keep": form.cleaned_data["keep"], "register": register})
                context.update(result=result, segments=segments(text, result.findings), stored=stored)
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="text")
    else:
        form = CheckForm()
    context["form"] = form
    context["title"] = request.POST.get("title", "")
    context["can_submit"] = policy.can(request.user, "publications.add_draft", tenant)
    context["can_cross_check"] = policy.can(request.user, "publications.register_cross_check", tenant)
    context["can_change_rules"] = policy.can(request.user, "publications.change_rules", tenant)
    if context["can_submit"]:
        context["linkable"] = selectors.draft_list_for_user(user=request.user)[:20]
    template = "publications/checker.html"
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#checker"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _photo_reports(request: HttpRequest, uploads) -> list[dict]:
    """One report per photo: faces, EXIF/GPS, and a link to a blurred copy without metadata."""
    reports = []
    for upload in uploads:
        data = upload.read(photo_checks.MAX_PHOTO_BYTES + 1)
        try:
            report = photo_checks.photo_check(data=data)
            token = photo_copies.keep(user_id=request.user.pk, data=photo_checks.blurred_copy(data=data))
        except ValidationError as exc:
            reports.append({"name": upload.name, "error": " ".join(exc.messages)})
            continue
        reports.append({"name": upload.name, "report": report, "token": token})
    return reports


@login_required
@require_http_methods(["GET"])
def photo_blurred(request: HttpRequest, token: str) -> HttpResponse:
    """The blurred copy of a photo this user just checked (15 minutes), as a download."""
    policy.require(request.user, "publications.use_checker", request.user.tenant)
    data = photo_copies.take(user_id=request.user.pk, token=token)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = 'attachment; filename="foto-disamarkan.jpg"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _posted_text(form: CheckForm) -> str:
    upload = form.cleaned_data.get("file")
    if upload:
        return extract_text(data=upload.read(), filename=upload.name)
    return services.validate_text(form.cleaned_data["text"])


def _uuids(values: list[str]) -> list[UUID]:
    out = []
    for value in values:
        try:
            out.append(UUID(value))
        except ValueError:
            continue
    return out


def _accepted_index(request: HttpRequest, count: int) -> int | None:
    raw = request.POST.get("accept", "")
    if raw.isascii() and raw.isdigit() and int(raw) < count:
        return int(raw)
    return None


def _posted_flags(request: HttpRequest) -> dict:
    """The reviewer's flags from the draft page (a bad date is a 400 with the form kept)."""
    import datetime as dt

    raw = request.POST.get("found_on", "").strip()
    try:
        found_on = dt.date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ValidationError({"found_on": ERROR_DATE}) from exc
    return {
        "lpsk_protected": request.POST.get("lpsk_protected") == "on",
        "perpetrator_at_large": request.POST.get("perpetrator_at_large") == "on",
        "missing_child": request.POST.get("missing_child") == "on",
        "found_on": found_on,
    }


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full page load (HX-Redirect), a plain 302 otherwise."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# ---- The review workflow ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@never_cache
def draft_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "publications.use_checker", request.user.tenant)
    drafts = selectors.draft_list_for_user(user=request.user)
    return render(request, "publications/draft_list.html", {"drafts": drafts})


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def draft_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    """One draft: the latest version highlighted, the diff with the one before, comments, and the
    author's revise form (accept suggestions, resubmit) or the reviewer's approve/return buttons."""
    draft = selectors.draft_get_for_user(user=request.user, pk=pk)
    versions = selectors.draft_versions(draft=draft)
    latest = versions[-1]
    text = latest.text
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "revise":
                posted = request.POST.get("text", "")
                result = selectors.draft_check(draft=draft, text=services.validate_text(posted))
                accepted = _accepted_index(request, len(result.findings))
                if accepted is not None:
                    policy.require(request.user, "publications.revise_draft", draft)
                    text = apply_replacement(posted, result.findings[accepted])
                else:
                    services.draft_revise(actor=request.user, draft=draft, text=posted)
                    return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
            elif action == "comment":
                services.draft_comment(actor=request.user, draft=draft, body=request.POST.get("body", ""))
                return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
            elif action == "flags":
                services.draft_set_flags(actor=request.user, draft=draft, **_posted_flags(request))
                return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
            elif action == "approve":
                services.draft_approve(actor=request.user, draft=draft)
                return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
            elif action == "return":
                services.draft_return(actor=request.user, draft=draft, reason=request.POST.get("body", ""))
                return _redirect(request, reverse("publications:draft_detail", args=[draft.pk]))
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            errors = exc.messages
            text = request.POST.get("text", text)
    result = selectors.draft_check(draft=draft, text=text)
    previous = versions[-2] if len(versions) > 1 else None
    context = {
        "draft": draft,
        "versions": versions,
        "latest": latest,
        "text": text,
        "result": result,
        "segments": segments(text, result.findings),
        "points": load_rules().points,
        "diff": selectors.version_diff(old=previous, new=latest) if previous else None,
        "previous": previous,
        "comments": draft.comments.select_related("author", "version"),
        "errors": errors,
        "can_revise": policy.can(request.user, "publications.revise_draft", draft),
        "can_review": policy.can(request.user, "publications.review_draft", draft),
        "can_comment": policy.can(request.user, "publications.comment_draft", draft),
        "can_flag": policy.can(request.user, "publications.flag_draft", draft),
        "flags": selectors.draft_flags(draft=draft),
    }
    return render(request, "publications/draft_detail.html", context, status=400 if errors else 200)
