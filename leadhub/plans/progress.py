"""Goal progress: each checkpoint judged against the trajectory, and the goal's status.

A checkpoint on the goal's own measure (no interim target, or an interim target on that
same measure) is judged against the goal's trajectory, interim targets included. A
checkpoint of an interim measure (walkthrough counts, a benchmark window on another
measure) is judged against that interim target alone; an interim target with its own
baseline draws its line from the goal's baseline date (or the plan's first day when the
goal has none). The goal's status is its latest reading's, of either kind: the most
recent evidence is what an ILT acts on.

:func:`goals_progress` runs four queries whatever the number of goals, so a plan page, a
line-of-sight view or a meeting agenda can show every goal's status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from leadhub.measures.models import Measure
from leadhub.plans.models import Checkpoint, Goal, InterimTarget, SchoolPlan
from leadhub.plans.trajectory import (
    Judgement,
    Track,
    Waypoint,
    goal_waypoints,
    judge,
    judge_interim,
)


@dataclass(frozen=True)
class Reading:
    checkpoint: Checkpoint
    judgement: Judgement


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    waypoints: list[Waypoint]
    readings: list[Reading]
    interim_readings: dict[int, list[Reading]] = field(default_factory=dict)
    latest: Reading | None = None
    track: Track = Track.NOT_JUDGED


def _on_goal_measure(target: InterimTarget, goal: Goal) -> bool:
    return target.measure_id is None or target.measure_id == goal.measure_id


def goals_progress(goals: Sequence[Goal]) -> dict[int, GoalProgress]:
    if not goals:
        return {}
    goal_ids = [g.pk for g in goals]
    targets_by_goal: dict[int, list[InterimTarget]] = defaultdict(list)
    targets: dict[int, InterimTarget] = {}
    for target in InterimTarget.objects.filter(goal_id__in=goal_ids).select_related("measure"):
        targets_by_goal[target.goal_id].append(target)
        targets[target.pk] = target
    checkpoints_by_goal: dict[int, list[Checkpoint]] = defaultdict(list)
    for checkpoint in Checkpoint.objects.filter(goal_id__in=goal_ids).order_by("measured_on", "pk"):
        checkpoints_by_goal[checkpoint.goal_id].append(checkpoint)
    measures = Measure.objects.in_bulk({g.measure_id for g in goals if g.measure_id})
    plan_starts: dict[int, dt.date] = dict(
        SchoolPlan.objects.filter(pk__in={g.plan_id for g in goals}).values_list(
            "pk", "school_year__start_date"
        )
    )
    return {
        goal.pk: _progress(
            goal,
            measures.get(goal.measure_id) if goal.measure_id else None,
            targets_by_goal[goal.pk],
            checkpoints_by_goal[goal.pk],
            goal.baseline_date or plan_starts[goal.plan_id],
        )
        for goal in goals
    }


def goal_progress(goal: Goal) -> GoalProgress:
    return goals_progress([goal])[goal.pk]


def _progress(
    goal: Goal,
    measure: Measure | None,
    targets: list[InterimTarget],
    checkpoints: list[Checkpoint],
    interim_start: dt.date,
) -> GoalProgress:
    direction = measure.direction if measure is not None else ""
    unit = measure.unit if measure is not None else ""
    waypoints = goal_waypoints(
        baseline_date=goal.baseline_date,
        baseline_value=goal.baseline_value,
        deadline=goal.deadline,
        target_value=goal.target_value,
        interim=[
            Waypoint(on=t.due_on, value=t.target_value, label=t.label)
            for t in targets
            if _on_goal_measure(t, goal)
        ],
    )
    by_pk = {t.pk: t for t in targets}
    readings: list[Reading] = []
    interim_readings: dict[int, list[Reading]] = {
        t.pk: [] for t in targets if not _on_goal_measure(t, goal)
    }
    every: list[Reading] = []
    for checkpoint in checkpoints:
        checkpoint.goal = goal  # the caller's goal: no query when a page follows the link
        target = by_pk.get(checkpoint.interim_target_id) if checkpoint.interim_target_id else None
        if target is not None:
            checkpoint.interim_target = target
        if target is None or _on_goal_measure(target, goal):
            reading = Reading(
                checkpoint,
                judge(
                    value=checkpoint.value,
                    on=checkpoint.measured_on,
                    waypoints=waypoints,
                    direction=direction,
                    unit=unit,
                ),
            )
            readings.append(reading)
        else:
            reading = Reading(checkpoint, _judge_interim(checkpoint, target, interim_start))
            interim_readings[target.pk].append(reading)
        every.append(reading)
    latest = every[-1] if every else None  # checkpoints come ordered by date, then pk
    return GoalProgress(
        goal=goal,
        waypoints=waypoints,
        readings=readings,
        interim_readings=interim_readings,
        latest=latest,
        track=latest.judgement.track if latest is not None else Track.NOT_JUDGED,
    )


def _judge_interim(checkpoint: Checkpoint, target: InterimTarget, start: dt.date) -> Judgement:
    measure = target.measure
    return judge_interim(
        value=checkpoint.value,
        on=checkpoint.measured_on,
        target_value=target.target_value,
        due_on=target.due_on,
        baseline_value=target.baseline_value,
        start=start,
        direction=measure.direction if measure is not None else "",
        unit=measure.unit if measure is not None else "",
    )
