"""PDF documents from Django templates, rendered by WeasyPrint without touching the network.

Templates extend ``pdf/base.html``. WeasyPrint loads stylesheets and images through
:class:`StaticFilesOnly`, which serves LeadHub's own static files from disk and
``data:`` URIs, and refuses everything else: a document can never call out to another
server, read a local file outside the static files, or leak that someone opened it.
PDFs are tagged so screen readers can follow headings, tables and reading order.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from leadhub.audit.services import audit_record
from leadhub.lib.exports import download_headers


class FetchRefused(ValueError):
    """A document asked for something other than LeadHub's static files."""


class StaticFilesOnly(URLFetcher):
    """Serves ``<base_url>/static/…`` from the static files on disk, and ``data:`` URIs."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=("data",))
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.static_prefix):
            raise FetchRefused(f"Documents load only LeadHub's own static files, not {url}")
        name = unquote(urlsplit(url).path)[len(urlsplit(self.static_prefix).path) :]
        path = static_file_path(name)
        if path is None:
            raise FetchRefused(f"No static file named {name!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_file_path(name: str) -> Path | None:
    """The file on disk behind a static name; None for anything outside the static files."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts:
        return None
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    # In production the names carry content hashes and exist only where collectstatic put them.
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def pdf_document(
    template: str,
    context: dict[str, Any],
    *,
    base_url: str,
    request: HttpRequest | None = None,
) -> Document:
    """Lay out ``template`` as pages; ``base_url`` is the site's root, e.g. ``https://host/``."""
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly(base_url)).render()


def render_pdf(
    template: str,
    context: dict[str, Any],
    *,
    base_url: str,
    request: HttpRequest | None = None,
) -> bytes:
    document = pdf_document(template, context, base_url=base_url, request=request)
    # Tagged: headings, tables and reading order reach screen readers.
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf


def pdf_response(
    *,
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    filename_stem: str,
    audit_object: tuple[str, object],
    district_id: int | None = None,
) -> HttpResponse:
    """A PDF download with the same headers, and the same audit event, as every export."""
    pdf = render_pdf(template, context, base_url=request.build_absolute_uri("/"), request=request)
    object_type, object_id = audit_object
    audit_record(
        action="export",
        object_type=object_type,
        object_id=object_id,
        district_id=district_id,
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    download_headers(response, filename=f"{filename_stem}.pdf")
    return response
