from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from . import selectors, services


class DocumentDownloadThrottle(UserRateThrottle):
    scope = "document_download"
    rate = "300/hour"


class IgnoreAcceptNegotiation(BaseContentNegotiation):
    """The body is the file whatever the client accepts; errors still render as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentDownloadApi(APIView):
    throttle_classes = [DocumentDownloadThrottle]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        operation_id="documents_download",
        responses={
            # The body carries the sniffed type of the stored file.
            **{
                (200, mime): OpenApiResponse(response=OpenApiTypes.BINARY, description="The decrypted file.")
                for mime in sorted(services.ALLOWED_MIMES)
            },
            404: OpenApiResponse(description="Missing, deleted or not visible to you."),
        },
    )
    def get(self, request: Request, pk: UUID):
        document = selectors.document_get_for_user(user=request.user, pk=pk)
        return services.document_response(actor=request.user, document=document)
