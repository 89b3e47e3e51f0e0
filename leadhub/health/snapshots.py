"""Writing the monthly health snapshots that school, district and hub views read.

Teams are worked through in batches: each batch loads every team's history over the whole
span once (a fixed number of queries), computes each month in Python, then replaces the
batch's rows with one delete and one bulk insert in a transaction. A reader never sees a
team half rewritten, and no query is made per team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from itertools import batched
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from leadhub.health.compute import history_span, team_health
from leadhub.health.history import TeamHistory, histories_load
from leadhub.health.models import HealthSnapshot
from leadhub.health.results import IndicatorResult, TeamHealth, WindowKey
from leadhub.health.selectors import standards_for
from leadhub.lib.bulk import Values, insert_rows
from leadhub.orgs.schoolyears import school_year_bounds, school_year_of
from leadhub.teams.models import Team

Months = Literal["year", "current"]
TEAMS_PER_BATCH = 300
DETAIL_LENGTH = HealthSnapshot._meta.get_field("year_detail").max_length or 120


@dataclass(frozen=True)
class SnapshotMonth:
    month: dt.date  # its first day
    as_of: dt.date  # its last day, or today for the month under way


def months_to_compute(today: dt.date, months: Months) -> list[SnapshotMonth]:
    """Every month of the school year up to ``today`` ("year"), or only today's ("current")."""
    first = today.replace(day=1)
    if months == "current":
        return [SnapshotMonth(first, today)]
    start, _ = school_year_bounds(school_year_of(today))
    found = []
    month = start.replace(day=1)
    while month <= first:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        found.append(SnapshotMonth(month, min(following - dt.timedelta(days=1), today)))
        month = following
    return found


def snapshots_refresh(
    team_ids: Collection[int] | None = None,
    *,
    today: dt.date | None = None,
    months: Months = "year",
) -> int:
    """Recompute the snapshots of ``team_ids`` (every active team when None) and return the
    number of rows written. Archived teams are left as they were last computed."""
    day = today or timezone.localdate()
    wanted = months_to_compute(day, months)
    spans = [history_span(item.as_of) for item in wanted]
    start, end = min(span[0] for span in spans), max(max(span[1] for span in spans), day)
    if team_ids is None:
        ids = list(Team.objects.active().order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(team_ids))
    return sum(
        _refresh_batch(batch, wanted, start=start, end=end)
        for batch in batched(ids, TEAMS_PER_BATCH)
    )


def _refresh_batch(
    team_ids: tuple[int, ...], wanted: list[SnapshotMonth], *, start: dt.date, end: dt.date
) -> int:
    places = {
        row["pk"]: row
        for row in Team.objects.active()
        .filter(pk__in=team_ids)
        .values("pk", "kind", "district_id", "school_id", "hub_id")
    }
    if not places:
        return 0
    histories = histories_load(list(places), start=start, end=end)
    standards = standards_for({place["district_id"] for place in places.values()})
    computed_at = timezone.now()
    rows: list[Values] = []
    for team_id, history in histories.items():
        place = places[team_id]
        standard = standards[place["district_id"]][place["kind"]]
        for item in wanted:
            health = team_health(history, standard, as_of=item.as_of)
            rows.extend(_snapshot_rows(health, history, place, item, computed_at))
    with transaction.atomic():
        HealthSnapshot.objects.filter(
            team_id__in=list(places), month__in=[item.month for item in wanted]
        ).delete()
        insert_rows(HealthSnapshot, rows)
    return len(rows)


def _snapshot_rows(
    health: TeamHealth,
    history: TeamHistory,
    place: Mapping[str, Any],
    item: SnapshotMonth,
    computed_at: dt.datetime,
) -> Iterator[Values]:
    for year in health.for_window(WindowKey.YEAR):
        recent = health.result(year.code, WindowKey.RECENT)
        yield {
            "team_id": history.team.id,
            "district_id": place["district_id"],
            "school_id": place["school_id"],
            "hub_id": place["hub_id"],
            "team_kind": str(history.team.kind),
            "month": item.month,
            "as_of": item.as_of,
            "indicator": str(year.code),
            "year_status": str(year.status),
            "year_value": year.value if year.measured else None,
            "year_band": str(year.band or "") if year.measured else "",
            "year_detail": _detail(year),
            "recent_status": str(recent.status),
            "recent_value": recent.value if recent.measured else None,
            "recent_band": str(recent.band or "") if recent.measured else "",
            "recent_detail": _detail(recent),
            "computed_at": computed_at,
        }


def _detail(result: IndicatorResult) -> str:
    text = result.detail if result.measured else (result.reason or result.detail)
    if len(text) <= DETAIL_LENGTH:
        return text
    return text[: DETAIL_LENGTH - 1].rstrip() + "…"
