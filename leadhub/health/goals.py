"""Which teams have improvement-plan goals to monitor.

Goal monitoring is measured only once there are goals to monitor; before that the
indicator reads "no data yet" rather than a misleading zero. A school's teams have goals
once the school's improvement plan has a goal that is not retired; a district's teams
once a strategic plan of the district (not archived) has a driver diagram with an aim.
Teams of a hub (networks, collectives) are never counted here.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Exists, OuterRef, Q

from leadhub.plans.models import Goal
from leadhub.strategy.models import DriverDiagram, StrategicPlanStatus
from leadhub.teams.models import Team, TeamLevel


def teams_with_plan_goals(team_ids: Collection[int]) -> set[int]:
    """The teams among ``team_ids`` that have plan goals to monitor (one query):

    * school-level teams whose school has a School Improvement Plan with at least one
      goal that is not retired (a plan of any status or year);
    * district-level teams whose district has a strategic plan that is not archived and
      whose driver diagram names its aim (an outcome).
    """
    if not team_ids:
        return set()
    school_goals = Goal.objects.filter(plan__school_id=OuterRef("school_id"), retired=False)
    district_aims = DriverDiagram.objects.filter(
        plan__district_id=OuterRef("district_id"), plan__hub__isnull=True
    ).exclude(Q(outcome="") | Q(plan__status=StrategicPlanStatus.ARCHIVED))
    rows = (
        Team.objects.filter(pk__in=list(team_ids))
        .alias(has_goals=Exists(school_goals), has_aim=Exists(district_aims))
        .filter(
            Q(level=TeamLevel.SCHOOL, school__isnull=False, has_goals=True)
            | Q(level=TeamLevel.DISTRICT, district__isnull=False, has_aim=True)
        )
    )
    return set(rows.values_list("pk", flat=True))
