"""The office's own Word templates for the invitation and the minutes: list, upload (validated), download,
back to the default. Secretariat only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import policy
from sinergi.core.forms import add_service_errors, flash_service_result

from . import selectors, services
from .forms import LetterTemplateForm
from .models import LetterTemplateKind
from .services.templates import DEFAULT_FILES, SAMPLE_CONTEXTS, template_source

MSG_UPLOADED = _("Template saved: letters use it from now on.")
MSG_RESET = _("Back to the default template.")


def _page(request: HttpRequest, form: LetterTemplateForm, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "rows": selectors.letter_templates_for_user(user=user),
        "form": form,
        "fields": {kind: sorted(SAMPLE_CONTEXTS[kind]) for kind in LetterTemplateKind.values},
    }
    return render(request, "taskforces/templates.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def letter_templates(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "taskforces.manage_templates", request.user.tenant)
    if request.method == "GET":
        return _page(request, LetterTemplateForm())
    form = LetterTemplateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.template_upload(
                actor=request.user,
                tenant=request.user.tenant,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_UPLOADED)
            return redirect("taskforces:letter_templates")
    return _page(request, form, status=400)


@login_required
@require_POST
def letter_template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LetterTemplateKind.values:
        raise Http404
    flash_service_result(
        request,
        lambda: services.template_reset(actor=request.user, tenant=request.user.tenant, kind=kind),
        MSG_RESET,
    )
    return redirect("taskforces:letter_templates")


@login_required
@require_GET
def letter_template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The template in use (the office's current version or the default), to edit in Word."""
    if kind not in LetterTemplateKind.values:
        raise Http404
    policy.require(request.user, "taskforces.manage_templates", request.user.tenant)
    source = template_source(tenant=request.user.tenant, kind=kind)
    data = source if isinstance(source, bytes) else source.read_bytes()
    response = HttpResponse(data, content_type=services.letters.MIME_DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"template-{DEFAULT_FILES[kind]}")
    response["Cache-Control"] = "private, no-store"
    return response
