"""The tenant's settings page: letterhead, letter numbering, signatories, zone, deadlines, thresholds."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core import letters, policy
from sinergi.core.forms import add_service_errors

from . import services
from .forms import SignatoryForm, TenantSettingsForm
from .models import Signatory

MSG_SAVED = _("Settings saved.")
SAMPLE_DAY = dt.date(2026, 1, 1)  # the sample letter shows the pattern, never a number taken
MSG_SIGNATORY = _("Signatory saved.")
MSG_SIGNATORY_REMOVED = _("Signatory removed.")


def _page(request: HttpRequest, form: TenantSettingsForm, signatory_form: SignatoryForm, status: int = 200):
    tenant = request.user.tenant
    context = {
        "form": form,
        "signatory_form": signatory_form,
        "signatories": Signatory.objects.filter(tenant=tenant, is_active=True),
        "tenant": tenant,
        "sample_number": tenant.letter_number_pattern,
    }
    return render(request, "tenants/settings.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tenant_settings(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "tenants.change_tenant_settings", tenant)
    form = TenantSettingsForm(request.POST or None, request.FILES or None, instance=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.tenant_settings_update(
                actor=request.user, tenant=tenant, changes=form.changes(), logo=form.logo_bytes()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("tenant_settings:edit")
    return _page(request, form, SignatoryForm(), status=400 if form.errors else 200)


@login_required
@require_POST
def signatory_add(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "tenants.change_tenant_settings", tenant)
    form = SignatoryForm(request.POST)
    if form.is_valid():
        try:
            services.signatory_save(actor=request.user, tenant=tenant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SIGNATORY)
            return redirect("tenant_settings:edit")
    return _page(request, TenantSettingsForm(instance=tenant), form, status=400)


@login_required
@require_POST
def signatory_deactivate(request: HttpRequest, pk: UUID) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "tenants.change_tenant_settings", tenant)
    signatory = Signatory.objects.filter(pk=pk, tenant=tenant, is_active=True).first()
    if signatory is None:
        raise Http404
    services.signatory_deactivate(actor=request.user, signatory=signatory)
    messages.success(request, MSG_SIGNATORY_REMOVED)
    return redirect("tenant_settings:edit")


@login_required
@require_GET
def letter_sample(request: HttpRequest) -> HttpResponse:
    """A sample letter on the letterhead, to check the kop surat and the signature block."""
    tenant = request.user.tenant
    policy.require(request.user, "tenants.change_tenant_settings", tenant)
    signatory = Signatory.objects.filter(tenant=tenant, is_active=True).first()
    data = letters.render_letter_pdf(
        template="tenants/letter_sample.html",
        tenant=tenant,
        context={},
        signatory=signatory,
        number=services.letter_number_format(tenant=tenant, seq=0, day=SAMPLE_DAY),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="contoh-surat.pdf"'
    response["Cache-Control"] = "no-store"
    return response
