"""The line of sight: district strategy → school goals → ILT work → evidence, its three
flags, its fixed number of queries, and its page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.meetings.models import ActionStatus, AgendaKind
from leadhub.meetings.tests.factories import AgendaItemFactory
from leadhub.plans.models import GoalAgendaLink, StepStatus
from leadhub.plans.tests.factories import (
    ActionStepFactory,
    CheckpointFactory,
    GoalFactory,
    InterimTargetFactory,
    StrategyFactory,
)
from leadhub.strategy.alignment import Filters, line_of_sight
from leadhub.strategy.models import NodeKind
from leadhub.strategy.tests.factories import DriverNodeFactory

pytestmark = pytest.mark.django_db


def goal_line(view: Any, pk: int) -> Any:
    return next(goal for goal in view.goals if goal.pk == pk)


def idle_goal(world: Any, **fields: Any) -> Any:
    """A goal of the world's plan with no agenda item, step or checkpoint."""
    return GoalFactory(plan=world.objects["plan"], outcome="Attendance above 95%", **fields)


def test_the_world_goal_sits_under_the_driver_it_serves_with_its_ilt_work(world: Any) -> None:
    view = line_of_sight(world.district)
    [plan] = view.plans
    assert plan.title == "Maple Grove strategic plan"
    [branch] = plan.branches
    assert branch.primary.pk == world.objects["primary_driver"].pk
    [goal] = branch.primary.goals
    assert goal.pk == world.objects["plan_goal"].pk
    assert goal.school_name == "Lincoln Elementary"
    assert goal.agenda_count == 1
    assert [line.title for line in goal.shown_agenda] == ["Check the reading goal"]
    assert goal.steps_open == 1
    assert goal.checkpoint_count == 1
    assert goal.last_checkpoint_value == 34.0
    assert not goal.idle  # on the next meeting's agenda and has an open step
    # The goal serving the primary driver serves the branch under it: nothing unserved.
    assert view.unserved_nodes == []
    # Douglass Middle's draft plan has no goals.
    gaps = {school.name: school for school in view.schools_with_gaps}
    assert gaps["Douglass Middle"].goal_count == 0


def test_a_goal_nobody_works_on_is_flagged_and_says_why(world: Any) -> None:
    goal = idle_goal(world, serves_node=world.objects["secondary_driver"])
    old_meeting_item = AgendaItemFactory(
        meeting=world.objects["next_meeting"], kind=AgendaKind.GOAL_MONITORING
    )
    GoalAgendaLink.objects.create(agenda_item=old_meeting_item, goal=goal, district=world.district)
    meeting = old_meeting_item.meeting
    meeting.scheduled_start = timezone.now() - dt.timedelta(days=75)
    meeting.save()
    CheckpointFactory(
        goal=goal, measured_on=timezone.localdate() - dt.timedelta(days=120), value=80
    )
    ActionStepFactory(strategy=StrategyFactory(plan=goal.plan, goal=goal), status=StepStatus.DONE)
    view = line_of_sight(world.district)
    line = goal_line(view, goal.pk)
    assert line.idle
    assert [g.pk for g in view.idle_goals] == [goal.pk]
    reasons = " ".join(line.idle_reasons)
    assert "not on an ILT agenda since" in reasons
    assert "no open action steps" in reasons
    assert "no checkpoint since" in reasons
    # The world's goal, on the same (moved) meeting, still has its open step.
    assert not goal_line(view, world.objects["plan_goal"].pk).idle


def test_any_one_kind_of_work_keeps_a_goal_off_the_idle_list(world: Any) -> None:
    by_step = idle_goal(world)
    ActionStepFactory(strategy=StrategyFactory(plan=by_step.plan, goal=by_step))
    by_checkpoint = idle_goal(world)
    CheckpointFactory(goal=by_checkpoint, measured_on=timezone.localdate() - dt.timedelta(days=10))
    never = idle_goal(world)
    view = line_of_sight(world.district)
    assert not goal_line(view, by_step.pk).idle
    assert not goal_line(view, by_checkpoint.pk).idle
    assert goal_line(view, never.pk).idle_reasons == [
        "never on an ILT agenda",
        "no open action steps",
        "no checkpoint yet",
    ]
    # None of them names a district strategy.
    assert {by_step.pk, by_checkpoint.pk, never.pk} <= {g.pk for g in view.unaligned_goals}


