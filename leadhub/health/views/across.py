"""Team health across a school, a district and a hub, read from the monthly snapshots.

Thin: gate (health.access), filters, selectors (health.across), template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from leadhub.health import across
from leadhub.health.access import (
    district_get_for_health,
    hub_get_for_health,
    reads_school_health,
    school_get_for_health,
    teams_with_health_visible_to,
)
from leadhub.health.across import ExportRow, Filters, Place
from leadhub.health.indicators import INDICATORS
from leadhub.health.models import HealthSnapshot
from leadhub.health.results import WindowKey
from leadhub.health.selectors import standards_for
from leadhub.lib.exports import Column, export_response
from leadhub.orgs.models import School
from leadhub.teams.models import CROSS_SCHOOL_KINDS, TeamKind

TEAMS_PER_PAGE = 100
WINDOW_CHOICES = [
    (WindowKey.YEAR.value, "This school year"),
    (WindowKey.RECENT.value, "Last 90 days"),
]


class AcrossFilterForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator", choices=[(item.code.value, item.name) for item in INDICATORS]
    )
    window = forms.ChoiceField(label="Over", choices=WINDOW_CHOICES)
    order = forms.ChoiceField(
        label="Sort", choices=[("worst", "Most in need first"), ("best", "Strongest first")]
    )
    kind = forms.ChoiceField(
        label="Kind of team", required=False, choices=[("", "Every kind"), *TeamKind.choices]
    )
    band = forms.ChoiceField(
        label="Band", required=False, choices=[("", "Every band"), *across.BAND_CHOICES]
    )

    def __init__(self, data: Any, *, place: Place, schools: list[School]) -> None:
        super().__init__(data)
        if place.kind == "district":
            # A district's teams are its schools' and its own; networks belong to hubs.
            kinds = [(v, label) for v, label in TeamKind.choices if v not in CROSS_SCHOOL_KINDS]
            self.fields["kind"] = forms.ChoiceField(
                label="Kind of team", required=False, choices=[("", "Every kind"), *kinds]
            )
            self.fields["school"] = forms.TypedChoiceField(
                label="School",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Every school"), *((s.pk, s.name) for s in schools)],
            )
        else:
            self.fields["district"] = forms.TypedChoiceField(
                label="District",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Every district"), *((d.pk, d.name) for d in place.districts)],
            )

    def filters(self) -> Filters:
        """What was chosen; a value that is not a choice falls back to its default."""
        chosen: dict[str, Any] = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.errors and self.cleaned_data.get(name)
        }
        return Filters(
            indicator=chosen.get("indicator", Filters.indicator),
            order=chosen.get("order", Filters.order),
            window=chosen.get("window", Filters.window),
            kind=chosen.get("kind", ""),
            band=chosen.get("band", ""),
            school_id=chosen.get("school"),
            district_id=chosen.get("district"),
        )


def _form(request: HttpRequest, place: Place, schools: list[School]) -> AcrossFilterForm:
    data = request.GET.copy()
    defaults = {"indicator": Filters.indicator, "window": Filters.window, "order": Filters.order}
    for name, value in defaults.items():
        data.setdefault(name, value)
    form = AcrossFilterForm(data, place=place, schools=schools)
    form.is_valid()
    return form


@login_required
@require_GET
def school_health(request: HttpRequest, pk: int) -> HttpResponse:
    school = school_get_for_health(request.user, pk)
    health = across.school_health(school)
    return render(
        request,
        "health/school.html",
        {"school": school, "health": health},
    )


@login_required
@require_GET
def district_health(request: HttpRequest, pk: int) -> HttpResponse:
    district, access = district_get_for_health(request.user, pk)
    place = across.district_place(district)
    schools = list(School.objects.filter(district=district).order_by("name"))
    context = _across_context(request, place, schools)
    context["may_adjust_standards"] = access.adjust_standards
    return render(request, "health/district.html", context)


@login_required
@require_GET
def hub_health(request: HttpRequest, pk: int) -> HttpResponse:
    hub = hub_get_for_health(request.user, pk)
    place = across.hub_place(hub)
    return render(request, "health/hub.html", _across_context(request, place, []))


def _across_context(request: HttpRequest, place: Place, schools: list[School]) -> dict[str, Any]:
    form = _form(request, place, schools)
    filters = form.filters()
    month = across.latest_month(across.place_snapshots(place))
    context: dict[str, Any] = {
        "place": place,
        "form": form,
        "filters": filters,
        "month": month,
        "missing": across.teams_without_snapshot(place, month),
        "window_label": dict(WINDOW_CHOICES)[filters.window],
        "indicators": INDICATORS,
        "export_url": _export_url(request, place),
    }
    if month is None:
        return context
    page = Paginator(across.chosen_rows(place, month, filters), TEAMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context.update(
        counts=across.band_counts(place, month, filters),
        page=page,
        rows=_page_rows(request, page, month, filters),
        query=_query_without_page(request),
    )
    return context


@dataclass(frozen=True)
class RankedRow:
    snapshot: HealthSnapshot
    reading: across.Reading  # the chosen indicator
    strip: list[across.Reading]  # all twelve
    link: bool  # whether the reader may open the team's own page
    school_link: bool  # whether the reader may open the team's school view


def _page_rows(
    request: HttpRequest, page: Page[HealthSnapshot], month: dt.date, filters: Filters
) -> list[RankedRow]:
    snapshots = list(page.object_list)
    team_ids = [row.team_id for row in snapshots]
    strips = across.strips(team_ids, month, filters.window)
    # Links only where the reader may open the team's page (a state administrator reads
    # the district's view but not its teams').
    openable = set(
        teams_with_health_visible_to(request.user)
        .filter(pk__in=team_ids)
        .values_list("pk", flat=True)
    )
    standards = standards_for({row.district_id for row in snapshots})
    return [
        RankedRow(
            snapshot=row,
            reading=across.reading(row, filters.window, across.snapshot_standard(row, standards)),
            strip=strips.get(row.team_id, []),
            link=row.team_id in openable,
            # The reader's scope is cached: one check per row costs no query.
            school_link=row.school is not None and reads_school_health(request.user, row.school),
        )
        for row in snapshots
    ]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _export_url(request: HttpRequest, place: Place) -> str:
    name = "health:district_export" if place.kind == "district" else "health:hub_export"
    query = _query_without_page(request)
    url = reverse(name, args=[place.obj.pk])
    return f"{url}?{query}" if query else url


# --- Exports ---------------------------------------------------------------------------------


@login_required
@require_GET
def district_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    district, _access = district_get_for_health(request.user, pk)
    place = across.district_place(district)
    schools = list(School.objects.filter(district=district).order_by("name"))
    return _export(request, place, schools, district_id=district.pk)


@login_required
@require_GET
def hub_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    hub = hub_get_for_health(request.user, pk)
    return _export(request, across.hub_place(hub), [], district_id=None)


def _export(
    request: HttpRequest, place: Place, schools: list[School], *, district_id: int | None
) -> HttpResponseBase:
    filters = _form(request, place, schools).filters()
    month = across.latest_month(across.place_snapshots(place))
    return export_response(
        request=request,
        filename_stem=f"{place.obj} team health{f' {month:%Y-%m}' if month else ''}",
        columns=export_columns(),
        rows=across.export_rows(place, month, filters),
        fmt="csv",
        audit_object=(f"health_{place.kind}", place.obj.pk),
        district_id=district_id,
    )


def export_columns() -> list[Column]:
    columns = [
        Column(
            "district",
            "District",
            lambda r: r.snapshot.district.name if r.snapshot.district else "",
        ),
        Column("school", "School", lambda r: r.snapshot.school.name if r.snapshot.school else ""),
        Column("team_id", "Team ID", lambda r: r.snapshot.team_id),
        Column("team", "Team", lambda r: r.snapshot.team.name),
        Column("team_kind", "Kind of team", lambda r: r.snapshot.get_team_kind_display()),
        Column("month", "Month", lambda r: r.snapshot.month),
        Column("as_of", "As of", lambda r: r.snapshot.as_of),
    ]
    for item in INDICATORS:
        for window, label in WINDOW_CHOICES:
            code = item.code.value
            columns += [
                Column(
                    f"{code}_{window}_value",
                    f"{item.name}: {label.lower()}",
                    partial(ExportRow.value, code=code, window=window),
                ),
                Column(
                    f"{code}_{window}_band",
                    f"{item.name}: {label.lower()}, band",
                    partial(ExportRow.band, code=code, window=window),
                ),
            ]
    return columns
