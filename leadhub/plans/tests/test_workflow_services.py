"""The approval steps, next year's copy and comments (leadhub/plans/services/workflow.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from leadhub.audit.models import AuditEvent
from leadhub.orgs.models import SchoolYear
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.orgs.tests.factories import SchoolFactory
from leadhub.plans import documents, selectors
from leadhub.plans.content import plan_content
from leadhub.plans.models import (
    DistrictPlanPolicy,
    Goal,
    Indicator,
    PlanComment,
    PlanStatus,
    PlanTransition,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    StepStatus,
)
from leadhub.plans.services import workflow as flow
from leadhub.plans.services.versions import content_edit_begin
from leadhub.plans.services.workflow import WorkflowError
from leadhub.plans.tests.factories import (
    ActionStepFactory,
    GoalFactory,
    InterimTargetFactory,
    NeedFactory,
    SchoolPlanFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def draft_plan(world: Any, *, complete: bool = True) -> SchoolPlan:
    """A draft plan at a new school of the world's district, with one goal (complete or
    missing its measure and target)."""
    school = SchoolFactory(district=world.district, name="Hawthorne Elementary")
    first_day, last_day = school_year_bounds(world.year)
    plan = SchoolPlanFactory(school=school, school_year=SchoolYear.objects.get(year=world.year))
    need = NeedFactory(plan=plan, statement="Too few grade 3 readers on level")
    source = world.objects["plan_goal"]
    fields: dict[str, Any] = {
        "outcome": "More English learners in grade 3 read on grade level",
        "student_group": source.student_group,
        "baseline_value": 31.0,
        "baseline_date": first_day + dt.timedelta(days=45),
        "deadline": last_day - dt.timedelta(days=20),
        "need": need,
        "serves_node": world.objects["primary_driver"],
    }
    if complete:
        fields |= {"measure": source.measure, "target_value": 38.0}
    goal = GoalFactory(plan=plan, **fields)
    InterimTargetFactory(
        goal=goal, label="Winter", target_value=34.0, due_on=first_day + dt.timedelta(days=190)
    )
    strategy = StrategyFactory(plan=plan, goal=goal, title="Fluency block", evidence_tier=2)
    step = ActionStepFactory(
        strategy=strategy,
        owner=world.people["teacher"],
        start_on=first_day + dt.timedelta(days=60),
        end_on=first_day + dt.timedelta(days=120),
        status=StepStatus.DONE,
        completed_on=first_day + dt.timedelta(days=119),
    )
    StepResource.objects.create(
        step=step, district=plan.district, description="Readers", cost="250.00"
    )
    return plan


def test_a_plan_without_goals_cannot_be_submitted(world: Any) -> None:
    plan = SchoolPlanFactory(school=SchoolFactory(district=world.district))
    with pytest.raises(WorkflowError, match="no goals"):
        flow.plan_submit(plan, actor=world.people["principal"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_goal_with_gaps_blocks_submission_and_the_message_names_it(world: Any) -> None:
    plan = draft_plan(world, complete=False)
    with pytest.raises(WorkflowError) as refused:
        flow.plan_submit(plan, actor=world.people["principal"])
    assert "More English learners in grade 3 read on grade level" in str(refused.value)
    gaps = flow.plan_goal_gaps(plan)
    assert [g.goal.pk for g in gaps] == [plan.goals.get().pk]
    assert gaps[0].gaps and all(isinstance(text, str) and text for text in gaps[0].gaps)
    assert not PlanTransition.objects.filter(plan=plan).exists()


def test_submit_then_approve_freezes_and_publishes_version_1(world: Any) -> None:
    plan = draft_plan(world)
    principal = world.people["principal"]
    flow.plan_submit(plan, actor=principal)
    assert plan.status == PlanStatus.SUBMITTED
    expected = plan_content(plan)
    flow.plan_approve(plan, actor=principal)
    assert plan.status == PlanStatus.PUBLISHED
    version = plan.published_version
    assert version is not None and version.number == 1
    assert version.content == expected
    assert version.approved_by == principal and version.published_at is not None
    steps = list(PlanTransition.objects.filter(plan=plan).values_list("from_status", "to_status"))
    assert steps == [("draft", "submitted"), ("submitted", "published")]
    actions = set(
        AuditEvent.objects.filter(
            object_type="plans.SchoolPlan", object_id=str(plan.pk)
        ).values_list("action", flat=True)
    )
    assert {"plan.submitted", "plan.published"} <= actions


def test_approving_a_draft_is_refused(world: Any) -> None:
    plan = draft_plan(world)
    with pytest.raises(WorkflowError, match="waiting for the School Improvement Team"):
        flow.plan_approve(plan, actor=world.people["principal"])


def test_return_needs_a_comment_and_shows_until_resubmitted(world: Any) -> None:
    plan = draft_plan(world)
    principal = world.people["principal"]
    flow.plan_submit(plan, actor=principal)
    with pytest.raises(WorkflowError, match="Say what needs to change"):
        flow.plan_return(plan, actor=principal, comment="   ")
    flow.plan_return(plan, actor=principal, comment="Name the benchmark window.")
    assert plan.status == PlanStatus.RETURNED
    returned = selectors.returned_transition(plan)
    assert returned is not None and returned.comment == "Name the benchmark window."
    flow.plan_submit(plan, actor=principal)
    assert selectors.returned_transition(plan) is None
    # The comment stays in the history.
    assert PlanTransition.objects.filter(plan=plan, comment="Name the benchmark window.").exists()


def test_district_review_when_the_district_asks_for_it(world: Any) -> None:
    DistrictPlanPolicy.objects.update_or_create(
        district=world.district, defaults={"district_review_required": True}
    )
    plan = draft_plan(world)
    flow.plan_submit(plan, actor=world.people["principal"])
    flow.plan_approve(plan, actor=world.people["principal"])
    assert plan.status == PlanStatus.DISTRICT_REVIEW
    assert plan.published_version is None
    assert plan.versions.get(number=1).is_frozen
    flow.plan_return(plan, actor=world.people["district_leader"], comment="Add the costs.")
    assert plan.status == PlanStatus.RETURNED
    assert not plan.versions.get(number=1).is_frozen
    flow.plan_submit(plan, actor=world.people["principal"])
    flow.plan_approve(plan, actor=world.people["principal"])
    flow.plan_publish(plan, actor=world.people["district_leader"])
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_version is not None and plan.published_version.number == 1


def test_a_later_version_leaves_staff_on_the_published_one(world: Any) -> None:
    plan = world.objects["plan"]
    content_edit_begin(plan, actor=world.people["principal"])
    plan.refresh_from_db()
    assert selectors.staff_version_note(plan) == (
        "Version 2 is a draft. Staff see version 1 until version 2 is approved."
    )
    choices = documents.comparable_versions(plan, working=True)
    assert [c.key for c in choices] == ["1", "draft"]
    assert [c.key for c in documents.comparable_versions(plan, working=False)] == ["1"]


def test_next_years_plan_is_a_copy_with_new_goals_and_moved_dates(world: Any) -> None:
    plan = draft_plan(world)
    indicator = Indicator.objects.filter(indicator_set=plan.indicator_set).first()
    SelfAssessmentRating.objects.create(
        plan=plan, indicator=indicator, rating=2, district=plan.district
    )
    goal = plan.goals.get()
    copy = flow.plan_copy_next_year(plan, actor=world.people["principal"])
    assert copy.school_year_id == plan.school_year_id + 1
    assert copy.copied_from == plan and copy.status == PlanStatus.DRAFT
    assert copy.versions.filter(number=1).exists()
    new_goal = copy.goals.get()
    assert new_goal.pk != goal.pk and new_goal.key != goal.key
    assert new_goal.outcome == goal.outcome
    assert new_goal.baseline_value == goal.baseline_value
    assert new_goal.deadline == goal.deadline.replace(year=goal.deadline.year + 1)
    assert new_goal.need.plan == copy
    target, new_target = goal.interim_targets.get(), new_goal.interim_targets.get()
    assert new_target.due_on == target.due_on.replace(year=target.due_on.year + 1)
    step = copy.steps.get()
    old_step = plan.steps.get()
    assert step.status == StepStatus.NOT_STARTED and step.completed_on is None
    assert step.start_on == old_step.start_on.replace(year=old_step.start_on.year + 1)
    assert step.strategy.plan == copy and step.strategy.goal == new_goal
    assert step.resources.get().cost == Decimal("250.00")
    assert not copy.ratings.exists()
    with pytest.raises(WorkflowError, match="already has a plan"):
        flow.plan_copy_next_year(plan, actor=world.people["principal"])
    assert Goal.objects.filter(plan=plan).count() == 1


def test_a_leap_day_moves_to_the_last_day_of_february() -> None:
    assert flow.a_year_later(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert flow.a_year_later(None) is None


def test_comments_on_the_plan_and_on_a_goal(world: Any) -> None:
    plan = world.objects["plan"]
    goal = world.objects["plan_goal"]
    flow.plan_comment_add(plan, actor=world.people["teacher"], text="Winter data is in.", goal=goal)
    with pytest.raises(WorkflowError):
        flow.plan_comment_add(plan, actor=world.people["teacher"], text="  ")
    other_goal = GoalFactory(plan=world.objects["sibling_plan"])
    with pytest.raises(WorkflowError):
        flow.plan_comment_add(plan, actor=world.people["teacher"], text="x", goal=other_goal)
    saved = PlanComment.objects.get(plan=plan)
    assert saved.goal == goal and saved.author == world.people["teacher"]
    assert list(selectors.plans_comments(plan)) == [saved]


def test_the_document_totals_costs_and_marks_a_draft(world: Any) -> None:
    plan = draft_plan(world)
    document = documents.plan_document(plan, working=True)
    assert document["draft"] is True
    assert document["total_cost"] == Decimal("250.00")
    assert document["strategies"][0]["steps"][0]["status"] == "Done"
    published = documents.plan_document(world.objects["plan"], working=False)
    assert published["draft"] is False
    assert published["content"] == world.objects["plan"].published_version.content