def test_work_tied_to_no_goal_is_counted_per_school(world: Any) -> None:
    meeting = world.objects["next_meeting"]
    AgendaItemFactory(meeting=meeting, kind=AgendaKind.GOAL_MONITORING, title="Our goals")
    AgendaItemFactory(
        meeting=meeting, kind=AgendaKind.GOAL_MONITORING, title="Secret", confidential=True
    )
    AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW)  # not goal monitoring
    StrategyFactory(plan=world.objects["plan"], title="Family reading nights")
    view = line_of_sight(world.district)
    lincoln = next(s for s in view.schools if s.pk == world.school.pk)
    assert lincoln.unlinked_items == 2
    assert lincoln.unlinked_confidential == 1
    assert lincoln.loose_strategies == ["Family reading nights"]
    assert lincoln.has_gap


def test_confidential_agenda_items_are_counted_never_named(world: Any) -> None:
    goal = world.objects["plan_goal"]
    secret = AgendaItemFactory(
        meeting=world.objects["next_meeting"],
        kind=AgendaKind.GOAL_MONITORING,
        title="Staffing change in grade 3",
        confidential=True,
    )
    GoalAgendaLink.objects.create(agenda_item=secret, goal=goal, district=world.district)
    line = goal_line(line_of_sight(world.district), goal.pk)
    assert line.agenda_count == 2
    assert line.confidential_count == 1
    assert all(agenda.title != "Staffing change in grade 3" for agenda in line.agenda)
    assert [agenda.title for agenda in line.shown_agenda] == ["Check the reading goal"]


def test_action_items_from_linked_agenda_items_are_counted_open_and_done(world: Any) -> None:
    from leadhub.meetings.tests.factories import ActionItemFactory

    item = world.objects["goal_agenda_item"]
    for status in (ActionStatus.OPEN, ActionStatus.OPEN, ActionStatus.DONE):
        ActionItemFactory(
            agenda_item=item, meeting=item.meeting, team=item.meeting.team, status=status
        )
    line = goal_line(line_of_sight(world.district), world.objects["plan_goal"].pk)
    assert (line.actions_open, line.actions_done) == (2, 1)


def test_each_goal_carries_its_latest_checkpoint_and_track(world: Any) -> None:
    today = timezone.localdate()
    rising = dict(
        baseline_value=30.0,
        baseline_date=today - dt.timedelta(days=100),
        target_value=60.0,
        deadline=today + dt.timedelta(days=100),
    )
    ahead = GoalFactory(plan=world.objects["plan"], **rising)
    CheckpointFactory(goal=ahead, measured_on=today - dt.timedelta(days=5), value=20.0)
    CheckpointFactory(goal=ahead, measured_on=today, value=50.0)  # 45 expected: on track
    behind = GoalFactory(plan=world.objects["plan"], **rising)
    CheckpointFactory(goal=behind, measured_on=today, value=40.0)  # 45 expected
    unjudged = GoalFactory(plan=world.objects["plan"])  # no baseline or target
    CheckpointFactory(goal=unjudged, measured_on=today, value=40.0)
    view = line_of_sight(world.district)
    line = goal_line(view, ahead.pk)
    assert (line.last_checkpoint_on, line.last_checkpoint_value, line.track) == (today, 50.0, "on")
    assert line.checkpoint_count == 2
    assert goal_line(view, behind.pk).track == "off"
    assert goal_line(view, unjudged.pk).track is None


def test_filters_narrow_to_a_school_and_to_a_strategy(world: Any) -> None:
    other_primary = DriverNodeFactory(
        diagram=world.objects["diagram"], kind=NodeKind.PRIMARY, text="Attendance every day"
    )
    GoalFactory(plan=world.objects["sibling_plan"], serves_node=other_primary, outcome="Attend")
    everything = line_of_sight(world.district)
    assert len(everything.plans[0].branches) == 2
    by_node = line_of_sight(world.district, Filters(node=other_primary.pk))
    assert [b.primary.pk for b in by_node.plans[0].branches] == [other_primary.pk]
    assert [g.outcome for g in by_node.goals] == ["Attend"]
    by_school = line_of_sight(world.district, Filters(school=world.school.pk))
    assert {g.school_name for g in by_school.goals} == {"Lincoln Elementary"}
    assert [s.pk for s in by_school.schools] == [world.school.pk]


def test_sorting_puts_goals_needing_attention_first(world: Any) -> None:
    node = world.objects["primary_driver"]
    idle = idle_goal(world, serves_node=node)
    view = line_of_sight(world.district, Filters(sort="attention"))
    assert [g.pk for g in view.plans[0].branches[0].primary.goals][0] == idle.pk
    recent = line_of_sight(world.district, Filters(sort="recent"))
    assert [g.pk for g in recent.plans[0].branches[0].primary.goals][0] == world.objects[
        "plan_goal"
    ].pk


