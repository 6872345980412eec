"""PPRA checker API: the same engine and output as the page and `manage.py ppra_check`.

- `POST /api/v1/publications/check/`: a signed-in user (session or personal token) of the tenant.
- `POST /api/v1/publications/newsroom/check/`: a media partner's newsroom token only, rate limited per
  token. The text is not stored unless `store` is true.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sinergi.core import policy

from . import selectors, services
from .authentication import HasNewsroomToken, NewsroomTokenAuthentication
from .models import PpraCheck
from .ppra.files import MAX_TEXT_CHARS, extract_text

TEXT_HELP = "The text to check (UTF-8, at most 200,000 characters). Alternatively upload `file` (multipart)."
STORE_HELP = "Keep the text and its findings for the office (default false: nothing is stored)."


class CheckInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, trim_whitespace=False, max_length=MAX_TEXT_CHARS, help_text=TEXT_HELP)
    file = serializers.FileField(required=False, help_text="TXT (UTF-8), DOCX or PDF, at most 5 MB.")
    store = serializers.BooleanField(required=False, default=False, help_text=STORE_HELP)

    def validate(self, attrs):
        if not (attrs.get("text") or "").strip() and not attrs.get("file"):
            raise ValidationError({"text": ["Send a text or a file."]})
        return attrs


@extend_schema_serializer(component_name="PpraFinding")
class FindingSerializer(serializers.Serializer):
    point = serializers.IntegerField(min_value=1, max_value=12, help_text="PPRA point (Dewan Pers 1/2019), 1-12.")
    severity = serializers.ChoiceField(choices=["block", "warn", "advice"])
    start = serializers.IntegerField(min_value=0, help_text="Offset of the first character in the text.")
    end = serializers.IntegerField(min_value=0, help_text="Offset after the last character.")
    text = serializers.CharField(help_text="The flagged part of the text (text[start:end]).")
    why = serializers.CharField(help_text="Why it was flagged, in Indonesian.")
    suggestion = serializers.CharField(help_text="A safer wording, in Indonesian.")


@extend_schema_serializer(
    component_name="PpraCheckResult",
    examples=[
        OpenApiExample(
            "A child's name in a case story",
            value={
                "verdict": "block",
                "findings": [
                    {
                        "point": 1,
                        "severity": "block",
                        "start": 7,
                        "end": 12,
                        "text": "Melati",
                        "why": "Nama anak dalam berita kasus.",
                        "suggestion": "Ganti dengan inisial.",
                    }
                ],
                "id": None,
            },
        )
    ],
)
class CheckOutputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["block", "warn", "ok"])
    findings = FindingSerializer(many=True)
    id = serializers.UUIDField(allow_null=True, help_text="The stored check, when `store` was true.")


def _text_of(data: dict) -> str:
    upload = data.get("file")
    try:
        if upload:
            return extract_text(data=upload.read(), filename=upload.name)
        return services.validate_text(data["text"])
    except DjangoValidationError as exc:
        raise ValidationError({"text": exc.messages}) from exc


def _answer(result, stored: PpraCheck | None) -> Response:
    body = {**result.as_json(), "id": stored.pk if stored else None}
    return Response(CheckOutputSerializer(body).data, status=status.HTTP_200_OK)


class PpraCheckApi(APIView):
    """Check a text against the PPRA (signed-in users of the tenant who write or review texts)."""

    @extend_schema(
        tags=["publications"],
        summary="Check a text against the PPRA",
        request={"application/json": CheckInputSerializer, "multipart/form-data": CheckInputSerializer},
        responses=CheckOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        tenant = request.user.tenant
        policy.require(request.user, "publications.use_checker", tenant)
        data = CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = _text_of(data.validated_data)
        result = selectors.ppra_check_text(text=text, tenant=tenant)
        stored = None
        if data.validated_data["store"]:
            stored = services.ppra_check_store(
                actor=request.user, tenant=tenant, text=text, result=result, source=PpraCheck.Source.API
            )
        return _answer(result, stored)


class NewsroomThrottle(SimpleRateThrottle):
    """Per newsroom token (not per address: a newsroom's editors share one)."""

    scope = "newsroom"
    rate = "60/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": str(request.auth.pk)}


class NewsroomCheckApi(APIView):
    """Check a text for a media partner's newsroom (newsroom token; nothing stored unless asked)."""

    authentication_classes = [NewsroomTokenAuthentication]
    permission_classes = [HasNewsroomToken]
    throttle_classes = [NewsroomThrottle]

    @extend_schema(
        tags=["publications"],
        summary="Newsroom: check a text against the PPRA",
        request={"application/json": CheckInputSerializer, "multipart/form-data": CheckInputSerializer},
        responses=CheckOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        token = request.auth
        data = CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = _text_of(data.validated_data)
        partner = token.partner
        result = selectors.ppra_check_text(text=text, tenant=partner.tenant)
        stored = None
        if data.validated_data["store"]:
            stored = services.ppra_check_store(
                actor=None,
                tenant=partner.tenant,
                text=text,
                result=result,
                source=PpraCheck.Source.NEWSROOM,
                partner=partner,
            )
        return _answer(result, stored)
