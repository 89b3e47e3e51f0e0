"""Which teams have improvement-plan goals to monitor.

Goal monitoring is measured only once a school's improvement plan has goals; before that
the indicator reads "no data yet" rather than a misleading zero.
"""

from __future__ import annotations

from collections.abc import Collection


def teams_with_plan_goals(team_ids: Collection[int]) -> set[int]:
    """The teams among ``team_ids`` whose school's improvement plan has goals to monitor.

    Empty until the improvement-plans feature (issue 7) exists: it will answer this from
    its goals. Until then every team's goal monitoring reads "no data yet"."""
    return set()
