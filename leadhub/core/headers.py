"""Response headers that views opt into.

Security headers every response carries (CSP, HSTS, nosniff, frame and referrer
policies) come from settings and middleware; this module holds what only some
responses need.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]


def no_store(view: View) -> View:
    """For every page and download that shows student-level or confidential data:
    no browser, proxy or back-button cache keeps a copy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        # HTTP/1.0 caches know only Pragma.
        response["Pragma"] = "no-cache"
        return response

    return wrapped
