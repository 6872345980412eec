"""Check-in from the QR link: a signed-in user of the tenant is recognised; anyone else (a partner
without an account) gives name, position and organisation. No login required, the code is the key."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from sinergi.core.forms import add_service_errors

from . import services
from .forms import CheckinForm
from .models import Meeting


@never_cache
@ratelimit(key="ip", rate="60/m", method="POST", block=True)
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = Meeting.objects.filter(pk=pk).select_related("tenant").first()
    if meeting is None:
        raise Http404
    user = request.user if request.user.is_authenticated and request.user.tenant_id == meeting.tenant_id else None
    code = request.POST.get("code") if request.method == "POST" else request.GET.get("c", "")
    try:
        services.checkin_code_check(
            meeting=meeting,
            code=code,
            max_age=services.attendance.CODE_SUBMIT_SECONDS
            if request.method == "POST"
            else services.attendance.CODE_OPEN_SECONDS,
        )
    except ValidationError as exc:
        # Nothing about the meeting is shown to a holder of an invalid code.
        return render(request, "taskforces/checkin_invalid.html", {"message": exc.messages[0]}, status=400)
    form = CheckinForm(request.POST or None, initial={"code": code})
    if user is not None:
        form.fields["name"].required = False
    attendance = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            attendance, _created = services.attendance_checkin(
                meeting=meeting,
                code=d["code"],
                user=user,
                name=d["name"],
                position=d["position"],
                organisation=d["organisation"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    status = 400 if request.method == "POST" and attendance is None else 200
    return render(
        request,
        "taskforces/checkin.html",
        {"meeting": meeting, "form": form, "attendance": attendance, "known_user": user},
        status=status,
    )
