"""Cases: list, intake, identity search, duplicates."""

from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.api_support import (
    error_responses,
    optional_choice,
    optional_text,
    paginated,
    validated_input,
    validated_query,
)

from .. import selectors, services
from .. import taxonomy as t
from ..forms import ERR_IDENTITY_SEARCH, ERR_IDENTITY_SEARCH_NAME, identity_searched_fields
from ..limits import IdentityLookupThrottle
from ..models import Person
from .common import DEFAULT_THROTTLES, ERR_DATE_RANGE, _projection
from .drafts import _draft_for
from .inputs import PersonInputSerializer, TriageInputSerializer, _person_input
from .shapes import CaseListItemSerializer, CaseProjectionSerializer, _case_row


class CaseListCreateApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        stage = optional_choice(t.Stage.choices)
        risk = optional_choice(t.RiskLevel.choices)
        category = optional_choice(t.Category.choices)
        district = optional_text(20, help_text="Kecamatan code.")
        overdue = serializers.BooleanField(required=False, default=False)
        mine = serializers.BooleanField(required=False, default=False, help_text="Assigned to me.")
        referred_to_my_agency = serializers.BooleanField(required=False, default=False)
        number = optional_text(32, help_text="The case number or part of it: `00017` (or `17`) finds …/00017.")
        reported_from = serializers.DateField(required=False, allow_null=True, default=None)
        reported_to = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "CaseListFilter"

        def validate(self, attrs: dict) -> dict:
            if attrs["reported_from"] and attrs["reported_to"] and attrs["reported_from"] > attrs["reported_to"]:
                raise serializers.ValidationError({"reported_to": [ERR_DATE_RANGE]})
            return attrs

    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(t.Channel.choices)
        channel_detail = optional_text(200)
        reported_on = serializers.DateField()
        category = serializers.ChoiceField(t.Category.choices, required=False, default=t.Category.OTHER.value)
        forms = serializers.ListField(
            child=serializers.ChoiceField(t.ViolenceForm.choices), required=False, default=list
        )
        incident_on = serializers.DateField(required=False, allow_null=True, default=None)
        incident_place = optional_choice(t.Place.choices)
        district = optional_text(20, help_text="Kecamatan code of the incident.")
        village = optional_text(20)
        chronology = optional_text(20_000, help_text="Stored encrypted.")
        triage = TriageInputSerializer(required=False)
        is_lpsk_protected = serializers.BooleanField(required=False, default=False)
        victims = PersonInputSerializer(many=True, allow_empty=False)
        perpetrators = PersonInputSerializer(many=True, required=False)
        reporters = PersonInputSerializer(many=True, required=False)
        draft = serializers.UUIDField(
            required=False,
            allow_null=True,
            default=None,
            help_text="The intake draft this report was typed in: deleted with the submission (so are other "
            "drafts of yours naming the same victim).",
        )

        class Meta:
            ref_name = "CaseIntake"

    @extend_schema(
        operation_id="cases_list",
        summary="Cases visible to me, filtered on the server",
        parameters=[FilterSerializer],
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.view_case_list")
        d = validated_query(self.FilterSerializer, request)
        filters = selectors.CaseFilters(
            stage=d["stage"],
            risk=d["risk"],
            category=d["category"],
            district=d["district"],
            overdue=d["overdue"],
            mine=d["mine"],
            referred_to_my_agency=d["referred_to_my_agency"],
            number=d["number"],
            reported_from=d["reported_from"],
            reported_to=d["reported_to"],
        )
        cases = selectors.case_list_for_user(user=user, filters=filters)
        if d["number"]:
            audit(actor=user, action="case.number_searched", fields=["number"])
        # As the HTML list: keys first (from the referrals for a referred agency), then the page's rows.
        return paginated(
            self,
            request,
            cases,
            lambda case: _case_row(user, case),
            ids=selectors.case_list_page_ids(user=user, filters=filters),
            rows=partial(selectors.case_list_rows, tenant_id=user.tenant_id),
        )

    @extend_schema(
        operation_id="cases_create",
        summary="Register a report (intake) with its victims, perpetrators and reporters",
        request=InputSerializer,
        responses={201: CaseProjectionSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        d = validated_input(self.InputSerializer, request.data)
        people = [_person_input(p, role=Person.Role.VICTIM) for p in d["victims"]]
        people += [_person_input(p, role=Person.Role.PERPETRATOR) for p in d.get("perpetrators", [])]
        people += [_person_input(p, role=Person.Role.REPORTER) for p in d.get("reporters", [])]
        data = services.IntakeInput(
            channel=d["channel"],
            reported_on=d["reported_on"],
            category=d["category"],
            forms=list(d["forms"]),
            channel_detail=d["channel_detail"],
            incident_on=d["incident_on"],
            incident_place=d["incident_place"],
            district_code=d["district"],
            village_code=d["village"],
            chronology=d["chronology"],
            triage=dict(d.get("triage") or {}),
            is_lpsk_protected=d["is_lpsk_protected"],
            people=people,
        )
        draft = _draft_for(request, d["draft"]) if d["draft"] else None
        case = services.case_intake(actor=request.user, tenant=request.user.tenant, data=data, draft=draft)
        body = {**_projection(request, case), "warnings": selectors.case_category_warnings(case=case)}
        return Response(body, status=status.HTTP_201_CREATED)


class IdentityInputSerializer(serializers.Serializer):
    """An exact identity (blind-index equality): a NIK, or a full name with a birth date."""

    nik = optional_text(32)
    full_name = optional_text(200)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta:
        ref_name = "IdentityQuery"

    def validate(self, attrs: dict) -> dict:
        if not attrs["nik"] and not (attrs["full_name"] and attrs["birth_date"]):
            raise serializers.ValidationError(ERR_IDENTITY_SEARCH)
        return attrs


class IdentitySearchInputSerializer(IdentityInputSerializer):
    """A NIK, or an exact full name (the name index), with a birth date if known."""

    class Meta:
        ref_name = "IdentitySearchQuery"

    def validate(self, attrs: dict) -> dict:
        if not attrs["nik"] and not attrs["full_name"].strip():
            raise serializers.ValidationError(ERR_IDENTITY_SEARCH_NAME)
        return attrs


def _identity_fields(d: dict) -> list[str]:
    return identity_searched_fields(d)


class CaseIdentitySearchApi(APIView):
    """POST, not GET: identity values never go into a URL (logs, history, proxies)."""

    pagination_class = StandardPagination
    throttle_classes = [*DEFAULT_THROTTLES, IdentityLookupThrottle]

    @extend_schema(
        operation_id="cases_identity_search",
        summary="Find visible cases by exact identity: NIK, or full name with or without birth date (case team; audited)",
        request=IdentitySearchInputSerializer,
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.check_duplicates", user.tenant)
        d = validated_input(IdentitySearchInputSerializer, request.data)
        filters = selectors.CaseFilters(
            identity_nik=d["nik"], identity_name=d["full_name"], identity_birth_date=d["birth_date"]
        )
        cases = selectors.case_list_with_overdue_flag(selectors.case_list_for_user(user=user, filters=filters))
        audit(actor=user, action="case.identity_searched", fields=_identity_fields(d))
        return paginated(self, request, cases, lambda case: _case_row(user, case))


class CaseDuplicatesApi(APIView):
    throttle_classes = [*DEFAULT_THROTTLES, IdentityLookupThrottle]

    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField(help_text="Cases naming the same person that you may already open.")
        visible_case_numbers = serializers.ListField(
            child=serializers.CharField(), help_text="Only the matching cases you may already see."
        )

        class Meta:
            ref_name = "DuplicateCheck"

    @extend_schema(
        operation_id="cases_duplicates_check",
        summary="Is this person already known? (case team; audited)",
        request=IdentityInputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        policy.require(user, "cases.check_duplicates", user.tenant)
        d = validated_input(IdentityInputSerializer, request.data)
        count, numbers = selectors.duplicate_matches(
            user=user, tenant=user.tenant, nik=d["nik"], name=d["full_name"], birth_date=d["birth_date"]
        )
        audit(actor=user, action="case.duplicates_checked", fields=_identity_fields(d), extra={"matches": count})
        return Response({"count": count, "visible_case_numbers": numbers})
