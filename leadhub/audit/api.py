"""The API's side of denial auditing.

Django REST framework turns ``Http404`` and ``PermissionDenied`` into responses inside
the view, so the middleware's ``process_exception`` never sees them; this exception
handler records the access layer's refusals first, then answers as DRF always does.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

from leadhub.audit.services import access_denial_record


def audited_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if request is not None:
        access_denial_record(request=request._request, exception=exc)
    return exception_handler(exc, context)
