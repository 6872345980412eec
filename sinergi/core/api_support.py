"""Helpers every app's API views use: parse input with a serializer, paginate, and document the error
responses. Kept apart from api.py, which DRF's settings import (IsAuthenticatedVerified, the paginator)
before `rest_framework.views` is ready: importing APIView there would be a cycle."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .schema import ErrorOutputSerializer

ERROR_TEXT = {
    400: "Invalid input; field errors are in `error.details`.",
    403: "Visible to you, but this action is not allowed for you (or not in this state).",
    404: "Missing, or not visible to you (the two look the same).",
    429: "Too many requests; retry later.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an endpoint, for `extend_schema(responses={...})`."""
    return {code: OpenApiResponse(ErrorOutputSerializer, description=ERROR_TEXT[code]) for code in codes}


def validated_input(serializer_class: type[serializers.Serializer], data: Any) -> dict:
    """The serializer's validated data, or a 400 with the field errors."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def validated_query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """Validate query parameters (single values only; lists are read with getlist by the view)."""
    return validated_input(serializer_class, {k: v for k, v in request.query_params.items()})


def paginated(
    view: APIView, request: Request, queryset: Iterable, render: Callable[[Any], Any], **paging: Any
) -> Response:
    """One page of `queryset`, each item through `render`, with the view's paginator. `paging`: the
    DeferredJoinPaginator's `ids` and `rows` (how the list's keys and a page's rows are read)."""
    paginator = view.pagination_class()  # type: ignore[attr-defined]
    if paging:
        paginator.django_paginator_class = partial(paginator.django_paginator_class, **paging)
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response([render(item) for item in page])


def iso_or_none(value: Any) -> str | None:
    """A date or datetime in ISO 8601, or None when it is not set."""
    return value.isoformat() if value else None


def optional_text(max_length: int, **kwargs: Any) -> serializers.CharField:
    """An optional text input that defaults to ""."""
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


def optional_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """An optional choice input that defaults to ""."""
    return serializers.ChoiceField(choices, required=False, allow_blank=True, default="", **kwargs)
