"""Public JSON API of the report form and the status check: anonymous, throttled per IP.

The same rules as the HTML pages (views_public.py): the tracking code is returned once, only its
HMAC is stored, and the status answer holds the stage and nothing else.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from sinergi.core.parsers import JSONParser
from sinergi.tenants.models import Tenant

from . import services
from . import taxonomy as t
from .forms_public import AGE_GROUPS, public_intake_input, public_stage_label

PUBLIC_DESCRIPTION = "Public, no authentication. Throttled per IP address."
ERR_UNKNOWN_TENANT = "Unknown regency/city code."
NOT_FOUND_MESSAGE = "No report was found with this code in this regency/city."


class PublicReportThrottle(AnonRateThrottle):
    scope = "public_report"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_report"]


class PublicStatusThrottle(AnonRateThrottle):
    scope = "public_report_status"
    rate = "20/hour"


class PublicApi(APIView):
    authentication_classes: list = []
    # JSON only: a form-encoded body could be posted cross-site from any web page by visitors' browsers.
    parser_classes = [JSONParser]
    permission_classes = [AllowAny]


def _active_tenant(code: str) -> Tenant | None:
    return Tenant.objects.filter(code=code, is_active=True).select_related("regency").first()


class PublicReportInputSerializer(serializers.Serializer):
    tenant = serializers.CharField(max_length=5, help_text="Kemendagri code of the regency/city, e.g. 64.02.")
    what_happened = serializers.CharField(max_length=3000)
    district = serializers.CharField(
        required=False, allow_blank=True, max_length=8, help_text="Kemendagri code of the kecamatan."
    )
    age_group = serializers.ChoiceField(
        choices=[value for value, _label in AGE_GROUPS], required=False, allow_blank=True
    )
    sex = serializers.ChoiceField(choices=t.Sex.values, required=False, allow_blank=True)
    victim_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    consent = serializers.BooleanField(help_text="Must be true: the reporter agrees that the office uses the data.")

    def validate_tenant(self, value: str) -> Tenant:
        tenant = _active_tenant(value)
        if tenant is None:
            raise serializers.ValidationError(ERR_UNKNOWN_TENANT)
        return tenant

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Consent is required.")
        return value


class PublicReportOutputSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text="Shown once; keep it to check the stage later.")


class PublicStatusInputSerializer(serializers.Serializer):
    tenant = serializers.CharField(max_length=5)
    code = serializers.CharField(max_length=20)


class PublicStatusOutputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=t.Stage.values)
    label = serializers.CharField(help_text="The stage in plain words, in the request's language.")


class PublicReportApi(PublicApi):
    throttle_classes = [PublicReportThrottle]

    @extend_schema(
        auth=[],
        request=PublicReportInputSerializer,
        responses={201: PublicReportOutputSerializer},
        summary="Send a public report (no login)",
        description=PUBLIC_DESCRIPTION + " Returns a tracking code once; only its HMAC is stored.",
        tags=["public"],
        examples=[
            OpenApiExample(
                "Report",
                value={"tenant": "64.02", "what_happened": "A child next door is beaten every night.", "consent": True},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = PublicReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        data = public_intake_input(
            what_happened=d["what_happened"],
            district_code=d.get("district", ""),
            age_group=d.get("age_group", ""),
            sex=d.get("sex", ""),
            victim_name=d.get("victim_name", ""),
            reporter_name=d.get("reporter_name", ""),
            reporter_phone=d.get("reporter_phone", ""),
        )
        _case, code = services.public_report_submit(tenant=d["tenant"], data=data)
        return Response({"tracking_code": code}, status=status.HTTP_201_CREATED)


class PublicReportStatusApi(PublicApi):
    throttle_classes = [PublicStatusThrottle]

    @extend_schema(
        auth=[],
        request=PublicStatusInputSerializer,
        responses={200: PublicStatusOutputSerializer},
        summary="Stage of a public report, by tracking code (no login)",
        description=PUBLIC_DESCRIPTION + " Answers the stage only; an unknown code or regency is a 404.",
        tags=["public"],
    )
    def post(self, request):
        serializer = PublicStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = _active_tenant(serializer.validated_data["tenant"])
        stage = services.public_report_status(tenant=tenant, code=serializer.validated_data["code"]) if tenant else None
        if stage is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return Response({"stage": stage, "label": str(public_stage_label(stage))})
