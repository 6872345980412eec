"""Form helpers shared by every app's thin views."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest


def add_service_errors(form: Form, exc: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's ValidationError on the matching form fields (`default_field`, else a non-field
    error, for the rest), so the page shows the service's message where the user typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, exc.error_list)


def flash_service_result(request: HttpRequest, call: Callable[[], Any], success: Callable[[Any], str] | str) -> bool:
    """For a view that redirects after a POST: run the service `call`; show its ValidationError messages,
    or `success` (a message, or a function of the call's result), as flash messages. True when it ran."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


class FormRenderer(TemplatesSetting):
    """The project's form renderer (settings.FORM_RENDERER): every field rendered with
    `{{ field.as_field_group }}` (and every `{{ form }}`) goes through one template,
    `templates/core/forms/field.html`, whose help and error ids are the ones Django's
    `aria-describedby` names (`<id>_helptext`, `<id>_error`)."""

    field_template_name = "core/forms/field.html"
