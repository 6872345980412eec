"""Intake: a new case, and the duplicate check while typing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.exceptions import Ratelimited

from sinergi.audit.services import record as audit
from sinergi.core import policy

from .. import selectors, services
from ..forms import (
    DuplicateCheckForm,
    IntakeCaseForm,
    IntakePerpetratorForm,
    IntakeReporterForm,
    IntakeVictimForm,
)
from ..limits import identity_lookup_allowed
from .common import MSG_CREATED

_VICTIM_ERROR_FIELDS = frozenset({"nik", "birth_date", "full_name", "sex", "age", "education"})


def _intake_errors(exc: ValidationError, case_form: IntakeCaseForm, victim_form: IntakeVictimForm) -> None:
    if not hasattr(exc, "error_dict"):
        case_form.add_error(None, exc.error_list)
        return
    for name, errors in exc.error_dict.items():
        if name in case_form.fields:
            case_form.add_error(name, errors)
        elif name in _VICTIM_ERROR_FIELDS:
            victim_form.add_error(name, errors)
        else:
            case_form.add_error(None, errors)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Intake by a case manager or the office head: the case, one victim, optional perpetrator and reporter."""
    user = request.user
    tenant = user.tenant
    policy.require(user, "cases.create_case", tenant)
    data = request.POST if request.method == "POST" else None
    regency = tenant.regency_id
    case_form = IntakeCaseForm(data, regency=regency)
    victim_form = IntakeVictimForm(
        data, regency=regency, duplicate_check=policy.can(user, "cases.check_duplicates", tenant)
    )
    perpetrator_form = IntakePerpetratorForm(data)
    reporter_form = IntakeReporterForm(data)
    all_forms = (case_form, victim_form, perpetrator_form, reporter_form)
    if data is not None and all([f.is_valid() for f in all_forms]):
        people = [victim_form.person_input()]
        if perpetrator_form.is_filled():
            people.append(perpetrator_form.person_input())
        if reporter_form.is_filled():
            people.append(reporter_form.person_input())
        try:
            case = services.case_intake(actor=user, tenant=tenant, data=case_form.intake_input(people))
        except ValidationError as exc:
            _intake_errors(exc, case_form, victim_form)
        else:
            messages.success(request, MSG_CREATED % {"number": case.number})
            for warning in selectors.case_category_warnings(case=case):
                messages.warning(request, warning)
            return redirect("cases:detail", pk=case.pk)
    context = {
        "case_form": case_form,
        "victim_form": victim_form,
        "perpetrator_form": perpetrator_form,
        "reporter_form": reporter_form,
        "has_errors": data is not None and any(f.errors for f in all_forms),
        "intake_forms": all_forms,  # one error summary for the four forms
    }
    return render(request, "cases/intake.html", context)


@login_required
@never_cache
@require_POST
def case_duplicates(request: HttpRequest) -> HttpResponse:
    """Warn that a person may already be known, naming only cases the user may already see."""
    user = request.user
    policy.require(user, "cases.check_duplicates", user.tenant)
    if not identity_lookup_allowed(request):
        raise Ratelimited
    data = request.POST.copy()
    for name in ("nik", "full_name", "birth_date"):  # plain names from API-like clients
        if name in data and f"victim-{name}" not in data:
            data[f"victim-{name}"] = data[name]
    form = DuplicateCheckForm(data)
    count, numbers = 0, []
    if form.is_valid() and form.has_key():
        d = form.cleaned_data
        count, numbers = selectors.duplicate_matches(
            user=user, tenant=user.tenant, nik=d["nik"], name=d["full_name"], birth_date=d["birth_date"]
        )
        audit(
            actor=user,
            action="case.duplicates_checked",
            fields=["nik"] if d["nik"] else ["full_name", "birth_date"],
            extra={"matches": count},
        )
    return render(request, "cases/partials/_case_duplicates.html", {"count": count, "numbers": numbers})
