"""PPRA checker API: the same engine and output as the page and `manage.py ppra_check`.

- `POST /api/v1/publications/check/`: a signed-in user (session or personal token) of the tenant.
- `POST /api/v1/publications/newsroom/check/`: a media partner's newsroom token only, rate limited per
  token. The text is not stored unless `store` is true.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_ratelimit.exceptions import Ratelimited
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sinergi.cases.limits import IDENTITY_LOOKUP_RATES
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import error_responses, paginated

from . import selectors, services
from .authentication import HasNewsroomToken, NewsroomTokenAuthentication
from .models import PpraCheck
from .ppra.files import MAX_TEXT_CHARS, extract_text
from .register import register_matcher_for

TEXT_HELP = "The text to check (UTF-8, at most 200,000 characters). Alternatively upload `file` (multipart)."
STORE_HELP = "Keep the text and its findings for the office (default false: nothing is stored)."


@extend_schema_serializer(component_name="PpraCheckInput")
class CheckInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, trim_whitespace=False, max_length=MAX_TEXT_CHARS, help_text=TEXT_HELP)
    file = serializers.FileField(required=False, help_text="TXT (UTF-8), DOCX or PDF, at most 5 MB.")
    store = serializers.BooleanField(required=False, default=False, help_text=STORE_HELP)

    def validate(self, attrs):
        if not (attrs.get("text") or "").strip() and not attrs.get("file"):
            raise ValidationError({"text": ["Send a text or a file."]})
        return attrs


@extend_schema_serializer(component_name="PpraUserCheckInput")
class UserCheckInputSerializer(CheckInputSerializer):
    register = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also flag names that match a protected child of the tenant's case register (never which case). "
        "Reviewers with a verified second factor only (403 otherwise); counted against the identity look-up "
        "limit (429) and audited.",
    )


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
        request={"application/json": UserCheckInputSerializer, "multipart/form-data": UserCheckInputSerializer},
        responses={200: CheckOutputSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        tenant = request.user.tenant
        policy.require(request.user, "publications.use_checker", tenant)
        data = UserCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = _text_of(data.validated_data)
        matcher = None
        if data.validated_data["register"]:
            try:
                matcher = register_matcher_for(request._request)
            except Ratelimited as exc:
                raise Throttled(wait=IDENTITY_LOOKUP_RATES[0][1]) from exc
        result = selectors.ppra_check_text(text=text, tenant=tenant, register_matcher=matcher)
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


# ---- The review workflow ---------------------------------------------------------------------


@extend_schema_serializer(component_name="PpraDraftVersion")
class DraftVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()
    verdict = serializers.CharField(help_text="The checker's verdict when the version was saved.")
    findings = FindingSerializer(many=True)
    created_by = serializers.CharField(source="created_by.display_name")
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="PpraDraftComment")
class DraftCommentSerializer(serializers.Serializer):
    author = serializers.CharField(source="author.display_name")
    version = serializers.IntegerField(source="version.number")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="PpraDraftListItem")
class DraftListSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="submitted, returned or approved.")
    created_by = serializers.CharField(source="created_by.display_name")
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="PpraDraft")
class DraftSerializer(DraftListSerializer):
    approved_by = serializers.CharField(source="approved_by.display_name", allow_null=True, default=None)
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_version = serializers.IntegerField(source="approved_version.number", allow_null=True, default=None)
    approved_verdict = serializers.CharField(allow_blank=True)
    versions = DraftVersionSerializer(many=True, source="versions.all")
    linked = serializers.SerializerMethodField()
    lpsk_protected = serializers.BooleanField()
    perpetrator_at_large = serializers.BooleanField()
    missing_child = serializers.BooleanField()
    found_on = serializers.DateField(allow_null=True)

    def get_linked(self, draft) -> list[str]:
        return [str(pk) for pk in draft.linked.values_list("pk", flat=True)]

    comments = DraftCommentSerializer(many=True, source="comments.all")


def _draft_body(pk) -> dict:
    from .models import Draft

    draft = Draft.objects.select_related("created_by", "approved_by", "approved_version").get(pk=pk)
    return DraftSerializer(draft).data


class DraftListApi(APIView):
    """Drafts the user may open (reviewers: the tenant's; authors: their own); submit a new one."""

    pagination_class = StandardPagination

    @extend_schema_serializer(component_name="PpraDraftSubmit")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        text = serializers.CharField(trim_whitespace=False, max_length=MAX_TEXT_CHARS)
        linked = serializers.ListField(
            child=serializers.UUIDField(),
            required=False,
            default=list,
            max_length=50,
            help_text="Earlier drafts about the same story, checked together with this one (jigsaw check).",
        )

    @extend_schema(tags=["publications"], summary="List drafts", responses=DraftListSerializer(many=True))
    def get(self, request: Request) -> Response:
        policy.require(request.user, "publications.use_checker", request.user.tenant)
        drafts = selectors.draft_list_for_user(user=request.user)
        return paginated(self, request, drafts, lambda draft: DraftListSerializer(draft).data)

    @extend_schema(
        tags=["publications"],
        summary="Submit a draft for review",
        request=InputSerializer,
        responses={201: DraftSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.pop("linked")
        linked = list(selectors.draft_list_for_user(user=request.user).filter(pk__in=ids))
        if len(linked) != len(set(ids)):
            raise ValidationError({"linked": ["Unknown draft."]})  # invisible and missing look the same
        draft = services.draft_submit(actor=request.user, linked=linked, **data.validated_data)
        return Response(_draft_body(draft.pk), status=status.HTTP_201_CREATED)


class DraftDetailApi(APIView):
    """One draft with every version, its findings and the comments."""

    @extend_schema(tags=["publications"], summary="One draft", responses=DraftSerializer)
    def get(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        return Response(_draft_body(draft.pk))


class DraftVersionApi(APIView):
    """The author saves a new version and resubmits the draft."""

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(trim_whitespace=False, max_length=MAX_TEXT_CHARS)

    @extend_schema(
        tags=["publications"],
        summary="Resubmit a new version",
        request=InputSerializer,
        responses={201: DraftSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.draft_revise(actor=request.user, draft=draft, text=data.validated_data["text"])
        return Response(_draft_body(draft.pk), status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="PpraDraftNote")
class _BodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class DraftCommentApi(APIView):
    """Comment on the latest version (author or reviewer, while the draft is open)."""

    @extend_schema(
        tags=["publications"], summary="Comment on a draft", request=_BodySerializer, responses={201: DraftSerializer}
    )
    def post(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        data = _BodySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.draft_comment(actor=request.user, draft=draft, body=data.validated_data["body"])
        return Response(_draft_body(draft.pk), status=status.HTTP_201_CREATED)


class DraftApproveApi(APIView):
    """A reviewer approves the latest version (never their own draft)."""

    @extend_schema(tags=["publications"], summary="Approve a draft", request=None, responses=DraftSerializer)
    def post(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        services.draft_approve(actor=request.user, draft=draft)
        return Response(_draft_body(draft.pk))


class DraftReturnApi(APIView):
    """A reviewer returns the draft to its author; `body` says what must change."""

    @extend_schema(
        tags=["publications"],
        summary="Return a draft to its author",
        request=_BodySerializer,
        responses=DraftSerializer,
    )
    def post(self, request: Request, pk) -> Response:
        draft = selectors.draft_get_for_user(user=request.user, pk=pk)
        data = _BodySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.draft_return(actor=request.user, draft=draft, reason=data.validated_data["body"])
        return Response(_draft_body(draft.pk))


# ---- Media partners, newsroom tokens, takedown requests -----------------------------------------


@extend_schema_serializer(component_name="NewsroomToken")
class TokenSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The first characters of the key, to recognise it.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="TakedownRequest")
class TakedownSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField(help_text="takedown or correction")
    url = serializers.URLField()
    points = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=12))
    reason = serializers.CharField()
    status = serializers.CharField(help_text="sent, done or refused")
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="MediaPartner")
class PartnerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    signatories = serializers.CharField(allow_blank=True)
    signed_on = serializers.DateField(allow_null=True)
    tokens = TokenSerializer(many=True, source="tokens.all")
    takedown_requests = TakedownSerializer(many=True, source="takedown_requests.all")


class PartnerListApi(APIView):
    """Media partners of the tenant (MoU signatories); office head and system admin add them."""

    pagination_class = StandardPagination

    @extend_schema_serializer(component_name="MediaPartnerCreate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        signatories = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
        signed_on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(tags=["publications"], summary="List media partners", responses=PartnerSerializer(many=True))
    def get(self, request: Request) -> Response:
        policy.require(request.user, "publications.view_mediapartner", request.user.tenant)
        partners = selectors.media_partner_list_for_user(user=request.user)
        return paginated(self, request, partners, lambda partner: PartnerSerializer(partner).data)

    @extend_schema(
        tags=["publications"],
        summary="Add a media partner",
        request=InputSerializer,
        responses={201: PartnerSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner = services.media_partner_create(actor=request.user, tenant=request.user.tenant, **data.validated_data)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


class PartnerDetailApi(APIView):
    """One media partner with its tokens (never their keys) and takedown requests."""

    @extend_schema(tags=["publications"], summary="One media partner", responses=PartnerSerializer)
    def get(self, request: Request, pk) -> Response:
        return Response(PartnerSerializer(selectors.media_partner_get_for_user(user=request.user, pk=pk)).data)


class PartnerTokenApi(APIView):
    """Create a newsroom token for the partner; the key is in this answer only."""

    @extend_schema_serializer(component_name="NewsroomTokenCreate")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)

    @extend_schema_serializer(component_name="NewsroomTokenCreated")
    class OutputSerializer(TokenSerializer):
        key = serializers.CharField(help_text="Send as `Authorization: Newsroom <key>`. Shown once.")

    @extend_schema(
        tags=["publications"],
        summary="Create a newsroom token",
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        partner = selectors.media_partner_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.newsroom_token_create(actor=request.user, partner=partner, **data.validated_data)
        body = {**TokenSerializer(token).data, "key": key}
        response = Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class TokenRevokeApi(APIView):
    """Revoke a newsroom token (at once, for good)."""

    @extend_schema(tags=["publications"], summary="Revoke a newsroom token", request=None, responses=TokenSerializer)
    def post(self, request: Request, pk) -> Response:
        token = selectors.newsroom_token_get_for_user(user=request.user, pk=pk)
        return Response(TokenSerializer(services.newsroom_token_revoke(actor=request.user, token=token)).data)


class PartnerTakedownApi(APIView):
    """Send a takedown or correction request about a published item that breaches the PPRA."""

    @extend_schema_serializer(component_name="TakedownRequestCreate")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["takedown", "correction"])
        url = serializers.URLField(max_length=500)
        points = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=12), min_length=1)
        reason = serializers.CharField(max_length=5000)

    @extend_schema(
        tags=["publications"],
        summary="Send a takedown or correction request",
        request=InputSerializer,
        responses={201: TakedownSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        partner = selectors.media_partner_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.takedown_request_create(actor=request.user, partner=partner, **data.validated_data)
        return Response(TakedownSerializer(item).data, status=status.HTTP_201_CREATED)


class TakedownAnswerApi(APIView):
    """Record the partner's answer to a request: done or refused."""

    @extend_schema_serializer(component_name="TakedownAnswer")
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["done", "refused"])
        answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    @extend_schema(
        tags=["publications"],
        summary="Record a partner's answer",
        request=InputSerializer,
        responses=TakedownSerializer,
    )
    def post(self, request: Request, pk) -> Response:
        item = selectors.takedown_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.takedown_request_answer(actor=request.user, request=item, **data.validated_data)
        return Response(TakedownSerializer(item).data)


# ---- Photos (PPRA butir 4) -------------------------------------------------------------------


@extend_schema_serializer(component_name="PpraPhotoCheckInput")
class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG or PNG, at most 10 MB.")
    blur = serializers.BooleanField(required=False, default=False, help_text="Also return a copy with faces blurred.")


@extend_schema_serializer(component_name="PpraPhotoCheckResult")
class PhotoOutputSerializer(serializers.Serializer):
    @extend_schema_serializer(component_name="PpraFace")
    class FaceSerializer(serializers.Serializer):
        x = serializers.IntegerField()
        y = serializers.IntegerField()
        width = serializers.IntegerField()
        height = serializers.IntegerField()

    @extend_schema_serializer(component_name="PpraGps")
    class GpsSerializer(serializers.Serializer):
        latitude = serializers.FloatField()
        longitude = serializers.FloatField()

    width = serializers.IntegerField()
    height = serializers.IntegerField()
    faces = FaceSerializer(many=True)
    exif = serializers.DictField(child=serializers.CharField(), help_text="EXIF fields found (stripped in the copy).")
    gps = GpsSerializer(allow_null=True)
    findings = FindingSerializer(many=True)
    blurred_jpeg_base64 = serializers.CharField(allow_null=True, help_text="The blurred copy, when `blur` was true.")


class PhotoCheckApi(APIView):
    """Faces (PPRA butir 4) and EXIF/GPS of a photo; optionally a copy with faces blurred, no metadata."""

    @extend_schema(
        tags=["publications"],
        summary="Check a photo for faces and metadata",
        request={"multipart/form-data": PhotoInputSerializer},
        responses=PhotoOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        import base64

        from .ppra import photos

        policy.require(request.user, "publications.use_checker", request.user.tenant)
        data = PhotoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw = data.validated_data["photo"].read(photos.MAX_PHOTO_BYTES + 1)
        try:
            report = photos.photo_check(data=raw)
            blurred = photos.blurred_copy(data=raw) if data.validated_data["blur"] else None
        except DjangoValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
        findings = []
        if report.faces:
            findings.append(
                {
                    "point": 4,
                    "severity": "block",
                    "start": 0,
                    "end": 0,
                    "text": "",
                    "why": f"{len(report.faces)} wajah terdeteksi: anak tidak boleh dapat dikenali (PPRA butir 4).",
                    "suggestion": "Pakai salinan dengan wajah disamarkan, atau foto tanpa anak.",
                }
            )
        body = {
            **report.as_json(),
            "findings": findings,
            "blurred_jpeg_base64": base64.b64encode(blurred).decode() if blurred else None,
        }
        return Response(PhotoOutputSerializer(body).data)
