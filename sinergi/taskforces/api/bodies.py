"""Bodies (Satgas, task forces) and their members."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy

from .. import selectors, services
from ..models import BodyKind, Cluster, PartnerKind
from .common import _agency, _errors, _iso, _valid


class BodyOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(BodyKind.choices)
    name = serializers.CharField()
    parent_id = serializers.UUIDField(allow_null=True)
    agency_id = serializers.UUIDField(allow_null=True, help_text="The Satgas PPA unit (tenants.Agency).")
    chair_name = serializers.CharField(allow_blank=True)
    decree_number = serializers.CharField(allow_blank=True)
    decree_on = serializers.DateField(allow_null=True)
    decree_document_id = serializers.UUIDField(allow_null=True, help_text="The stored SK document, if any.")
    cluster = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TaskforceBody"


def body_out(b) -> dict:
    return {
        "id": str(b.pk),
        "kind": b.kind,
        "name": b.name,
        "parent_id": str(b.parent_id) if b.parent_id else None,
        "agency_id": str(b.agency_id) if b.agency_id else None,
        "chair_name": b.chair_name,
        "decree_number": b.decree_number,
        "decree_on": _iso(b.decree_on),
        "decree_document_id": str(b.decree_document_id) if b.decree_document_id else None,
        "cluster": b.cluster,
    }


class BodyListApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(BodyKind.choices)
        name = serializers.CharField(max_length=200)
        chair_name = serializers.CharField(max_length=200, required=False, default="")
        agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        parent_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        decree_number = serializers.CharField(max_length=120, required=False, default="")
        decree_on = serializers.DateField(required=False, allow_null=True, default=None)
        cluster = serializers.ChoiceField([("", "—"), *Cluster.choices], required=False, default="")
        decree_file = serializers.FileField(
            required=False,
            allow_null=True,
            default=None,
            help_text="The SK (decree) document; send the request as multipart/form-data to attach it.",
        )

        class Meta:
            ref_name = "TaskforceBodyInput"

    @extend_schema(
        operation_id="taskforces_bodies_list",
        summary="Bodies of my regency (secretariat, office head)",
        responses={200: BodyOutputSerializer(many=True), **_errors(403)},
    )
    def get(self, request: Request) -> Response:
        policy.require(request.user, "taskforces.view_body", request.user.tenant)
        return Response([body_out(b) for b in selectors.body_list_for_user(user=request.user)])

    @extend_schema(
        operation_id="taskforces_bodies_create",
        summary="Create a body, optionally with its SK document (secretariat)",
        request=InputSerializer,
        responses={201: BodyOutputSerializer, **_errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = _valid(self.InputSerializer, request.data)
        parent = None
        if d["parent_id"]:
            parent = selectors.body_get_for_user(user=request.user, pk=d["parent_id"])
        body = services.body_create(
            actor=request.user,
            tenant=request.user.tenant,
            kind=d["kind"],
            name=d["name"],
            chair_name=d["chair_name"],
            agency=_agency(request.user, d["agency_id"]),
            parent=parent,
            cluster=d["cluster"],
            decree_number=d["decree_number"],
            decree_on=d["decree_on"],
            decree_file=d["decree_file"],
        )
        return Response(body_out(body), status=status.HTTP_201_CREATED)


class MemberOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    agency_id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    partner_kind = serializers.ChoiceField(PartnerKind.choices)
    role = serializers.CharField()
    contact_name = serializers.CharField(allow_blank=True)
    contact_position = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)
    contact_email = serializers.CharField(allow_blank=True)

    class Meta:
        ref_name = "TaskforceMember"


def member_out(m) -> dict:
    return {
        "id": str(m.pk),
        "agency_id": str(m.agency_id) if m.agency_id else None,
        "name": m.display_name,
        "partner_kind": m.partner_kind,
        "role": m.role,
        "contact_name": m.contact_name,
        "contact_position": m.contact_position,
        "contact_phone": m.contact_phone,
        "contact_email": m.contact_email,
    }


class BodyDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        body = BodyOutputSerializer()
        members = MemberOutputSerializer(many=True)

        class Meta:
            ref_name = "TaskforceBodyDetail"

    @extend_schema(
        operation_id="taskforces_bodies_retrieve",
        summary="A body and its members with contacts",
        responses={200: OutputSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        body = selectors.body_get_for_user(user=request.user, pk=pk)
        members = body.members.select_related("agency")
        return Response({"body": body_out(body), "members": [member_out(m) for m in members]})


class BodyMembersApi(APIView):
    class InputSerializer(serializers.Serializer):
        agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
        organisation = serializers.CharField(max_length=200, required=False, default="")
        partner_kind = serializers.ChoiceField(PartnerKind.choices, required=False, default=PartnerKind.AGENCY)
        contact_name = serializers.CharField(max_length=160, required=False, default="")
        contact_position = serializers.CharField(max_length=160, required=False, default="")
        contact_phone = serializers.CharField(max_length=40, required=False, default="")
        contact_email = serializers.EmailField(required=False, default="")

        class Meta:
            ref_name = "TaskforceMemberInput"

    @extend_schema(
        operation_id="taskforces_members_create",
        summary="Add a member (agency or outside partner)",
        request=InputSerializer,
        responses={201: MemberOutputSerializer, **_errors(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        body = selectors.body_get_for_user(user=request.user, pk=pk)
        d = _valid(self.InputSerializer, request.data)
        agency = _agency(request.user, d.pop("agency_id"))
        member = services.member_add(actor=request.user, body=body, agency=agency, **d)
        return Response(member_out(member), status=status.HTTP_201_CREATED)
