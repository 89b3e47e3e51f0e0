"""The health hook: which teams have plan goals to monitor."""

from __future__ import annotations

from typing import Any

from leadhub.health.goals import teams_with_plan_goals
from leadhub.plans.models import Goal
from leadhub.plans.tests.factories import GoalFactory, SchoolPlanFactory
from leadhub.strategy.models import StrategicPlanStatus
from leadhub.strategy.tests.factories import DriverDiagramFactory, StrategicPlanFactory
from leadhub.teams.models import TeamKind
from leadhub.teams.tests.factories import TeamFactory


def test_the_world_schools_teams_have_goals_and_the_sibling_schools_do_not(world: Any) -> None:
    ilt = world.objects["ilt"]
    sibling_team = TeamFactory(kind=TeamKind.ILT, school=world.sibling_school)
    # The sibling school has a draft plan, but no goals in it.
    assert world.objects["sibling_plan"].goals.count() == 0
    assert teams_with_plan_goals([ilt.pk, sibling_team.pk]) == {ilt.pk}


def test_a_plan_whose_goals_are_all_retired_has_none_to_monitor(world: Any) -> None:
    ilt = world.objects["ilt"]
    Goal.objects.filter(plan__school=world.school).update(retired=True)
    assert teams_with_plan_goals([ilt.pk]) == set()


def test_a_sibling_school_team_counts_once_its_plan_has_a_goal(world: Any) -> None:
    team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.sibling_school)
    GoalFactory(plan=world.objects["sibling_plan"])
    assert teams_with_plan_goals([team.pk]) == {team.pk}


def test_district_teams_follow_their_districts_strategic_plan_aim(world: Any) -> None:
    ours = TeamFactory(kind=TeamKind.DISTRICT, school=None, district=world.district)
    theirs = TeamFactory(kind=TeamKind.DISTRICT, school=None, district=world.other_district)
    # District 1's strategic plan is in use; the world's diagram has an aim.
    assert teams_with_plan_goals([ours.pk, theirs.pk]) == {ours.pk}
    # District 2's plan: an aim, but archived, does not count.
    archived = StrategicPlanFactory(
        district=world.other_district, status=StrategicPlanStatus.ARCHIVED
    )
    DriverDiagramFactory(plan=archived)
    assert teams_with_plan_goals([theirs.pk]) == set()
    # A plan in draft whose diagram has no aim yet does not count either.
    draft = StrategicPlanFactory(district=world.other_district)
    DriverDiagramFactory(plan=draft, outcome="")
    assert teams_with_plan_goals([theirs.pk]) == set()
    DriverDiagramFactory(plan=StrategicPlanFactory(district=world.other_district))
    assert teams_with_plan_goals([theirs.pk]) == {theirs.pk}


def test_hub_networks_never_count_and_the_answer_takes_one_query(
    world: Any, django_assert_num_queries: Any
) -> None:
    network = TeamFactory(kind=TeamKind.NETWORK, school=None, district=None, hub=world.hub)
    ilt = world.objects["ilt"]
    with django_assert_num_queries(1):
        found = teams_with_plan_goals([ilt.pk, network.pk])
    assert found == {ilt.pk}
    assert teams_with_plan_goals([]) == set()


def test_a_plan_of_a_school_without_goals_but_new_plan_elsewhere(world: Any) -> None:
    other_team = TeamFactory(kind=TeamKind.ILT, school=world.other_school)
    plan = SchoolPlanFactory(school=world.other_school)
    assert teams_with_plan_goals([other_team.pk]) == set()
    GoalFactory(plan=plan, retired=True)
    assert teams_with_plan_goals([other_team.pk]) == set()
    GoalFactory(plan=plan)
    assert teams_with_plan_goals([other_team.pk]) == {other_team.pk}
