"""JSON API of the KLA workspace (under /api/v1/kla/), through the same selectors, services and policy as
the pages: an OPD officer sees only its own agency's items (404 elsewhere)."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.accounts.models import User
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import error_responses, iso_or_none, optional_text, paginated, validated_input
from sinergi.core.parsers import JSONParser  # refuses deep nesting with a 400 (DRF's own: a RecursionError)
from sinergi.documents.selectors import document_get_for_user
from sinergi.jobs import services as job_services
from sinergi.tenants.models import Agency

from .. import scoring, selectors
from ..jobs import KLA_PACKAGE
from ..models import ActivityStatus, DeadlineKind, EvidenceType, Indicator, RadActivity, RegulationKind, ReviewStatus
from ..services import workspace as services

# The response of a GET that answers a JSON array of objects (drf-spectacular's `dict` documents one object).
OBJECT_LIST = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}


def _item_out(item) -> dict:
    return {
        "id": str(item.pk),
        "indicator": item.indicator.code,
        "indicator_id": str(item.indicator_id),
        "agency_id": str(item.agency_id),
        "agency": item.agency.short_name,
        "evidence_type": item.evidence_type,
        "title": item.title,
        "number": item.number,
        "dated_on": iso_or_none(item.dated_on),
        "doc_year": item.doc_year,
        "description": item.description,
        "is_signed": item.is_signed,
        "status": item.status,
        "regulation_id": str(item.regulation_id) if item.regulation_id else None,
        "document_id": str(item.document_id) if item.document_id else None,
        "is_linked": bool(item.document and item.document.linked_from_id),
        "reviews": [
            {"decision": r.decision, "comment": r.comment, "at": iso_or_none(r.created_at)} for r in item.reviews.all()
        ],
    }


def _score_out(score: scoring.YearScore) -> dict:
    def band(b):
        return b.name if b else None

    return {
        "year": score.year.year,
        "completeness": score.completeness,
        "self_total": str(score.self_total),
        "predicted_total": str(score.predicted_total),
        "max_total": score.max_total,
        "self_band": band(score.self_band),
        "predicted_band": band(score.predicted_band),
        "clusters": [
            {
                "code": c.code,
                "title": c.title,
                "max_points": c.max_points,
                "self_points": str(c.self_points),
                "predicted": str(c.predicted),
                "completeness": c.completeness,
                "indicators": [
                    {
                        "id": str(i.indicator.pk),
                        "code": i.indicator.code,
                        "points": i.indicator.points,
                        "self_points": str(i.self_points),
                        "predicted": str(i.predicted),
                        "completeness": i.completeness,
                        "missing": i.missing,
                        "agencies": [name for _id, name in i.agencies],
                        "checks": [{"key": ch.key, "passed": ch.passed, "applies": ch.applies} for ch in i.checks],
                    }
                    for i in c.indicators
                ],
            }
            for c in score.clusters
        ],
        "raises_most": [
            {"code": i.indicator.code, "at_stake": str(i.at_stake), "missing": i.missing} for i in score.raises_most()
        ],
    }


class IndicatorListApi(APIView):
    @extend_schema(
        operation_id="kla_indicators_list",
        summary="The year's indicators I may open (the tree)",
        responses={200: dict, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        rows = selectors.indicators_for_user(user=request.user, year=ey).prefetch_related("sub_items")
        bands = [
            {"name": b.name, "min": b.min_points, "max": b.max_points, "verified": b.is_verified}
            for b in ey.bands.all()
        ]
        return Response(
            {
                "year": ey.year,
                "bands": bands,
                "indicators": [
                    {
                        "id": str(i.pk),
                        "code": i.code,
                        "cluster": i.cluster.code,
                        "title": i.title_id,
                        "points": i.points,
                        "points_verified": i.is_points_verified,
                        "required_types": i.required_types,
                        "special_protection": i.is_special_protection,
                        "sub_items": [
                            {"code": s.code, "title": s.title, "points": s.points, "verified": s.is_verified}
                            for s in i.sub_items.all()
                        ],
                    }
                    for i in rows
                ],
            }
        )


class ScoreApi(APIView):
    @extend_schema(
        operation_id="kla_scores",
        summary="Scores, bands, checklist and what raises the score most",
        responses={200: dict, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        ey = selectors.year_get(year=year)
        return Response(_score_out(selectors.score_for_user(user=request.user, year=ey)))


class AssignmentApi(APIView):
    class InputSerializer(serializers.Serializer):
        indicators = serializers.ListField(
            child=serializers.CharField(max_length=8), min_length=1, help_text="Indicator codes."
        )
        agency_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1)
        contact_name = optional_text(160)
        replace = serializers.BooleanField(default=False)

        class Meta:
            ref_name = "KlaAssignmentInput"

    @extend_schema(
        operation_id="kla_assignments_list",
        summary="Assignments (the OPD: its own)",
        responses={200: OBJECT_LIST, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        rows = selectors.assignments_for_user(user=request.user, year=ey)
        return Response(
            [
                {
                    "id": str(a.pk),
                    "indicator": a.indicator.code,
                    "agency_id": str(a.agency_id),
                    "agency": a.agency.short_name,
                    "contact_name": a.contact_name,
                }
                for a in rows
            ]
        )

    @extend_schema(
        operation_id="kla_assignments_bulk",
        summary="Bulk assign OPDs to indicators (secretariat)",
        request=InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        d = validated_input(self.InputSerializer, request.data)
        indicators = list(Indicator.objects.filter(year=ey, code__in=d["indicators"]))
        agencies = list(Agency.objects.filter(tenant=request.user.tenant, pk__in=d["agency_ids"]))
        if len(indicators) != len(set(d["indicators"])) or len(agencies) != len(set(d["agency_ids"])):
            raise serializers.ValidationError({"indicators": ["Unknown indicator or agency."]})
        added = services.assignments_set(
            actor=request.user,
            indicators=indicators,
            agencies=agencies,
            contact_name=d["contact_name"],
            replace=d["replace"],
        )
        return Response({"added": added})


class EvidenceListApi(APIView):
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        indicator_id = serializers.UUIDField()
        evidence_type = serializers.ChoiceField(EvidenceType.choices)
        title = optional_text(300)
        number = optional_text(120)
        dated_on = serializers.DateField(required=False, allow_null=True, default=None)
        doc_year = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1990, max_value=2100
        )
        description = optional_text(2000)
        is_signed = serializers.BooleanField(default=False)
        agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        file = serializers.FileField(required=False, allow_null=True, default=None)
        document_id = serializers.UUIDField(
            required=False, allow_null=True, default=None, help_text="Link a visible document (no copy)."
        )
        regulation_id = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "KlaEvidenceInput"

    @extend_schema(operation_id="kla_evidence_list", summary="Evidence items I may see", responses={200: dict})
    def get(self, request: Request) -> Response:
        qs = selectors.evidence_for_user(user=request.user).order_by("indicator__order", "-created_at", "pk")
        if request.query_params.get("year", "").isdigit():
            qs = qs.filter(indicator__year__year=int(request.query_params["year"]))
        if request.query_params.get("status") in ReviewStatus.values:
            qs = qs.filter(status=request.query_params["status"])
        return paginated(self, request, qs, _item_out)

    @extend_schema(
        operation_id="kla_evidence_create",
        summary="Upload evidence, or link a document or regulation",
        request=InputSerializer,
        responses={201: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        d = validated_input(self.InputSerializer, request.data)
        indicator = selectors.indicator_get_for_user(user=user, pk=d["indicator_id"])
        agency = Agency.objects.filter(tenant=user.tenant, pk=d["agency_id"]).first() if d["agency_id"] else None
        item = services.evidence_add(
            actor=user,
            indicator=indicator,
            evidence_type=d["evidence_type"],
            title=d["title"],
            uploaded_file=d["file"],
            link_document=document_get_for_user(user=user, pk=d["document_id"]) if d["document_id"] else None,
            regulation=selectors.regulation_get_for_user(user=user, pk=d["regulation_id"])
            if d["regulation_id"]
            else None,
            agency=agency,
            number=d["number"],
            dated_on=d["dated_on"],
            doc_year=d["doc_year"],
            description=d["description"],
            is_signed=d["is_signed"],
        )
        return Response(
            _item_out(selectors.evidence_get_for_user(user=user, pk=item.pk)), status=status.HTTP_201_CREATED
        )


class EvidenceDetailApi(APIView):
    @extend_schema(
        operation_id="kla_evidence_retrieve",
        summary="An evidence item with its review history",
        responses={200: dict, **error_responses(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(_item_out(selectors.evidence_get_for_user(user=request.user, pk=pk)))


class EvidenceReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField([ReviewStatus.ACCEPTED, ReviewStatus.REVISION])
        comment = optional_text(2000)

        class Meta:
            ref_name = "KlaReviewInput"

    @extend_schema(
        operation_id="kla_evidence_review",
        summary="Accept, or request a revision (secretariat)",
        request=InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        item = selectors.evidence_get_for_user(user=request.user, pk=pk)
        d = validated_input(self.InputSerializer, request.data)
        services.evidence_review(actor=request.user, item=item, decision=d["decision"], comment=d["comment"])
        return Response(_item_out(selectors.evidence_get_for_user(user=request.user, pk=pk)))


class EvidenceReplaceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

        class Meta:
            ref_name = "KlaReplaceInput"

    @extend_schema(
        operation_id="kla_evidence_replace",
        summary="Upload a new file for an item",
        request=InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        item = selectors.evidence_get_for_user(user=request.user, pk=pk)
        d = validated_input(self.InputSerializer, request.data)
        services.evidence_replace(actor=request.user, item=item, uploaded_file=d["file"])
        return Response(_item_out(selectors.evidence_get_for_user(user=request.user, pk=pk)))


class SelfAssessmentApi(APIView):
    class InputSerializer(serializers.Serializer):
        points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
        note = optional_text(2000)

        class Meta:
            ref_name = "KlaSelfAssessmentInput"

    @extend_schema(
        operation_id="kla_self_assessment_set",
        summary="Self-assessed points of an indicator (secretariat)",
        request=InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, pk: UUID) -> Response:
        indicator = selectors.indicator_get_for_user(user=request.user, pk=pk)
        d = validated_input(self.InputSerializer, request.data)
        row = services.self_assessment_set(actor=request.user, indicator=indicator, points=d["points"], note=d["note"])
        return Response({"indicator": indicator.code, "points": str(row.points)})


class RegulationApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(RegulationKind.choices)
        title = serializers.CharField(max_length=300)
        number = serializers.CharField(max_length=120)
        issued_on = serializers.DateField()
        issuer = serializers.CharField(max_length=200)
        valid_until = serializers.DateField(required=False, allow_null=True, default=None)
        file = serializers.FileField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "KlaRegulationInput"

    @staticmethod
    def _out(r) -> dict:
        return {
            "id": str(r.pk),
            "kind": r.kind,
            "title": r.title,
            "number": r.number,
            "issued_on": iso_or_none(r.issued_on),
            "issuer": r.issuer,
            "valid_until": iso_or_none(r.valid_until),
            "document_id": str(r.document_id) if r.document_id else None,
        }

    @extend_schema(
        operation_id="kla_regulations_list",
        summary="The regulation library",
        responses={200: OBJECT_LIST, **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        return Response([self._out(r) for r in selectors.regulations_for_user(user=request.user)])

    @extend_schema(
        operation_id="kla_regulations_create",
        summary="Add a regulation (secretariat)",
        request=InputSerializer,
        responses={201: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        d = validated_input(self.InputSerializer, request.data)
        reg = services.regulation_save(actor=request.user, uploaded_file=d.pop("file"), **d)
        return Response(self._out(reg), status=status.HTTP_201_CREATED)


class DeadlineApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(DeadlineKind.choices)
        due_on = serializers.DateField()

        class Meta:
            ref_name = "KlaDeadlineInput"

    @extend_schema(
        operation_id="kla_deadlines_list",
        summary="Deadlines of the year",
        responses={200: OBJECT_LIST, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        return Response(
            [
                {"id": str(d.pk), "kind": d.kind, "due_on": iso_or_none(d.due_on)}
                for d in selectors.deadlines_for(tenant=request.user.tenant, year=ey)
            ]
        )

    @extend_schema(
        operation_id="kla_deadlines_set",
        summary="Set a deadline (secretariat)",
        request=InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        d = validated_input(self.InputSerializer, request.data)
        row = services.deadline_set(actor=request.user, year=ey, **d)
        return Response({"id": str(row.pk), "kind": row.kind, "due_on": iso_or_none(row.due_on)})


class ActivityApi(APIView):
    class InputSerializer(serializers.Serializer):
        indicator_id = serializers.UUIDField()
        agency_id = serializers.UUIDField()
        title = serializers.CharField(max_length=300)
        activity_year = serializers.IntegerField(min_value=2000, max_value=2100)
        budget = serializers.IntegerField(min_value=0, default=0)
        status = serializers.ChoiceField(ActivityStatus.choices, default=ActivityStatus.PLANNED)
        agreement_id = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "KlaActivityInput"

    @staticmethod
    def _out(a) -> dict:
        return {
            "id": str(a.pk),
            "indicator": a.indicator.code,
            "agency": a.agency.short_name,
            "title": a.title,
            "activity_year": a.activity_year,
            "budget": a.budget,
            "status": a.status,
            "agreement_id": str(a.agreement_id) if a.agreement_id else None,
        }

    @extend_schema(
        operation_id="kla_activities_list",
        summary="RAD KLA activities",
        responses={200: OBJECT_LIST, **error_responses(404)},
    )
    def get(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        return Response([self._out(a) for a in selectors.activities_for_user(user=request.user, year=ey)])

    @extend_schema(
        operation_id="kla_activities_create",
        summary="Add a RAD KLA activity (secretariat)",
        request=InputSerializer,
        responses={201: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, year: int) -> Response:
        user = request.user
        policy.require_visible(user, "kla.view_workspace", user.tenant)
        row = self.save(user, validated_input(self.InputSerializer, request.data))
        return Response(self._out(row), status=status.HTTP_201_CREATED)

    @staticmethod
    def save(user: User, d: dict, activity: RadActivity | None = None) -> RadActivity:
        """The validated input through the service: a new activity, or `activity` edited."""
        from sinergi.taskforces.selectors import agreement_get_for_user

        indicator = selectors.indicator_get_for_user(user=user, pk=d["indicator_id"])
        agency = Agency.objects.filter(tenant=user.tenant, pk=d["agency_id"]).first()
        if agency is None:
            raise serializers.ValidationError({"agency_id": ["Unknown agency."]})
        agreement = agreement_get_for_user(user=user, pk=d["agreement_id"]) if d["agreement_id"] else None
        return services.activity_save(
            actor=user,
            activity=activity,
            indicator=indicator,
            agency=agency,
            title=d["title"],
            activity_year=d["activity_year"],
            budget=d["budget"],
            status=d["status"],
            agreement=agreement,
        )


class PackageApi(APIView):
    @extend_schema(
        operation_id="kla_package_start",
        summary="Start the evidence package job (secretariat)",
        request=None,
        responses={202: dict, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, year: int) -> Response:
        policy.require_visible(request.user, "kla.view_workspace", request.user.tenant)
        ey = selectors.year_get(year=year)
        job = job_services.job_start(actor=request.user, kind=KLA_PACKAGE, params={"year": ey.year})
        return Response({"job_id": str(job.pk), "status": job.status}, status=status.HTTP_202_ACCEPTED)
