"""Team health for a team, its principal and their coaches: the teams a person may read,
one team's indicators over both windows, and the records behind each number.

Thin: the gate is :mod:`leadhub.health.access`, the figures come from
:mod:`leadhub.health.selectors` (computed live, so the page is exact) and the monthly trend
from :mod:`leadhub.health.trend`; this module only arranges them for reading.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from leadhub.core.access import not_found
from leadhub.health.access import (
    district_health_access,
    reads_hub_health,
    reads_school_health,
    team_get_for_health,
    teams_with_health_visible_to,
)
from leadhub.health.compute import MONTHLY_PERIOD_DAYS
from leadhub.health.indicators import BY_CODE, INDICATORS, Code, Indicator, Unit
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.results import (
    Evidence,
    EvidenceKind,
    IndicatorResult,
    TeamHealth,
    WindowKey,
)
from leadhub.health.selectors import most_room, team_health_for
from leadhub.health.self_assessment import (
    compare,
    latest_released,
    released_source,
    team_self_assessments,
)
from leadhub.health.standards import BAND_LABELS, Bands, Standard
from leadhub.health.trend import team_trend
from leadhub.meetings.models import ActionItem, Decision
from leadhub.orgs.models import District, Hub, School
from leadhub.orgs.scope import org_scope_for
from leadhub.teams.access import SCHOOL_MANAGER_ROLES, team_access
from leadhub.teams.models import Team, TeamKind, TeamLevel

FOCUS_COUNT = 3
NOT_MEASURED = "unmeasured"

KIND_IN_A_SENTENCE: dict[str, str] = {
    TeamKind.ILT: "An ILT",
    TeamKind.INSTRUCTIONAL: "An instructional team",
    TeamKind.ADMINISTRATIVE: "An administrative team",
    TeamKind.SIT: "A School Improvement Team",
    TeamKind.DISTRICT: "A district team",
    TeamKind.NETWORK: "A principal network",
    TeamKind.COLLECTIVE: "A leadership collective",
}
PERIOD_IN_WORDS = {7: "every week", 14: "every two weeks", 21: "every three weeks"}
WHAT_MIN_DATA_COUNTS = {
    Code.CADENCE: "meeting periods",
    Code.FOLLOW_THROUGH: "action items due",
    Code.CLOSING_THE_LOOP: "decisions",
}
CONFIDENTIAL_LABELS = {
    EvidenceKind.ACTION: "A confidential action item",
    EvidenceKind.DECISION: "A confidential decision",
}
# The page's CSS puts ✓ and ✗ before the first two, so the mark is never colour alone.
COUNTED_LABELS = {True: "Meets it", False: "Falls short", None: "Not in the figure"}
TALLY_LABELS = {True: "meet it", False: "fall short", None: "not in the figure"}


# --- Home --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandCount:
    band: str  # a Band value, or NOT_MEASURED
    label: str
    count: int


@dataclass(frozen=True)
class TeamSummary:
    team: Team
    counts: tuple[BandCount, ...]  # empty: not computed yet
    as_of: dt.date | None


@dataclass(frozen=True)
class TeamGroup:
    title: str
    kind: str  # "School", "District", "Hub"
    teams: list[TeamSummary]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    teams = list(
        teams_with_health_visible_to(request.user)
        .filter(archived_on=None)
        .select_related("school__district", "district", "hub")
        .order_by("name")
    )
    # The ILT leads a school's improvement work, so it comes first.
    teams.sort(key=lambda team: team.kind != TeamKind.ILT)
    return render(
        request,
        "health/home.html",
        {
            "groups": _groups(teams, _latest_bands([team.pk for team in teams])),
            "views_across": _views_across(request),
        },
    )


def _latest_bands(team_ids: list[int]) -> dict[int, tuple[dt.date, list[str]]]:
    """Each team's latest snapshot from this month or last (the nightly job may not have
    run yet this month): its date and its indicators' bands over the school year."""
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rows = (
        HealthSnapshot.objects.filter(team_id__in=team_ids, month__gte=last_month)
        .order_by("team_id", "month")
        .values_list("team_id", "month", "as_of", "year_status", "year_band")
    )
    latest: dict[int, tuple[dt.date, dt.date, list[str]]] = {}
    for team_id, month, as_of, status, band in rows:
        if team_id not in latest or latest[team_id][0] < month:
            latest[team_id] = (month, as_of, [])
        latest[team_id][2].append(band if status == Status.MEASURED else NOT_MEASURED)
    return {team_id: (as_of, bands) for team_id, (_, as_of, bands) in latest.items()}


def _groups(teams: Sequence[Team], bands: dict[int, tuple[dt.date, list[str]]]) -> list[TeamGroup]:
    grouped: dict[tuple[int, str, int], TeamGroup] = {}
    for team in teams:
        order, title, kind, place_id = _place_of(team)
        key = (order, title, place_id)
        group = grouped.setdefault(key, TeamGroup(title=title, kind=kind, teams=[]))
        as_of, team_bands = bands.get(team.pk, (None, []))
        group.teams.append(TeamSummary(team=team, counts=_band_counts(team_bands), as_of=as_of))
    return [grouped[key] for key in sorted(grouped)]


