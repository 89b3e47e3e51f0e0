"""Writing goals, interim targets, checkpoints and agenda links: the content freeze, the
conflict check, the audit, and the reads the goal pages share; and the goal chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leadhub.audit.models import AuditEvent
from leadhub.lib.concurrency import EditConflict
from leadhub.measures.models import MeasureValue
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.plans import selectors
from leadhub.plans.charts import goal_chart
from leadhub.plans.models import Checkpoint, Goal, GoalAgendaLink, PlanStatus, SchoolPlan
from leadhub.plans.progress import goal_progress
from leadhub.plans.services import goals as services
from leadhub.plans.services.versions import PlanLocked
from leadhub.plans.tests.factories import CheckpointFactory, InterimTargetFactory
from leadhub.students.models import StudentGroup


def _fresh(plan: SchoolPlan) -> SchoolPlan:
    return SchoolPlan.objects.get(pk=plan.pk)


def test_adding_a_goal_to_a_published_plan_starts_its_next_version(world: Any) -> None:
    plan, principal = world.objects["plan"], world.people["principal"]
    goal = services.goal_create(
        plan=plan, actor=principal, fields={"outcome": "  Fewer students miss school  "}
    )
    plan = _fresh(plan)
    assert plan.status == PlanStatus.DRAFT and plan.current_number == 2
    assert goal.since_version == 2 and goal.outcome == "Fewer students miss school"
    assert goal.position > world.objects["plan_goal"].position
    assert AuditEvent.objects.filter(action="plan.goal_create", object_id=str(goal.pk)).exists()
    # A second change to the same draft version does not start another one.
    services.goal_create(plan=plan, actor=principal, fields={"outcome": "Another"})
    assert _fresh(plan).current_number == 2


def test_nothing_is_saved_while_the_plan_is_with_its_approvers(world: Any) -> None:
    plan = world.objects["plan"]
    SchoolPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    plan = _fresh(plan)
    before = Goal.objects.count()
    with pytest.raises(PlanLocked):
        services.goal_create(plan=plan, actor=world.people["principal"], fields={"outcome": "X"})
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    with pytest.raises(PlanLocked):
        services.goal_update(
            goal=goal,
            actor=world.people["principal"],
            expected_version=goal.version,
            fields={"target_value": 50.0},
        )
    assert Goal.objects.count() == before
    assert Goal.objects.get(pk=goal.pk).target_value == 45.0


def test_a_stale_edit_is_refused_and_starts_no_version(world: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    stale = goal.version
    Goal.objects.filter(pk=goal.pk).update(version=stale + 1)
    with pytest.raises(EditConflict):
        services.goal_update(
            goal=goal,
            actor=world.people["teacher"],
            expected_version=stale,
            fields={"target_value": 50.0},
        )
    plan = _fresh(world.objects["plan"])
    assert plan.status == PlanStatus.PUBLISHED and plan.current_number == 1
    assert Goal.objects.get(pk=goal.pk).target_value == 45.0


def test_changing_a_target_saves_it_in_a_new_version_and_is_audited(world: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    services.goal_update(
        goal=goal,
        actor=world.people["teacher"],
        expected_version=goal.version,
        fields={"target_value": 48.0},
    )
    assert Goal.objects.get(pk=goal.pk).target_value == 48.0
    assert _fresh(world.objects["plan"]).current_number == 2
    assert AuditEvent.objects.filter(action="plan.goal_update", object_id=str(goal.pk)).exists()


def test_an_outcome_longer_than_its_field_is_refused(world: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    with pytest.raises(ValidationError):
        services.goal_update(
            goal=goal,
            actor=world.people["teacher"],
            expected_version=goal.version,
            fields={"outcome": "x" * 400},
        )


def test_retiring_keeps_the_row_and_its_links(world: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    services.goal_retire(goal=goal, actor=world.people["principal"], expected_version=goal.version)
    goal.refresh_from_db()
    assert goal.retired
    assert GoalAgendaLink.objects.filter(goal=goal).exists()
    assert goal.checkpoints.count() == 1
    assert _fresh(world.objects["plan"]).current_number == 2


def test_an_interim_target_is_content_and_drops_a_baseline_on_the_goals_own_measure(
    world: Any,
) -> None:
    goal = world.objects["plan_goal"]
    target = services.interim_target_create(
        goal=goal,
        actor=world.people["principal"],
        label="Spring benchmark",
        target_value=42.0,
        due_on=goal.deadline - dt.timedelta(days=30),
        measure=goal.measure,
        baseline_value=20.0,
    )
    assert target.measure is None and target.baseline_value is None
    assert _fresh(world.objects["plan"]).current_number == 2
    walkthroughs = MeasureFactory(district=world.district, school=world.school, unit="count")
    other = services.interim_target_create(
        goal=goal,
        actor=world.people["principal"],
        label="Walkthroughs",
        target_value=12,
        due_on=goal.deadline - dt.timedelta(days=60),
        measure=walkthroughs,
        baseline_value=3,
    )
    assert other.measure == walkthroughs and other.baseline_value == 3


def test_a_checkpoint_is_monitoring_and_never_starts_a_version(world: Any) -> None:
    goal, interim = world.objects["plan_goal"], world.objects["interim_target"]
    checkpoint = services.checkpoint_record(
        goal=goal,
        actor=world.people["teacher"],
        measured_on=interim.due_on,
        value=39.0,
        interim_target=interim,
        note=" Winter window ",
    )
    plan = _fresh(world.objects["plan"])
    assert plan.status == PlanStatus.PUBLISHED and plan.current_number == 1
    assert checkpoint.note == "Winter window" and checkpoint.recorded_by == world.people["teacher"]
    assert AuditEvent.objects.filter(
        action="plan.checkpoint_record", object_id=str(checkpoint.pk)
    ).exists()
    # Monitoring goes on while the plan waits for its approvers, too.
    SchoolPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    services.checkpoint_record(
        goal=goal, actor=world.people["teacher"], measured_on=interim.due_on, value=40.0
    )
    assert Checkpoint.objects.filter(goal=goal).count() == 3


def test_a_checkpoint_cannot_read_another_goals_interim_target(world: Any) -> None:
    stranger = InterimTargetFactory()
    with pytest.raises(ValueError):
        services.checkpoint_record(
            goal=world.objects["plan_goal"],
            actor=world.people["teacher"],
            measured_on=world.objects["interim_target"].due_on,
            value=1.0,
            interim_target=stranger,
        )


def test_linking_replaces_and_unlinking_removes_an_agenda_items_goal(world: Any) -> None:
    item = world.objects["goal_agenda_item"]
    goal = world.objects["plan_goal"]
    other = services.goal_create(
        plan=world.objects["plan"], actor=world.people["principal"], fields={"outcome": "Other"}
    )
    link = services.agenda_goal_link(item=item, goal=other, actor=world.people["teacher"])
    assert GoalAgendaLink.objects.get(agenda_item=item).goal == other
    assert link.pk == world.objects["agenda_link"].pk  # replaced, not duplicated
    services.agenda_goal_unlink(item=item, actor=world.people["teacher"])
    assert not GoalAgendaLink.objects.filter(agenda_item=item).exists()
    assert AuditEvent.objects.filter(action="plan.agenda_goal_unlink").exists()
    services.agenda_goal_unlink(item=item, actor=world.people["teacher"])  # nothing to undo
    assert goal.agenda_links.count() == 0


def test_the_goals_an_agenda_item_can_link_to_are_its_schools_current_ones(world: Any) -> None:
    item = world.objects["goal_agenda_item"]
    goal = world.objects["plan_goal"]
    assert list(selectors.goals_to_link(item)) == [goal]
    Goal.objects.filter(pk=goal.pk).update(retired=True)
    assert list(selectors.goals_to_link(item)) == []


def test_latest_values_offer_the_groups_value_and_never_a_small_one(world: Any) -> None:
    goal = world.objects["plan_goal"]
    el = StudentGroup.objects.get(pk=goal.student_group_id)
    first_day = world.objects["plan"].school_year.start_date

    def value(on: dt.date, figure: float, count: int | None, group: Any = el) -> None:
        MeasureValue.objects.create(
            measure=goal.measure,
            school=world.school,
            district=world.district,
            student_group=group,
            period_start=on,
            value=figure,
            student_count=count,
        )

    value(first_day + dt.timedelta(days=60), 33.0, 40)
    value(first_day + dt.timedelta(days=90), 99.0, 40, group=None)  # all students
    value(first_day + dt.timedelta(days=120), 12.0, 4)  # too few students to show
    (latest,) = selectors.latest_values(goal, [])
    assert latest.reads == "goal" and latest.value == 33.0


def test_the_goal_chart_draws_the_trajectory_and_each_checkpoint_with_its_status(
    world: Any,
) -> None:
    goal = world.objects["plan_goal"]
    CheckpointFactory(
        goal=goal,
        measured_on=world.objects["interim_target"].due_on,
        value=30.0,
        recorded_by=world.people["principal"],
    )
    chart = goal_chart(goal_progress(goal))
    svg = str(chart.svg)
    assert 'role="img"' in svg and "<desc" in svg
    texts = [text for _, text in chart.rows]
    assert "Planned: 31% (Baseline)" in texts
    assert "Planned: 38% (Winter benchmark)" in texts
    assert "Planned: 45% (Target)" in texts
    assert any(t.startswith("Measured: 34% · On track") for t in texts)
    assert any(t.startswith("Measured: 30% · Off track") for t in texts)
    assert "2 checkpoints: 1 on track, 1 off track" in chart.description
    # The rows come in date order.
    assert texts[0].startswith("Planned: 31%") and texts[-1].startswith("Planned: 45%")


def test_a_goal_without_a_trajectory_still_has_a_chart_that_says_so(world: Any) -> None:
    goal = services.goal_create(
        plan=world.objects["plan"], actor=world.people["principal"], fields={"outcome": "New"}
    )
    chart = goal_chart(goal_progress(goal))
    assert chart.rows == []
    assert "No trajectory yet" in chart.description
    assert "No checkpoints recorded yet" in chart.description
