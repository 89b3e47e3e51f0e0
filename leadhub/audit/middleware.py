"""Request ids, and audit rows for the access layer's refusals."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from leadhub.audit.services import access_denial_record

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand over: a uuid, hex or a similar token, short enough to store.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")


class RequestIdMiddleware:
    """Gives every request an id (the proxy's ``X-Request-ID`` when it is a valid one,
    a fresh uuid4 hex otherwise) and echoes it in the response, so a person's report,
    the server log and an audit row can be matched up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if VALID_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class AuditAccessMiddleware:
    """Records every 404 and 403 that the access layer raises from a view.

    Other 404s (an unknown URL, ``get_object_or_404``) are not access decisions and are
    not recorded. Django turns the exception into the error page afterwards as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        access_denial_record(request=request, exception=exception)
