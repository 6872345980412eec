"""The one attachment path works for an owner the documents app knows nothing about (Agency)."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from sinergi.audit.models import AuditEvent
from sinergi.documents import services
from sinergi.documents.api import DocumentUploadInputSerializer, OwnerDocumentsApi
from sinergi.documents.forms import DocumentUploadForm
from sinergi.documents.views import owner_document_upload
from sinergi.tenants.models import Agency

from .factories import EXE_BYTES, MINIMAL_PDF, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]
KINDS = [("minutes", "Minutes"), ("photo", "Photo")]


def add_agency_document(*, actor, owner, kind, uploaded_file, title):
    return services.document_store(
        actor=actor, tenant=owner.tenant, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
    )


class AgencyDocumentsApi(OwnerDocumentsApi):
    class InputSerializer(DocumentUploadInputSerializer):
        kind = serializers.ChoiceField(KINDS)

        class Meta:
            ref_name = "TestAgencyDocumentUpload"

    def get_owner(self, request, pk):
        return get_object_or_404(Agency, pk=pk, tenant_id=request.user.tenant_id)

    def add_document(self, **kwargs):
        return add_agency_document(**kwargs)


class AgencyDocumentForm(DocumentUploadForm):
    kind = forms.ChoiceField(choices=KINDS)


def call_api(user, owner, method="get", data=None):
    factory = APIRequestFactory()
    request = getattr(factory, method)("/x/", data, format="multipart") if data else getattr(factory, method)("/x/")
    force_authenticate(request, user=user, token="api-token")  # a token: the second factor is not in play
    return AgencyDocumentsApi.as_view()(request, pk=owner.pk)


class TestOwnerDocumentsApi:
    def test_the_manager_uploads_an_allowed_kind_and_the_colleague_lists_it(self, uploader, colleague, owner):
        response = call_api(uploader, owner, "post", {"kind": "minutes", "file": upload(MINIMAL_PDF), "title": "Rapat"})
        assert response.status_code == 201
        assert response.data["kind"] == "minutes"
        assert response.data["mime"] == "application/pdf"

        listed = call_api(colleague, owner)
        assert listed.status_code == 200
        assert [d["id"] for d in listed.data] == [response.data["id"]]
        assert AuditEvent.objects.filter(action="document.uploaded", actor=uploader).count() == 1

    def test_a_kind_outside_the_owners_list_is_a_400(self, uploader, owner):
        response = call_api(uploader, owner, "post", {"kind": "visum", "file": upload(MINIMAL_PDF)})
        assert response.status_code == 400
        assert not owner.tenant.documents.exists()

    def test_a_read_only_colleague_gets_403_on_upload_and_an_analyst_403_on_list(self, colleague, analyst, owner):
        assert call_api(colleague, owner, "post", {"kind": "minutes", "file": upload(MINIMAL_PDF)}).status_code == 403
        assert call_api(analyst, owner).status_code == 403

    def test_an_outsider_gets_404(self, outsider, owner):
        assert call_api(outsider, owner).status_code == 404


class TestOwnerDocumentUpload:
    def request(self, rf, user, data):
        request = rf.post("/x/", data)
        request.user = user
        return request

    def test_it_stores_and_returns_the_document(self, rf, uploader, owner):
        request = self.request(rf, uploader, {"kind": "photo", "title": "", "file": upload(MINIMAL_PDF)})
        form, document = owner_document_upload(
            request, owner=owner, form_class=AgencyDocumentForm, add=add_agency_document
        )
        assert form.is_valid()
        assert document.owner == owner
        assert document.kind == "photo"

    def test_a_refused_file_puts_the_service_message_on_the_file_field(self, rf, uploader, owner):
        request = self.request(rf, uploader, {"kind": "photo", "file": upload(EXE_BYTES, "x.pdf")})
        form, document = owner_document_upload(
            request, owner=owner, form_class=AgencyDocumentForm, add=add_agency_document
        )
        assert document is None
        assert "This file type is not allowed" in form.errors["file"][0]

    def test_it_checks_manage_on_the_owner(self, rf, colleague, owner):
        request = self.request(rf, colleague, {"kind": "photo", "file": upload(MINIMAL_PDF)})
        with pytest.raises(PermissionDenied):
            owner_document_upload(request, owner=owner, form_class=AgencyDocumentForm, add=add_agency_document)
