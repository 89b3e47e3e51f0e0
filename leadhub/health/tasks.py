"""Background recomputation of team-health snapshots."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from leadhub.health.snapshots import snapshots_refresh


@task
def refresh_team_health(team_ids: list[int]) -> int:
    """The whole school year's snapshots of teams whose records just changed: an edit to a
    past meeting changes every month since. Returns the rows written."""
    return snapshots_refresh(team_ids)


@task
def refresh_current_month() -> int:
    """Every active team's snapshot for the month under way. On a month's first day the
    month just ended is computed once more, as of its last day, so its final snapshot counts
    the meetings held after the previous night's run."""
    today = timezone.localdate()
    written = snapshots_refresh(today=today, months="current")
    if today.day == 1:
        written += snapshots_refresh(today=today - dt.timedelta(days=1), months="current")
    return written
