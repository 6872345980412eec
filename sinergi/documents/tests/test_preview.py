"""Inline previews and thumbnails: images only, through the same permission check, audited, sandboxed."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from sinergi.audit.models import AuditEvent

from .factories import MINIMAL_PDF, jpeg_with_gps, plain_png, store_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]


@pytest.fixture
def photo(uploader, owner):
    return store_document(actor=uploader, owner=owner, data=plain_png(size=(800, 400)), name="foto.png", kind="photo")


class TestPreview:
    @pytest.mark.parametrize("persona", ["uploader", "colleague"])
    def test_an_image_is_shown_inline_sandboxed_and_audited(self, request, client_for, photo, persona):
        user = request.getfixturevalue(persona)
        response = client_for(user).get(reverse("documents:preview", args=[photo.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'inline; filename="foto.png"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"].startswith("default-src 'none'; img-src 'self'")
        assert "sandbox" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
        with Image.open(io.BytesIO(response.content)) as img:
            assert img.size == (800, 400)
        event = AuditEvent.objects.get(action="document.previewed")
        assert (event.actor, event.object_id, event.extra["thumbnail"]) == (user, str(photo.pk), False)

    def test_the_thumbnail_is_small_and_audited(self, client_for, uploader, owner):
        document = store_document(actor=uploader, owner=owner, data=jpeg_with_gps(size=(1000, 500)), name="f.jpg")
        response = client_for(uploader).get(reverse("documents:thumbnail", args=[document.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(response.content)) as img:
            assert max(img.size) <= 320
            assert dict(img.getexif()) == {}
        assert AuditEvent.objects.get(action="document.previewed").extra["thumbnail"] is True

    @pytest.mark.parametrize("route", ["documents:preview", "documents:thumbnail"])
    def test_a_pdf_is_never_shown_inline(self, client_for, uploader, owner, route):
        document = store_document(actor=uploader, owner=owner, data=MINIMAL_PDF)
        response = client_for(uploader).get(reverse(route, args=[document.pk]))
        assert response.status_code == 404
        assert MINIMAL_PDF not in response.content
        assert not AuditEvent.objects.filter(action="document.previewed").exists()

    @pytest.mark.parametrize("persona", ["analyst", "outsider"])
    @pytest.mark.parametrize("route", ["documents:preview", "documents:thumbnail"])
    def test_users_without_access_get_404_and_nothing_is_audited(self, request, client_for, photo, persona, route):
        response = client_for(request.getfixturevalue(persona)).get(reverse(route, args=[photo.pk]))
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="document.previewed").exists()

    def test_the_list_links_a_preview_for_images_only(self, rf, uploader, owner, photo):
        from django.template.loader import render_to_string

        pdf = store_document(actor=uploader, owner=owner)
        request = rf.get("/x/")
        request.user = uploader
        html = render_to_string("documents/partials/_document_list.html", {"documents": [photo, pdf]}, request=request)
        assert reverse("documents:preview", args=[photo.pk]) in html
        assert reverse("documents:preview", args=[pdf.pk]) not in html
