"""Logging with the request id on every record, an optional JSON format, and error reports without identities."""

import json
import logging
from datetime import UTC, datetime

from django.views.debug import SafeExceptionReporterFilter

from .context import current_meta


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (from RequestIdMiddleware, "-" outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_meta().request_id or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for attr in ("status_code",):
            if hasattr(record, attr):
                entry[attr] = getattr(record, attr)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class NoPiiExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (ADMINS e-mails, the debug page) show code and stack, never a form value or a local variable:
    both may hold a child's name or NIK (UU SPPA art. 19)."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []
