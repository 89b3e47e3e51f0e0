"""Serving a stored file: only ever through a view that has checked access first."""

from __future__ import annotations

from django.http import FileResponse

from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage


def stored_file_response(stored_file: StoredFile, *, as_attachment: bool) -> FileResponse:
    """The file's bytes with headers that keep browsers and proxies from misusing them.

    Images and PDFs may open in the browser; every other type is always a download.
    Raises FileNotFoundError when the stored bytes are missing.
    """
    handle = private_storage.open(stored_file.storage_name, "rb")
    response = FileResponse(
        handle,
        as_attachment=as_attachment or not stored_file.opens_in_browser,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