def _place_of(team: Team) -> tuple[int, str, str, int]:
    if team.level == TeamLevel.SCHOOL and team.school is not None:
        return 0, team.school.name, "School", team.school.pk
    if team.level == TeamLevel.DISTRICT and team.district is not None:
        return 1, team.district.name, "District", team.district.pk
    hub_name = team.hub.name if team.hub is not None else "Hub"
    return 2, hub_name, "Hub", team.hub_id or 0


def _band_counts(bands: Iterable[str]) -> tuple[BandCount, ...]:
    counts = Counter(bands)
    labels = {**BAND_LABELS, NOT_MEASURED: "not measured yet"}
    return tuple(
        BandCount(band=band, label=label, count=counts[band])
        for band, label in labels.items()
        if counts[band]
    )


def _views_across(request: HttpRequest) -> list[tuple[str, str]]:
    """Links to the school, district and hub views the person may open (scope is cached,
    so the access checks cost no query; each kind of place is one query)."""
    user = request.user
    scope = org_scope_for(user)
    managed = [pk for pk, roles in scope.school_roles.items() if roles & SCHOOL_MANAGER_ROLES]
    links = [
        (f"{school.name}: every team", reverse("health:school", args=[school.pk]))
        for school in School.objects.filter(pk__in=managed).order_by("name")
    ]
    district_ids = scope.led_district_ids | scope.served_district_ids
    links += [
        (f"{district.name}: every team", reverse("health:district", args=[district.pk]))
        for district in District.objects.filter(pk__in=district_ids).order_by("name")
        if district_health_access(user, district).read
    ]
    hubs = Hub.objects.filter(Q(pk__in=scope.hub_ids) | Q(state_id__in=scope.state_ids))
    links += [
        (f"{hub.name}: every district", reverse("health:hub", args=[hub.pk]))
        for hub in hubs.order_by("name")
        if reads_hub_health(user, hub)
    ]
    return links


# --- One team ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One indicator over one window, ready to read."""

    result: IndicatorResult
    value_text: str
    band_label: str
    status_label: str
    evidence_url: str


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    cells: tuple[Cell, Cell]  # the school year, then the last 90 days


@dataclass(frozen=True)
class WindowSummary:
    label: str
    start: dt.date
    end: dt.date
    counts: tuple[BandCount, ...]


@login_required
@require_GET
def team_health(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_health(request.user, pk)
    health = team_health_for(team)
    focus = most_room(health, FOCUS_COUNT)
    trend_code = _trend_code(request.GET.get("trend", ""), focus)
    return render(
        request,
        "health/team.html",
        {
            "team": team,
            "access": access,
            "health": health,
            "standard_sentence": standard_sentence(team.kind, health.standard),
            "summaries": [_window_summary(health, window.key) for window in health.windows],
            "focus": [_cell(team, result) for result in focus],
            "rows": _rows(team, health),
            "indicators": INDICATORS,
            "trend_code": trend_code,
            "trend": team_trend(team.pk, trend_code, since=health.windows[0].start),
            "place": _place_link(request, team),
            "perceived": _perceived(team, health) if access.read_self_assessment else None,
        },
    )


def _perceived(team: Team, health: TeamHealth) -> dict[str, object] | None:
    """The latest released self-assessment beside the records, for the page's panel."""
    if team.school_id is None:
        return None
    latest = latest_released(team_self_assessments(team))
    if latest is None or latest.results is None:
        return None
    return {"comparisons": compare(latest.results, health), "source": released_source(latest)}


def _trend_code(asked: str, focus: Sequence[IndicatorResult]) -> str:
    if asked in BY_CODE:
        return asked
    return focus[0].code if focus else Code.CADENCE


def standard_sentence(kind: str, standard: Standard) -> str:
    """'An ILT is expected to meet every two weeks for 90 minutes.'"""
    days = standard.period_days
    every = PERIOD_IN_WORDS.get(days) or (
        "every month" if days >= MONTHLY_PERIOD_DAYS else f"every {days} days"
    )
    subject = KIND_IN_A_SENTENCE.get(kind, "A team")
    return f"{subject} is expected to meet {every} for {standard.meeting_minutes} minutes."


def _window_summary(health: TeamHealth, key: WindowKey) -> WindowSummary:
    window = next(w for w in health.windows if w.key == key)
    bands = [
        str(result.band) if result.measured and result.band else NOT_MEASURED
        for result in health.for_window(key)
    ]
    return WindowSummary(window.label, window.start, window.end, _band_counts(bands))


def _rows(team: Team, health: TeamHealth) -> list[IndicatorRow]:
    return [
        IndicatorRow(
            indicator=item,
            cells=(
                _cell(team, health.result(item.code, WindowKey.YEAR)),
                _cell(team, health.result(item.code, WindowKey.RECENT)),
            ),
        )
        for item in INDICATORS
    ]


def _cell(team: Team, result: IndicatorResult) -> Cell:
    url = reverse("health:evidence", args=[team.pk, result.code])
    return Cell(
        result=result,
        value_text=result.indicator.value_text(result.value) if result.measured else "",
        band_label=BAND_LABELS[result.band] if result.measured and result.band else "",
        status_label=Status(result.status).label,
        evidence_url=f"{url}?window={result.window.key}",
    )


def _place_link(request: HttpRequest, team: Team) -> tuple[str, str]:
    """The team's school, district or hub, and its health page for those who may open it."""
    user = request.user
    if team.school is not None:
        url = reverse("health:school", args=[team.school.pk])
        return team.school.name, url if reads_school_health(user, team.school) else ""
    if team.district is not None:
        url = reverse("health:district", args=[team.district.pk])
        return team.district.name, url if district_health_access(user, team.district).read else ""
    if team.hub is not None:
        url = reverse("health:hub", args=[team.hub.pk])
        return team.hub.name, url if reads_hub_health(user, team.hub) else ""
    return "", ""


# --- Show me -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    day: dt.date
    label: str
    counted: bool | None
    counted_label: str
    note: str
    url: str


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int, indicator: str) -> HttpResponse:
    team, _ = team_get_for_health(request.user, pk)
    if indicator not in BY_CODE:
        not_found()
    window = WindowKey.RECENT if request.GET.get("window") == WindowKey.RECENT else WindowKey.YEAR
    health = team_health_for(team)
    result = health.result(indicator, window)
    rows = _evidence_rows(
        result.evidence, read_confidential=team_access(request.user, team).read_confidential
    )
    tally = Counter(row.counted for row in rows)
    return render(
        request,
        "health/evidence.html",
        {
            "team": team,
            "health": health,
            "item": result.indicator,
            "result": result,
            "cell": _cell(team, result),
            "other_window": next(w for w in health.windows if w.key != window),
            "standard_text": standard_text(result.indicator, health.standard[indicator]),
            "rows": rows,
            "tally": [(TALLY_LABELS[key], tally[key]) for key in (True, False, None)],
            "place": _place_link(request, team),
        },
    )


