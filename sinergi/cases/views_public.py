"""The public report form and the status check (no login; mounted at /lapor/).

Works on a cheap phone without JavaScript. Rate limited per IP; a honeypot and a signed start time
stop simple bots. The tracking code is shown once and only its HMAC is stored; the status page
shows the stage in plain words and nothing else (no case number, no dates, no names).
"""

import secrets

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from sinergi.core.forms import add_service_errors
from sinergi.tenants.models import Tenant

from . import services
from .forms_public import (
    PublicReportForm,
    PublicStatusForm,
    active_tenants,
    public_stage_label,
    started_age,
    started_token,
)

SESSION_CODE_KEY = "public_report_code"
SAPA_HOTLINE = "129"
SAPA_WHATSAPP = "08111-129-129"


def hotline_context() -> dict:
    """The numbers templates/cases/public/_hotline.html shows as tel: and WhatsApp (wa.me) links."""
    digits = "".join(c for c in SAPA_WHATSAPP if c.isdigit())
    international = "62" + digits[1:] if digits.startswith("0") else digits
    return {"sapa_hotline": SAPA_HOTLINE, "sapa_whatsapp": SAPA_WHATSAPP, "sapa_whatsapp_link": international}


REPORT_RATE = "5/h"
STATUS_RATE = "20/h"


def _fake_code() -> str:
    """What a bot that filled the honeypot is shown: looks like a code, tracks nothing."""
    code = "".join(secrets.choice(services.TRACKING_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _hotline() -> dict:
    return hotline_context()


def _report(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if request.method == "POST":
        form = PublicReportForm(request.POST, tenant=tenant)
        if form.is_trap_filled:
            # Same answer as a real report, so a bot learns nothing; no case is created.
            request.session[SESSION_CODE_KEY] = _fake_code()
            return redirect("public:thanks")
        if form.is_valid():
            try:
                _case, code = services.public_report_submit(tenant=tenant, data=form.intake_input())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[SESSION_CODE_KEY] = code
                return redirect("public:thanks")
        # Keep the first start time while it is valid: fixing one field must not trip the speed check.
        started = (
            request.POST["started"] if started_age(request.POST.get("started", "")) is not None else started_token()
        )
    else:
        form = PublicReportForm(tenant=tenant)
        started = started_token()
    context = {"form": form, "tenant": tenant, "started": started, **_hotline()}
    return render(request, "cases/public/report.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=REPORT_RATE, method="POST", block=True)
def report(request: HttpRequest) -> HttpResponse:
    """/lapor/: the form itself when one regency runs Sinergi here, otherwise the list of regencies."""
    tenants = list(active_tenants())
    if len(tenants) == 1:
        return _report(request, tenants[0])
    if request.method == "POST":
        return redirect("public:report")
    return render(request, "cases/public/choose.html", {"tenants": tenants, **_hotline()})


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=REPORT_RATE, method="POST", block=True)
def report_for(request: HttpRequest, code: str) -> HttpResponse:
    """/lapor/<kemendagri code>/: the form of one regency."""
    tenant = active_tenants().filter(code=code).first()
    if tenant is None:
        raise Http404
    return _report(request, tenant)


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """The tracking code, shown once (taken out of the session as it is displayed)."""
    code = request.session.pop(SESSION_CODE_KEY, None)
    return render(request, "cases/public/thanks.html", {"code": code, **_hotline()})


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=STATUS_RATE, method="POST", block=True)
def status(request: HttpRequest) -> HttpResponse:
    """The stage of a report, in plain words, for whoever holds its tracking code. Nothing else."""
    form = PublicStatusForm(request.POST if request.method == "POST" else None)
    looked_up = False
    stage_label = None
    if request.method == "POST" and form.is_valid():
        tenant = form.cleaned_data["tenant"]
        stage = services.public_report_status(tenant=tenant, code=form.cleaned_data["code"])
        looked_up = True
        stage_label = public_stage_label(stage) if stage else None
        # The code is not echoed back into the page (a shared phone, a screenshot...).
        form = PublicStatusForm(initial={"tenant": tenant.code})
    context = {"form": form, "looked_up": looked_up, "stage_label": stage_label, **_hotline()}
    return render(request, "cases/public/status.html", context)
