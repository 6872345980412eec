"""Public JSON of the ILA figures (no authentication, not throttled per IP: served from the cache)."""

import json

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from sinergi.tenants.models import Tenant

from .public import public_rendered

ERR_UNKNOWN_TENANT = "Unknown regency/city code."


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class _ShownField(serializers.Field):
    """The count itself when it is published (an integer), else the label that replaces it (a string)."""


_cell = inline_serializer(
    "IlaCell",
    {
        "value": serializers.IntegerField(allow_null=True, help_text="The count, or null when it is suppressed."),
        "shown": _ShownField(help_text="What the page shows: the count, '<5' (1 to the threshold) or '*'."),
        "reason": serializers.ChoiceField(
            choices=["primary", "secondary", "group"], required=False, help_text="Why a cell is suppressed."
        ),
    },
)
_table = inline_serializer(
    "IlaTable",
    {
        "period": serializers.CharField(help_text="2026 (the year's completed quarters) or 2026-Q1."),
        "label": serializers.CharField(),
        "rows": inline_serializer(
            "IlaRow",
            {
                "code": serializers.CharField(help_text="Kemendagri code of the kecamatan ('' = not recorded)."),
                "name": serializers.CharField(),
                "cells": _cell.__class__(many=True),
                "total": _cell.__class__(),
            },
            many=True,
        ),
        "col_totals": _cell.__class__(many=True),
        "total": _cell.__class__(),
    },
)
IlaFiguresSerializer = inline_serializer(
    "IlaFigures",
    {
        "tenant": inline_serializer("IlaTenant", {"code": serializers.CharField(), "name": serializers.CharField()}),
        "categories": inline_serializer(
            "IlaCategory", {"key": serializers.CharField(), "label": serializers.CharField()}, many=True
        ),
        "rules": inline_serializer(
            "IlaRules",
            {
                "threshold": serializers.IntegerField(),
                "threshold_sexual": serializers.IntegerField(),
                "protection": serializers.IntegerField(),
            },
        ),
        "years": inline_serializer(
            "IlaYear", {"year": serializers.IntegerField(), "tables": _table.__class__(many=True)}, many=True
        ),
    },
)


class PublicIlaFiguresApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Mobile carriers put thousands of people behind one address: public reading is cached, not throttled.
    throttle_classes: list = []

    @extend_schema(
        auth=[],
        responses={200: IlaFiguresSerializer},
        summary="Published case figures per kecamatan (no login)",
        description=(
            "Public, no authentication, not throttled. Completed quarters and the year so far, per kecamatan "
            "and category, after disclosure control: counts from 1 to the threshold and every cell that "
            "would let them be computed are null, with the reason. The same figures as /ila/<code>/."
        ),
        tags=["public"],
    )
    def get(self, request, code: str):
        tenant = Tenant.objects.filter(code=code, is_active=True).first()
        if tenant is None:
            raise NotFound(ERR_UNKNOWN_TENANT)
        # The same bytes as /ila/<code>/angka.json, rendered once per edition of the figures.
        body = public_rendered(
            tenant=tenant, kind="json", render=lambda figures: json.dumps(figures, ensure_ascii=False).encode()
        )
        return HttpResponse(body, content_type="application/json")
