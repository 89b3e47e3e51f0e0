"""Reading team health: one team's indicators computed live, the standards a district's
teams are held to, and where a team has the most room to grow."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from leadhub.health.compute import history_span, team_health
from leadhub.health.history import histories_load
from leadhub.health.models import IndicatorStandard
from leadhub.health.results import IndicatorResult, TeamHealth, WindowKey
from leadhub.health.standards import Adjustment, Band, Standard, adjusted
from leadhub.teams.models import Team

# Needs attention before developing: the order "most room to grow" lists them in.
ROOM_ORDER: dict[Band | None, int] = {Band.ATTENTION: 0, Band.DEVELOPING: 1}


def standards_for(district_ids: Iterable[int | None]) -> dict[int | None, dict[str, Standard]]:
    """Each district's standards by team kind, its adjustments laid over the defaults
    (one query); ``None`` (teams outside any district) gets the defaults."""
    wanted = {district_id for district_id in district_ids if district_id is not None}
    adjustments: dict[int, list[Adjustment]] = defaultdict(list)
    for row in IndicatorStandard.objects.filter(district_id__in=wanted):
        adjustments[row.district_id].append(row.adjustment)
    found: dict[int | None, dict[str, Standard]] = {
        district_id: adjusted(adjustments[district_id]) for district_id in wanted
    }
    found[None] = adjusted(())
    return found


def team_health_for(team: Team, *, as_of: dt.date | None = None) -> TeamHealth:
    """The team's health computed live, as of ``as_of`` (today in the team's zone)."""
    if as_of is None:
        as_of = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(team.time_zone)).date()
    start, end = history_span(as_of)
    history = histories_load([team.pk], start=start, end=end)[team.pk]
    standard = standards_for([team.district_id])[team.district_id][team.kind]
    return team_health(history, standard, as_of=as_of)


def most_room(health: TeamHealth, count: int = 3) -> list[IndicatorResult]:
    """The school year's measured indicators with the most room to grow: needs attention
    before developing, and within each, furthest from the strong edge first (relative to
    the edge, so minutes and shares compare)."""
    candidates = [
        result
        for result in health.for_window(WindowKey.YEAR)
        if result.measured and result.band in ROOM_ORDER
    ]
    candidates.sort(key=lambda result: (ROOM_ORDER.get(result.band), -_gap(health, result)))
    return candidates[:count]


def _gap(health: TeamHealth, result: IndicatorResult) -> float:
    """How far the value falls short of the strong edge, as a share of the edge."""
    strong = health.standard[result.code].strong
    value = result.value or 0.0
    shortfall = strong - value if result.indicator.higher_is_better else value - strong
    return shortfall / strong if strong else shortfall
