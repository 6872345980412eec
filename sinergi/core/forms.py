"""Form helpers shared by every app's thin views."""

from django.core.exceptions import ValidationError
from django.forms import Form


def add_service_errors(form: Form, exc: ValidationError, *, default_field: str | None = None) -> None:
    """Put a service's ValidationError on the matching form fields (`default_field`, else a non-field
    error, for the rest), so the page shows the service's message where the user typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, exc.error_list)