def test_other_districts_and_retired_goals_stay_out(world: Any) -> None:
    GoalFactory(plan=world.objects["plan"], retired=True, outcome="Old goal")
    view = line_of_sight(world.district)
    assert "Old goal" not in [g.outcome for g in view.goals]
    assert line_of_sight(world.other_district).plans == []
    assert line_of_sight(world.other_district).goals == []


def test_a_fixed_number_of_queries_whatever_the_number_of_goals(
    world: Any, django_assert_num_queries: Any
) -> None:
    def add_goals(count: int) -> None:
        nodes = [world.objects["primary_driver"], world.objects["change_idea"]]
        for n in range(count):
            goal = GoalFactory(plan=world.objects["sibling_plan"], serves_node=nodes[n % 2])
            item = AgendaItemFactory(
                meeting=world.objects["next_meeting"], kind=AgendaKind.GOAL_MONITORING
            )
            GoalAgendaLink.objects.create(agenda_item=item, goal=goal, district=world.district)
            CheckpointFactory(goal=goal)
            InterimTargetFactory(goal=goal)
            ActionStepFactory(strategy=StrategyFactory(plan=goal.plan, goal=goal))

    add_goals(2)
    with django_assert_num_queries(10) as few:
        small = line_of_sight(world.district)
    add_goals(12)
    with django_assert_num_queries(len(few.captured_queries)):
        large = line_of_sight(world.district)
    assert len(large.goals) == len(small.goals) + 12


# The page ------------------------------------------------------------------------------------


def test_the_district_leader_sees_the_line_of_sight(client_for: Any, world: Any) -> None:
    response = client_for("district_leader").get(
        reverse("strategy:line_of_sight", args=[world.district.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Strong core reading" in html
    assert "More English learners in grade 3 read on grade level" in html
    assert "Check the reading goal" in html
    assert "Shared literacy blocks" in html
    # The goal on the primary driver serves its branch: no strategy is flagged.
    assert "District strategies no school goal serves" not in html


def test_the_page_never_names_a_confidential_item(client_for: Any, world: Any) -> None:
    secret = AgendaItemFactory(
        meeting=world.objects["next_meeting"],
        kind=AgendaKind.GOAL_MONITORING,
        title="Staffing change in grade 3",
        confidential=True,
    )
    GoalAgendaLink.objects.create(
        agenda_item=secret, goal=world.objects["plan_goal"], district=world.district
    )
    html = (
        client_for("district_leader")
        .get(reverse("strategy:line_of_sight", args=[world.district.pk]))
        .content.decode()
    )
    assert "Staffing change" not in html
    assert "1 confidential item" in html


def test_the_page_filters_by_school(client_for: Any, world: Any) -> None:
    url = reverse("strategy:line_of_sight", args=[world.district.pk])
    response = client_for("district_leader").get(url, {"school": world.sibling_school.pk})
    assert response.status_code == 200
    assert "More English learners in grade 3" not in response.content.decode()
    # A school of another district is not a choice: the form falls back to everything.
    response = client_for("district_leader").get(url, {"school": world.other_school.pk})
    assert "More English learners in grade 3" in response.content.decode()


def test_an_empty_district_says_so(client_for: Any, world: Any) -> None:
    response = client_for("outsider").get(
        reverse("strategy:line_of_sight", args=[world.other_district.pk])
    )
    assert response.status_code == 404  # a principal never reads a line of sight
    response = client_for("state_admin").get(
        reverse("strategy:line_of_sight", args=[world.other_district.pk])
    )
    assert response.status_code == 200
    assert "Nothing to trace yet" in response.content.decode()


def test_a_branch_no_goal_serves_is_named_once_at_its_top(world: Any) -> None:
    diagram = world.objects["primary_driver"].diagram
    lonely = DriverNodeFactory(diagram=diagram, text="Every student in school", position=5)
    outreach = DriverNodeFactory(
        diagram=diagram, parent=lonely, kind=NodeKind.SECONDARY, text="Early outreach"
    )
    DriverNodeFactory(
        diagram=diagram, parent=outreach, kind=NodeKind.CHANGE_IDEA, text="A call home"
    )
    assert [node.pk for node in line_of_sight(world.district).unserved_nodes] == [lonely.pk]
    # A goal serving the change idea serves its branch; the secondary driver beside it
    # is the one left.
    beside = DriverNodeFactory(
        diagram=diagram, parent=lonely, kind=NodeKind.SECONDARY, text="Attendance reviews"
    )
    call = outreach.children.get()
    idle_goal(world, serves_node=call)
    assert [node.pk for node in line_of_sight(world.district).unserved_nodes] == [beside.pk]
