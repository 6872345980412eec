"""The PPRA checker page: paste a text or upload a file, see the findings highlighted, accept a
suggestion (the text is re-checked), and optionally keep the check. htmx swaps the checker block;
without JavaScript the same form posts and the whole page comes back."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.forms import add_service_errors

from . import selectors, services
from .forms import CheckForm
from .highlight import apply_replacement, segments
from .models import PpraCheck
from .ppra.files import extract_text
from .ppra.rules import load_rules


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
        if form.is_valid():
            try:
                text = _posted_text(form)
                result = selectors.ppra_check_text(text=text, tenant=tenant)
                accepted = _accepted_index(request, len(result.findings))
                if accepted is not None:
                    text = apply_replacement(text, result.findings[accepted])
                    result = selectors.ppra_check_text(text=text, tenant=tenant)
                stored = None
                if form.cleaned_data["keep"]:
                    stored = services.ppra_check_store(
                        actor=request.user, tenant=tenant, text=text, result=result, source=PpraCheck.Source.PAGE
                    )
                form = CheckForm(initial={"text": text, "keep": form.cleaned_data["keep"]})
                context.update(result=result, segments=segments(text, result.findings), stored=stored)
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="text")
    else:
        form = CheckForm()
    context["form"] = form
    template = "publications/checker.html"
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#checker"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _posted_text(form: CheckForm) -> str:
    upload = form.cleaned_data.get("file")
    if upload:
        return extract_text(data=upload.read(), filename=upload.name)
    return services.validate_text(form.cleaned_data["text"])


def _accepted_index(request: HttpRequest, count: int) -> int | None:
    raw = request.POST.get("accept", "")
    if raw.isascii() and raw.isdigit() and int(raw) < count:
        return int(raw)
    return None
