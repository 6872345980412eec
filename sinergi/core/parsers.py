"""Request parsers shared by every API view (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"])."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Our deepest real body (a case intake: object → people → person → disabilities) has 4 levels.
MAX_JSON_DEPTH = 32
JSON_TOO_DEEP = _("The JSON body is nested too deeply (at most %(max)s levels).")


def json_depth_exceeds(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests lists/objects deeper than `limit` (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing deep nesting with a 400 instead of a RecursionError (a 500).

    Python's decoder recurses once per level: 100,000 nested arrays exhaust the stack; a body a little
    under the interpreter's limit would still reach serializers and renderers that recurse too.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(JSON_TOO_DEEP % {"max": MAX_JSON_DEPTH}) from None
        if json_depth_exceeds(data):
            raise ParseError(JSON_TOO_DEEP % {"max": MAX_JSON_DEPTH})
        return data
