"""The measures home, the library of measures, and defining, changing and archiving one.

Thin: gate (measures.access), form, service.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.lib.concurrency import EditConflict, conflict_report
from leadhub.measures import selectors, services
from leadhub.measures.access import (
    measure_get_for_user,
    measure_places_for,
    measure_require_edit,
)
from leadhub.measures.dashboards import data_pages_for
from leadhub.measures.forms import LibraryFilterForm, MeasureCreateForm, MeasureForm
from leadhub.measures.models import Measure, MeasureSource
from leadhub.measures.views.common import errors_to_form, form_status
from leadhub.teams.access import require

MEASURES_PER_PAGE = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the page most useful to this person: their school's data, their
    district's or hub's schools compared; the library for everyone else."""
    return redirect(data_pages_for(request.user).landing or "measures:library")


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    filters = LibraryFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    measures = selectors.library(
        request.user,
        level=chosen.get("level", ""),
        source=chosen.get("source", ""),
        search=chosen.get("q", ""),
        archived=bool(chosen.get("archived")),
    )
    page = Paginator(measures, MEASURES_PER_PAGE).get_page(request.GET.get("page"))
    places = measure_places_for(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/library.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(m, selectors.measure_place_words(m)) for m in page.object_list],
            "filtered": any(chosen.values()),
            "archived": bool(chosen.get("archived")),
            "may_create": bool(places),
            "may_compute": places.computed_allowed,
            "pages": data_pages_for(request.user),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest) -> HttpResponse:
    places = measure_places_for(request.user)
    require(
        bool(places),
        "Principals, assistant principals, team members, district leaders and state "
        "administrators define measures.",
    )
    computed = request.GET.get("source") == MeasureSource.COMPUTED and places.computed_allowed
    form = MeasureCreateForm(request.POST or None, places=places, computed=computed)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_create(
                actor=cast(User, request.user),
                place=form.cleaned_data["place"],
                source=MeasureSource.COMPUTED if computed else form.cleaned_data["source"],
                **form.measure_values(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"“{measure.name}” is in the library.")
            return redirect(measure)
    return render(
        request,
        "measures/measure_form.html",
        {"form": form, "computed": computed, "may_compute": places.computed_allowed},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_get_for_user(request.user, pk)
    measure_require_edit(request.user, measure)
    computed = measure.source == MeasureSource.COMPUTED
    form = MeasureForm(request.POST or None, instance=measure, computed=computed)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                measure=cast(Measure, form.instance),
                actor=cast(User, request.user),
                expected_version=form.expected_version,
                **form.measure_values(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except EditConflict as error:
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=form.edited_fields
            )
            current = cast(Measure | None, error.current) or measure_get_for_user(request.user, pk)
            form = MeasureForm(
                form.data_against(error.current), instance=current, computed=computed
            )
        else:
            messages.success(request, f"“{measure.name}” is saved.")
            return redirect(measure)
    return render(
        request,
        "measures/measure_form.html",
        {"form": form, "measure": measure, "computed": computed, "conflict": conflict},
        status=form_status(request, conflict),
    )


@login_required
@require_POST
def measure_archive(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_get_for_user(request.user, pk)
    measure_require_edit(request.user, measure)
    action = request.POST.get("action")
    if action not in ("archive", "unarchive"):
        return HttpResponseBadRequest("Say whether to archive the measure or bring it back.")
    try:
        services.measure_archive(
            measure=measure, actor=cast(User, request.user), archived=action == "archive"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        messages.error(request, "Someone changed this measure at the same moment. Try again.")
    else:
        messages.success(
            request,
            f"“{measure.name}” is archived: its values stay readable, and it leaves the data pages."
            if action == "archive"
            else f"“{measure.name}” is back in use.",
        )
    return redirect(measure)
