"""Documents: URLs, audit events and the re-encryption of stored files (see sinergi.core.plugins)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from . import services

plugins.url_include("documents/", "sinergi.documents.urls")
plugins.url_include("documents/", "sinergi.documents.api_urls", api=True)
plugins.key_rotation("files", services.document_blobs_rotate, label="Document files")
# No object namer: a file name may carry a person's name ("visum_<nama>.pdf").
plugins.audit_events(
    {
        "document.uploaded": _("Document uploaded"),
        "document.linked": _("Document attached"),
        "document.deleted": _("Document removed"),
        "document.downloaded": _("Document downloaded"),
        "document.previewed": _("Document previewed"),
    }
)
