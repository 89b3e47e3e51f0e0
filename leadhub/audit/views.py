"""The audit log page: state administrators search who did what, and how it ended."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leadhub.audit import access, selectors
from leadhub.audit.filters import AuditEventFilter
from leadhub.core.headers import no_store

PAGE_SIZE = 50


@login_required
@require_GET
@no_store
def event_list(request: HttpRequest) -> HttpResponse:
    events = access.audit_events_visible_to(request.user)
    filterset = AuditEventFilter(request.GET or None, queryset=events)
    # An invalid search shows its errors and no rows, never an unfiltered list.
    searched = not filterset.is_bound or filterset.is_valid()
    results = filterset.qs if searched else events.none()
    page = Paginator(results.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": filterset,
            "searched": searched,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "outcome_counts": selectors.outcome_counts(results),
        },
    )
