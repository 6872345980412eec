"""Jobs API: start a job, follow its progress, list your jobs, download the result (requester only)."""

from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core.api import StandardPagination
from sinergi.core.schema import ErrorOutputSerializer
from sinergi.documents.api import IgnoreAcceptNegotiation

from . import kinds, selectors, services
from .models import Job
from .views import result_response


class ResultGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "The result of this job has expired and was deleted; start the job again."
    default_code = "result_expired"


class JobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    parameters = serializers.JSONField(help_text="What the job is about (never identity data).")
    status = serializers.ChoiceField(Job.Status.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    progress_message = serializers.CharField()
    error = serializers.CharField(help_text="A short reason when the job failed.")
    result_name = serializers.CharField()
    result_content_type = serializers.CharField()
    result_size = serializers.IntegerField()
    expires_at = serializers.DateTimeField(allow_null=True)
    is_expired = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="This job's status in the API.")
    download_url = serializers.SerializerMethodField(help_text="The result, while it can be downloaded.")

    def get_kind_label(self, job: Job) -> str:
        return str(kinds.label(job.kind))

    def get_is_expired(self, job: Job) -> bool:
        return job.status == Job.Status.DONE and job.is_expired()

    def get_url(self, job: Job) -> str:
        return reverse("jobs_api:detail", kwargs={"pk": job.pk})

    def get_download_url(self, job: Job) -> str | None:
        return reverse("jobs_api:download", kwargs={"pk": job.pk}) if job.has_result else None


class JobStartSerializer(serializers.Serializer):
    kind = serializers.SlugField(max_length=60, help_text="A registered job kind, e.g. `simfoni_xlsx`.")
    parameters = serializers.DictField(required=False, default=dict, help_text="The kind's parameters.")


def job_accepted(job: Job) -> Response:
    """202 with the job and its URL in `Location`: what every API that starts a job answers."""
    response = Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
    response["Location"] = reverse("jobs_api:detail", kwargs={"pk": job.pk})
    return response


class JobListApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(operation_id="jobs_list", responses=JobSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.job_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(JobSerializer(page, many=True).data)

    @extend_schema(
        operation_id="jobs_start",
        summary="Start a background job (the kind's own permission applies)",
        request=JobStartSerializer,
        responses={202: JobSerializer},
    )
    def post(self, request: Request) -> Response:
        data = JobStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.job_start(
            actor=request.user, kind=data.validated_data["kind"], params=data.validated_data["parameters"]
        )
        return job_accepted(job)


class JobDetailApi(APIView):
    @extend_schema(operation_id="jobs_retrieve", responses=JobSerializer)
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(JobSerializer(selectors.job_get_for_user(user=request.user, pk=pk)).data)


class JobDownloadApi(APIView):
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        operation_id="jobs_download",
        summary="The job's result file (requester only, audited)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The result; its type is the job's `result_content_type`."
            ),
            410: OpenApiResponse(ErrorOutputSerializer, description="The result expired and was deleted."),
        },
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        job = selectors.job_get_for_user(user=request.user, pk=pk)
        try:
            chunks = services.job_result_open(actor=request.user, job=job)
        except services.ResultExpired:
            raise ResultGone from None
        return result_response(job, chunks)
