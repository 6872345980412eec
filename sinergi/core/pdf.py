"""PDF rendering for every module: WeasyPrint with a URL fetcher that never touches the network.

A letter or summary may only read our own static files (fonts, stylesheets) and inline `data:` images
(the tenant's logo); any other URL in a template, or in text a user typed, is refused.
"""

import base64
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base URL that is never fetched: it only gives relative and /static/ URLs something to resolve against.
PDF_BASE_URL = "https://sinergi.invalid/"
DATA_IMAGE_TYPES = ("image/png", "image/jpeg")


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `<PDF_BASE_URL>/static/...` from the static files on disk and inline PNG/JPEG `data:` images;
    refuse every other URL."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return self._data_image(url)
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError("URL refused: the PDF renderer only reads our own static files.")
        relative = unquote(urlsplit(url).path)[len(settings.STATIC_URL) :]
        if not relative or ".." in Path(relative).parts or relative.startswith("/"):
            raise ValueError("URL refused.")
        found = finders.find(relative)
        if not found:
            raise ValueError("Static file not found.")
        mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": mime})

    @staticmethod
    def _data_image(url: str) -> URLFetcherResponse:
        header, _sep, payload = url[5:].partition(",")
        mime, _sep, encoding = header.partition(";")
        if mime not in DATA_IMAGE_TYPES or encoding != "base64":
            raise ValueError("URL refused: only base64 PNG or JPEG data URLs.")
        body = base64.b64decode(payload, validate=True)
        return URLFetcherResponse("data:", body=body, headers={"Content-Type": mime})


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).write_pdf()