def standard_text(item: Indicator, bands: Bands) -> str:
    """The edges of the bands in words, e.g. 'Strong at 90% or more; developing from 70%;
    below that, needs attention. Measured once there are at least 3 meeting periods.'"""

    def shown(value: float) -> str:
        return f"{round(value)} minutes" if item.unit == Unit.MINUTES else f"{round(value * 100)}%"

    counts = WHAT_MIN_DATA_COUNTS.get(item.code, "held meetings")
    if item.higher_is_better:
        bands_text = (
            f"Strong at {shown(bands.strong)} or more; developing from "
            f"{shown(bands.developing)}; below that, needs attention."
        )
    else:
        bands_text = (
            f"Strong at {shown(bands.strong)} or less; developing up to "
            f"{shown(bands.developing)}; above that, needs attention."
        )
    return f"{bands_text} Measured once there are at least {bands.min_data} {counts}."


def _evidence_rows(evidence: Sequence[Evidence], *, read_confidential: bool) -> list[EvidenceRow]:
    hidden = set() if read_confidential else _confidential_records(evidence)
    return [
        EvidenceRow(
            day=item.day,
            label=CONFIDENTIAL_LABELS[item.kind]
            if (item.kind, item.record_id) in hidden
            else item.label,
            counted=item.counted,
            counted_label=COUNTED_LABELS[item.counted],
            note=item.note,
            url=_evidence_url(item),
        )
        for item in evidence
    ]


def _confidential_records(evidence: Sequence[Evidence]) -> set[tuple[str, int | None]]:
    """The action items and decisions among ``evidence`` marked confidential (a query for
    each kind present)."""
    ids = {
        kind: {e.record_id for e in evidence if e.kind == kind and e.record_id is not None}
        for kind in CONFIDENTIAL_LABELS
    }
    hidden: set[tuple[str, int | None]] = set()
    if ids[EvidenceKind.ACTION]:
        actions = ActionItem.objects.filter(pk__in=ids[EvidenceKind.ACTION], confidential=True)
        hidden |= {(EvidenceKind.ACTION, pk) for pk in actions.values_list("pk", flat=True)}
    if ids[EvidenceKind.DECISION]:
        decisions = Decision.objects.filter(pk__in=ids[EvidenceKind.DECISION], confidential=True)
        hidden |= {(EvidenceKind.DECISION, pk) for pk in decisions.values_list("pk", flat=True)}
    return hidden


def _evidence_url(item: Evidence) -> str:
    if item.kind == EvidenceKind.ACTION and item.record_id:
        return reverse("meetings:action_detail", args=[item.record_id])
    if item.meeting_id:
        return reverse("meetings:meeting_detail", args=[item.meeting_id])
    return ""
