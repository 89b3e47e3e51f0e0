from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leadhub.core.access import progress_get_for_user
from leadhub.core.selectors import home_summary


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", home_summary(request.user))  # type: ignore[arg-type]


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One view, two renderings: the progress page, or the progress panel htmx polls."""
    progress = progress_get_for_user(request.user, pk)
    template = "core/_task_progress.html" if request.htmx else "core/task_detail.html"  # type: ignore[attr-defined]
    # A finished panel carries no polling trigger, so htmx stops asking.
    return render(request, template, {"progress": progress})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
