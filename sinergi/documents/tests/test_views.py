import uuid

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.documents.models import Document

from .factories import MINIMAL_PDF, store_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]


def download_url(pk) -> str:
    return reverse("documents:download", args=[pk])


def api_download_url(pk) -> str:
    return f"/api/v1/documents/{pk}/download/"


class TestDownload:
    @pytest.mark.parametrize("persona", ["uploader", "colleague"])
    def test_an_authorised_user_downloads_the_decrypted_file_as_an_attachment(
        self, request, client_for, document, persona
    ):
        user = request.getfixturevalue(persona)
        response = client_for(user).get(download_url(document.pk))

        assert response.status_code == 200
        assert response.content == MINIMAL_PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert "sandbox" in response["Content-Security-Policy"]
        event = AuditEvent.objects.get(action="document.downloaded")
        assert event.actor == user
        assert event.object_id == str(document.pk)

    def test_a_non_ascii_name_is_encoded_per_rfc_5987(self, client_for, uploader, owner):
        document = store_document(actor=uploader, owner=owner, name='Visum "Ani" – Tenggarong.pdf')
        response = client_for(uploader).get(download_url(document.pk))
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''Visum%20%22Ani%22%20%E2%80%93%20Tenggarong.pdf"
        )

    @pytest.mark.parametrize("persona", ["analyst", "outsider"])
    def test_users_without_access_get_404_and_nothing_is_audited(self, request, client_for, document, persona):
        response = client_for(request.getfixturevalue(persona)).get(download_url(document.pk))
        assert response.status_code == 404
        assert MINIMAL_PDF not in response.content
        assert not AuditEvent.objects.filter(action="document.downloaded").exists()

    def test_an_unknown_document_is_404(self, client_for, uploader):
        assert client_for(uploader).get(download_url(uuid.uuid4())).status_code == 404

    def test_a_deleted_document_is_404(self, client_for, uploader, document):
        Document.objects.filter(pk=document.pk).update(deleted_at="2026-01-01T00:00:00Z")
        assert client_for(uploader).get(download_url(document.pk)).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_login(self, client, document):
        response = client.get(download_url(document.pk))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_post_is_not_allowed(self, client_for, uploader, document):
        assert client_for(uploader).post(download_url(document.pk)).status_code == 405


class TestApiDownload:
    def test_an_authorised_user_downloads_the_file_whatever_it_accepts(self, client_for, colleague, document):
        response = client_for(colleague).get(api_download_url(document.pk), HTTP_ACCEPT="application/pdf")

        assert response.status_code == 200
        assert response.content == MINIMAL_PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert AuditEvent.objects.filter(action="document.downloaded", actor=colleague).count() == 1

    @pytest.mark.parametrize("persona", ["analyst", "outsider"])
    def test_users_without_access_get_a_404_error_body(self, request, client_for, document, persona):
        response = client_for(request.getfixturevalue(persona)).get(api_download_url(document.pk))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

    def test_an_unknown_document_is_404(self, client_for, uploader):
        assert client_for(uploader).get(api_download_url(uuid.uuid4())).status_code == 404

    def test_an_anonymous_client_is_refused(self, client, document):
        response = client.get(api_download_url(document.pk))
        assert response.status_code in (401, 403)
        assert MINIMAL_PDF not in response.content


class TestDelete:
    def delete_url(self, pk) -> str:
        return reverse("documents:delete", args=[pk])

    def test_the_uploader_deletes_and_is_sent_back(self, client_for, uploader, document):
        response = client_for(uploader).post(self.delete_url(document.pk), {"next": "/cases/"})

        assert response.status_code == 302
        assert response["Location"] == "/cases/"
        document.refresh_from_db()
        assert document.deleted_at is not None
        assert AuditEvent.objects.filter(action="document.deleted", actor=uploader).exists()

    def test_an_offsite_next_is_ignored(self, client_for, uploader, document):
        response = client_for(uploader).post(self.delete_url(document.pk), {"next": "https://evil.example/"})
        assert response["Location"] == reverse("core:home")

    def test_htmx_gets_an_empty_fragment(self, client_for, uploader, document):
        response = client_for(uploader).post(self.delete_url(document.pk), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.content == b""

    def test_a_read_only_colleague_gets_403(self, client_for, colleague, document):
        response = client_for(colleague).post(self.delete_url(document.pk))
        assert response.status_code == 403
        document.refresh_from_db()
        assert document.deleted_at is None

    @pytest.mark.parametrize("persona", ["analyst", "outsider"])
    def test_users_without_access_get_404(self, request, client_for, document, persona):
        response = client_for(request.getfixturevalue(persona)).post(self.delete_url(document.pk))
        assert response.status_code == 404
        document.refresh_from_db()
        assert document.deleted_at is None

    def test_get_is_not_allowed(self, client_for, uploader, document):
        assert client_for(uploader).get(self.delete_url(document.pk)).status_code == 405


class TestDocumentListPartial:
    def render(self, rf, user, **context) -> str:
        request = rf.get("/cases/x/")
        request.user = user
        return render_to_string("documents/partials/_document_list.html", context, request=request)

    def test_it_lists_titles_with_download_links_and_delete_only_when_allowed(self, rf, uploader, document):
        html = self.render(rf, uploader, documents=[document], can_delete=False)
        assert "Laporan polisi Siti Aminah" in html
        assert reverse("documents:download", args=[document.pk]) in html
        assert reverse("documents:delete", args=[document.pk]) not in html

        html = self.render(rf, uploader, documents=[document], can_delete=True)
        assert reverse("documents:delete", args=[document.pk]) in html
        assert 'value="/cases/x/"' in html
