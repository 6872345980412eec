"""OpenAPI generation: every error an operation can answer is documented, with the shared body.

Error bodies come from sinergi/core/api_errors.py (DRF views) and error_views.py (Django's handlers);
operations only declare what is special to them (e.g. a 403 for a state rule), the rest is derived
here from what the operation takes: authentication, path values, query parameters, a body.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorOutputSerializer(serializers.Serializer):
    """The shared error body (sinergi/core/api_errors.py)."""

    class ErrorBodySerializer(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        details = serializers.DictField(help_text="Field name → list of messages (validation errors).")

        class Meta:
            ref_name = "ErrorBody"

    error = ErrorBodySerializer()

    class Meta:
        ref_name = "Error"


ERROR_TEXT = {
    "400": "Invalid input; field errors are in `error.details`.",
    "401": "Not authenticated: no session, or a missing, invalid or expired token.",
    "403": "Not allowed for you (or a session without a verified second factor).",
    "404": "Missing, or not visible to you (the two look the same).",
    "429": "Too many requests; retry after the number of seconds in `Retry-After`.",
    "503": "Briefly unavailable (e.g. the database restarts); retry after `Retry-After` seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        content = {"application/json": {"schema": self.resolve_serializer(ErrorOutputSerializer, "response").ref}}
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {"description": ERROR_TEXT[code]})
        for code, response in responses.items():
            if code[0] in "45":
                response.setdefault("content", content)
                response["description"] = response.get("description") or ERROR_TEXT.get(code, "Error.")
                if code in ("429", "503"):
                    response.setdefault("headers", RETRY_AFTER)
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        codes = ["503"]
        parameters = operation.get("parameters", [])
        if operation.get("requestBody") or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if operation.get("security"):
            codes += ["401", "403"]
        # A path value that is missing, invisible or malformed, or a page past the last one.
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes
