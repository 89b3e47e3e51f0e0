"""Goal progress on constructed data: checkpoints against the trajectory, interim
targets included, interim measures judged on their own, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leadhub.measures.models import Direction
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.plans.models import Goal
from leadhub.plans.progress import goal_progress, goals_progress
from leadhub.plans.tests.factories import CheckpointFactory, GoalFactory, InterimTargetFactory
from leadhub.plans.trajectory import Track

pytestmark = pytest.mark.django_db

BASELINE = dt.date(2025, 9, 1)
WINTER = dt.date(2026, 1, 1)
DEADLINE = dt.date(2026, 5, 1)


def reading_goal(world: Any, **fields: Any) -> Goal:
    values = {
        "plan": world.objects["plan"],
        "measure": world.objects["plan_measure"],
        "baseline_value": 30.0,
        "baseline_date": BASELINE,
        "target_value": 50.0,
        "deadline": DEADLINE,
    } | fields
    return GoalFactory(**values)


def checkpoint(goal: Goal, on: dt.date, value: float, **fields: Any) -> Any:
    return CheckpointFactory(goal=goal, measured_on=on, value=value, **fields)


def test_the_worlds_goal_is_on_track(world: Any) -> None:
    progress = goal_progress(world.objects["plan_goal"])
    assert [w.label for w in progress.waypoints] == ["Baseline", "Winter benchmark", "Target"]
    assert progress.track == Track.ON_TRACK
    assert progress.latest is not None
    assert progress.latest.checkpoint == world.objects["checkpoint"]
    assert progress.interim_readings == {}


def test_a_reading_on_track_only_because_of_the_interim_target(world: Any) -> None:
    straight = reading_goal(world)
    dipped = reading_goal(world)
    InterimTargetFactory(goal=dipped, label="Winter benchmark", target_value=32.0, due_on=WINTER)
    for goal in (straight, dipped):
        checkpoint(goal, WINTER, 33.0)
    result = goals_progress([straight, dipped])
    assert result[straight.pk].track == Track.OFF_TRACK
    assert result[dipped.pk].track == Track.ON_TRACK
    assert result[dipped.pk].readings[0].judgement.expected == 32.0
    assert "33% is at or above the 32%" in result[dipped.pk].readings[0].judgement.reason


def test_every_checkpoint_is_judged_and_the_latest_sets_the_status(world: Any) -> None:
    goal = reading_goal(world)
    InterimTargetFactory(goal=goal, label="Winter benchmark", target_value=32.0, due_on=WINTER)
    checkpoint(goal, dt.date(2025, 8, 1), 29.0)  # before the baseline
    checkpoint(goal, WINTER, 33.0)
    checkpoint(goal, dt.date(2026, 3, 2), 38.0)  # the line expects 41 by then
    progress = goal_progress(goal)
    assert [r.judgement.track for r in progress.readings] == [
        Track.NOT_JUDGED,
        Track.ON_TRACK,
        Track.OFF_TRACK,
    ]
    assert progress.track == Track.OFF_TRACK
    assert progress.latest is progress.readings[-1]


def test_a_checkpoint_on_an_interim_target_of_the_goals_own_measure(world: Any) -> None:
    goal = reading_goal(world)
    winter = InterimTargetFactory(goal=goal, target_value=32.0, due_on=WINTER)
    same_measure = InterimTargetFactory(
        goal=goal,
        measure=goal.measure,
        label="Spring window",
        target_value=45.0,
        due_on=dt.date(2026, 3, 1),
    )
    checkpoint(goal, WINTER, 31.0, interim_target=winter)
    checkpoint(goal, dt.date(2026, 3, 1), 46.0, interim_target=same_measure)
    progress = goal_progress(goal)
    assert [w.label for w in progress.waypoints] == [
        "Baseline",
        "Winter benchmark",
        "Spring window",
        "Target",
    ]
    assert [r.judgement.track for r in progress.readings] == [Track.OFF_TRACK, Track.ON_TRACK]
    assert progress.interim_readings == {}


def test_interim_measures_are_judged_on_their_own(world: Any) -> None:
    goal = reading_goal(world)
    walkthroughs = MeasureFactory(district=world.district, unit="count", name="Walkthroughs")
    absence = MeasureFactory(district=world.district, direction=Direction.DOWN)
    counted = InterimTargetFactory(
        goal=goal,
        measure=walkthroughs,
        label="Walkthroughs",
        baseline_value=4.0,
        target_value=20.0,
        due_on=dt.date(2026, 1, 31),
    )
    absent = InterimTargetFactory(
        goal=goal,
        measure=absence,
        label="Chronic absence",
        target_value=10.0,
        due_on=dt.date(2026, 1, 31),
    )
    checkpoint(goal, dt.date(2025, 11, 16), 12.0, interim_target=counted)  # halfway: 12
    checkpoint(goal, dt.date(2025, 12, 1), 11.0, interim_target=absent)  # not due yet
    checkpoint(goal, dt.date(2026, 2, 2), 12.0, interim_target=absent)  # missed
    progress = goal_progress(goal)
    assert progress.readings == []
    assert set(progress.interim_readings) == {counted.pk, absent.pk}
    assert [r.judgement.track for r in progress.interim_readings[counted.pk]] == [Track.ON_TRACK]
    assert [r.judgement.track for r in progress.interim_readings[absent.pk]] == [
        Track.NOT_JUDGED,
        Track.OFF_TRACK,
    ]
    # The goal's own trajectory has no interim point from either measure.
    assert [w.label for w in progress.waypoints] == ["Baseline", "Target"]
    assert progress.latest is not None and progress.latest.checkpoint.value == 12.0
    assert progress.track == Track.OFF_TRACK


def test_an_interim_measure_with_a_baseline_starts_at_the_plans_first_day_without_a_goal_baseline(
    world: Any,
) -> None:
    goal = reading_goal(world, baseline_date=None)
    walkthroughs = MeasureFactory(district=world.district, unit="count")
    plan_start = world.objects["plan"].school_year.start_date
    due = plan_start + dt.timedelta(days=100)
    counted = InterimTargetFactory(
        goal=goal, measure=walkthroughs, baseline_value=0.0, target_value=10.0, due_on=due
    )
    checkpoint(goal, plan_start + dt.timedelta(days=50), 5.0, interim_target=counted)
    progress = goal_progress(goal)
    reading = progress.interim_readings[counted.pk][0]
    assert reading.judgement.track == Track.ON_TRACK
    assert reading.judgement.expected == pytest.approx(5.0)
    assert progress.waypoints == []  # no goal baseline, no goal trajectory


def test_a_goal_without_checkpoints_is_not_judged(world: Any) -> None:
    progress = goal_progress(reading_goal(world))
    assert progress.latest is None and progress.readings == []
    assert progress.track == Track.NOT_JUDGED


def test_lower_is_better_goals(world: Any) -> None:
    absence = MeasureFactory(district=world.district, direction=Direction.DOWN)
    goal = reading_goal(world, measure=absence, baseline_value=22.0, target_value=14.0)
    checkpoint(goal, WINTER, 17.0)
    assert goal_progress(goal).track == Track.ON_TRACK  # the line expects about 18
    checkpoint(goal, dt.date(2026, 4, 1), 17.0)
    assert goal_progress(goal).track == Track.OFF_TRACK  # about 15 by April


def test_a_fixed_number_of_queries_whatever_the_number_of_goals(
    world: Any, django_assert_num_queries: Any
) -> None:
    walkthroughs = MeasureFactory(district=world.district, unit="count")
    goals = []
    for n in range(4):
        goal = reading_goal(world)
        own = InterimTargetFactory(goal=goal, target_value=35.0 + n, due_on=WINTER)
        other = InterimTargetFactory(
            goal=goal, measure=walkthroughs, target_value=10.0, due_on=WINTER
        )
        checkpoint(goal, WINTER, 36.0, interim_target=own)
        checkpoint(goal, WINTER, 12.0, interim_target=other)
        checkpoint(goal, dt.date(2026, 2, 1), 40.0)
        goals.append(Goal.objects.get(pk=goal.pk))
    with django_assert_num_queries(4):
        one = goals_progress(goals[:1])
    with django_assert_num_queries(4):
        every = goals_progress(goals)
    with django_assert_num_queries(0):
        for progress in every.values():
            for reading in progress.readings:
                assert reading.checkpoint.goal is progress.goal
                reading.checkpoint.interim_target  # noqa: B018 - loaded already
            assert progress.track in Track
    assert set(every) == {g.pk for g in goals}
    assert one[goals[0].pk].track == every[goals[0].pk].track
    assert goals_progress([]) == {}
