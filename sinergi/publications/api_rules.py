"""The tenant's PPRA rule additions and the reviewer's flags on a draft, over the API.

- `GET/PUT /api/v1/publications/rules/`: a tenant admin (office head, system administrator) reads or
  replaces the added words, its own patterns and per-point severities (audited; a bad pattern is a 400
  and nothing is written).
- `POST /api/v1/publications/drafts/<id>/flags/`: a reviewer marks LPSK protection, a perpetrator at
  large, or a missing child and the date found (PPRA points 6, 7, 9).
"""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy

from . import selectors, services
from .api import DraftSerializer, _draft_body
from .ppra.rules import EXTENSIBLE_LISTS, SEVERITIES


@extend_schema_serializer(component_name="PpraTenantPattern")
class PatternSerializer(serializers.Serializer):
    pattern = serializers.CharField(max_length=200, help_text="A Python regular expression (case-insensitive).")
    point = serializers.IntegerField(min_value=1, max_value=12)
    severity = serializers.ChoiceField(choices=SEVERITIES)
    why = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    suggestion = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


@extend_schema_serializer(component_name="PpraRuleSet")
class RulesSerializer(serializers.Serializer):
    lists = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=80)),
        help_text="Added words or phrases per list; list names: " + ", ".join(EXTENSIBLE_LISTS) + ".",
    )
    patterns = PatternSerializer(many=True, required=False, default=list)
    weights = serializers.DictField(
        child=serializers.ChoiceField(choices=SEVERITIES),
        required=False,
        default=dict,
        help_text='Severity per PPRA point for every finding of that point, e.g. {"5": "advice"}.',
    )
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


def _rules_body(tenant) -> dict:
    rule_set = selectors.ppra_rule_set(tenant=tenant)
    extra = dict(rule_set.extra or {}) if rule_set else {}
    return {
        "patterns": extra.pop("patterns", []),
        "weights": extra.pop("weights", {}),
        "lists": extra,
        "updated_at": rule_set.updated_at if rule_set else None,
    }


class RulesApi(APIView):
    """The tenant's additions to the vendored PPRA rules."""

    @extend_schema(tags=["publications"], summary="The tenant's PPRA rule additions", responses=RulesSerializer)
    def get(self, request: Request) -> Response:
        policy.require(request.user, "publications.change_rules", request.user.tenant)
        return Response(RulesSerializer(_rules_body(request.user.tenant)).data)

    @extend_schema(
        tags=["publications"],
        summary="Replace the tenant's PPRA rule additions",
        request=RulesSerializer,
        responses=RulesSerializer,
    )
    def put(self, request: Request) -> Response:
        tenant = request.user.tenant
        policy.require(request.user, "publications.change_rules", tenant)
        data = RulesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        extra = {**v["lists"], "patterns": [dict(p) for p in v["patterns"]], "weights": dict(v["weights"])}
        services.ppra_rules_update(actor=request.user, tenant=tenant, extra=extra)
        return Response(RulesSerializer(_rules_body(tenant)).data)


@extend_schema_serializer(component_name="PpraDraftFlags")
class FlagsSerializer(serializers.Serializer):
    lpsk_protected = serializers.BooleanField(default=False, help_text="The child is under LPSK protection.")
    perpetrator_at_large = serializers.BooleanField(default=False, help_text="The perpetrator is not arrested yet.")
    missing_child = serializers.BooleanField(default=False, help_text="The story is about a missing child.")
    found_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Date found.")


class DraftFlagsApi(APIView):
    """A reviewer sets what the text cannot say about the story; they count for linked drafts too."""

    @extend_schema(
        tags=["publications"],
        summary="Set the reviewer's flags on a draft",
        request=FlagsSerializer,
        responses=DraftSerializer,
    )
    def post(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        data = FlagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.draft_set_flags(actor=request.user, draft=draft, **data.validated_data)
        return Response(_draft_body(draft.pk))
