"""Data pages (a school's and a team's measures at a glance) and schools compared (a
district's, a hub's). Thin: gate (measures.access, orgs.access, teams.access), then the
reads in :mod:`leadhub.measures.dashboards`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from leadhub.accounts.models import User
from leadhub.core.access import forbidden
from leadhub.core.progress import progress_create
from leadhub.lib.suppression import minimum_n
from leadhub.measures import dashboards
from leadhub.measures.access import (
    district_values_visible,
    hub_values_visible,
    measure_places_for,
    recompute_can,
    school_values_visible,
    value_schools_visible_to,
)
from leadhub.measures.compute import computed_measures
from leadhub.measures.forms import ComparisonForm
from leadhub.measures.tasks import recompute_district
from leadhub.orgs.access import district_get_for_user, hub_get_for_user, school_get_for_user
from leadhub.orgs.models import School
from leadhub.teams.access import team_get_for_user


@login_required
@require_GET
def school_data(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = school_get_for_user(request.user, school_pk)
    if not school_values_visible(request.user, school):
        forbidden("A school's figures are for its staff and those who lead or serve it.")
    places = measure_places_for(request.user)
    return render(
        request,
        "measures/school_data.html",
        {
            "school": school,
            "data": dashboards.school_data(request.user, school),
            "min_n": minimum_n(),
            "may_create": any(s.pk == school.pk for s in places.schools),
        },
    )


@login_required
@require_GET
def team_data(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, _ = team_get_for_user(request.user, team_pk)
    places = measure_places_for(request.user)
    return render(
        request,
        "measures/team_data.html",
        {
            "team": team,
            "cards": dashboards.team_data(request.user, team),
            "waiting": dashboards.team_measures_without_values(request.user, team),
            "min_n": minimum_n(),
            "may_create": any(t.pk == team.pk for t in places.teams),
        },
    )


@login_required
@require_GET
def district_data(request: HttpRequest, pk: int) -> HttpResponse:
    district = district_get_for_user(request.user, pk)
    if not district_values_visible(request.user, district):
        forbidden("Schools are compared for the district's leaders and those who serve it.")
    schools = value_schools_visible_to(request.user).filter(district=district)
    context = _comparison_context(request, schools)
    may_recompute = recompute_can(request.user, district)
    context.update(
        place=district,
        place_kind="district",
        may_recompute=may_recompute and computed_measures(district.pk).exists(),
    )
    return render(request, "measures/comparison.html", context)


@login_required
@require_GET
def hub_data(request: HttpRequest, slug: str) -> HttpResponse:
    hub = hub_get_for_user(request.user, slug)
    if not hub_values_visible(request.user, hub):
        forbidden("A hub's schools are compared for its director and coaches.")
    schools = value_schools_visible_to(request.user).filter(
        pk__in=dashboards.hub_schools(hub).values("pk")
    )
    context = _comparison_context(request, schools)
    context.update(place=hub, place_kind="hub", may_recompute=False)
    return render(request, "measures/comparison.html", context)


def _comparison_context(request: HttpRequest, schools: QuerySet[School]) -> dict[str, Any]:
    """The comparison the page address asks for; the first measure, its latest period
    and all students when it asks for none (or for something not on offer)."""
    measures = dashboards.comparison_measures(request.user, schools)
    if not measures:
        return {"comparison": None, "form": None, "schools": schools}
    wanted = request.GET.get("measure", "")
    measure = next((m for m in measures if str(m.pk) == wanted), measures[0])
    result = dashboards.comparison(
        request.user,
        measure,
        schools,
        group_code=request.GET.get("group", ""),
        period_start=_date(request.GET.get("period", "")),
        sort=request.GET.get("sort", "name"),
    )
    form = ComparisonForm(
        measures=measures,
        periods=[(p.start.isoformat(), p.label) for p in result.periods],
        groups=[(g.code, g.label) for g in result.groups],
        initial={
            "measure": measure.pk,
            "period": result.period.start.isoformat() if result.period else "",
            "group": result.group.code if result.group else "",
            "sort": result.sort,
        },
    )
    chosen = {
        "measure": measure.pk,
        "period": result.period.start.isoformat() if result.period else "",
        "group": result.group.code if result.group else "",
    }
    return {
        "comparison": result,
        "form": form,
        "schools": schools,
        "base_query": urlencode({k: v for k, v in chosen.items() if v}),
        "min_n": minimum_n(),
    }


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
@require_POST
def district_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    district = district_get_for_user(request.user, pk)
    if not recompute_can(request.user, district):
        forbidden("Only the district's leaders can have its computed values worked out again.")
    progress = progress_create(
        kind="measures.recompute_district",
        label=f"Work out {district}'s computed measures again",
        owner=cast(User, request.user),
        district=district,
    )
    recompute_district.enqueue(str(progress.pk), district.pk)
    return redirect("core:task_detail", pk=progress.pk)
