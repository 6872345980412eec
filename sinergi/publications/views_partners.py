"""Media partners (the MoU signatories), their newsroom tokens and takedown/correction requests."""

import datetime as dt
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sinergi.core import policy

from . import selectors, services
from .models import TakedownRequest

ERROR_DATE = _("Enter a valid date.")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ValidationError({"signed_on": ERROR_DATE}) from exc


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def partner_list(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "publications.view_mediapartner", tenant)
    errors: list[str] = []
    if request.method == "POST":
        try:
            partner = services.media_partner_create(
                actor=request.user,
                tenant=tenant,
                name=request.POST.get("name", ""),
                signatories=request.POST.get("signatories", ""),
                signed_on=_date(request.POST.get("signed_on", "")),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return HttpResponseRedirect(reverse("publications:partner_detail", args=[partner.pk]))
    context = {
        "partners": selectors.media_partner_list_for_user(user=request.user),
        "can_manage": policy.can(request.user, "publications.manage_mediapartner", tenant),
        "errors": errors,
    }
    return render(request, "publications/partner_list.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def partner_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    partner = selectors.media_partner_get_for_user(user=request.user, pk=pk)
    errors: list[str] = []
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "token":
                _token, new_key = services.newsroom_token_create(
                    actor=request.user, partner=partner, name=request.POST.get("name", "")
                )
            elif action == "revoke":
                token = selectors.newsroom_token_get_for_user(user=request.user, pk=request.POST.get("token"))
                services.newsroom_token_revoke(actor=request.user, token=token)
            elif action == "takedown":
                services.takedown_request_create(
                    actor=request.user,
                    partner=partner,
                    kind=request.POST.get("kind", ""),
                    url=request.POST.get("url", ""),
                    points=[p for p in request.POST.getlist("points") if p.isascii() and p.isdigit()],
                    reason=request.POST.get("reason", ""),
                )
            elif action == "answer":
                item = selectors.takedown_get_for_user(user=request.user, pk=request.POST.get("request"))
                services.takedown_request_answer(
                    actor=request.user,
                    request=item,
                    status=request.POST.get("status", ""),
                    answer=request.POST.get("answer", ""),
                )
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "partner": partner,
        "tokens": partner.tokens.all(),
        "takedowns": partner.takedown_requests.all(),
        "new_key": new_key,
        "errors": errors,
        "can_manage": policy.can(request.user, "publications.manage_mediapartner", partner),
        "kinds": TakedownRequest.Kind.choices,
        "point_numbers": range(1, 13),
    }
    response = render(request, "publications/partner_detail.html", context, status=400 if errors else 200)
    response["Cache-Control"] = "no-store"  # a new key is shown once
    return response
