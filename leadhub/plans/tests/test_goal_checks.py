"""The checker on forms and saved goals: plan years, district strategies, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from leadhub.measures.tests.factories import MeasureValueFactory
from leadhub.orgs.models import SchoolYear
from leadhub.plans.goal_checks import (
    GOAL_FIELD_NAMES,
    aim_report,
    check_saved_goal,
    district_has_strategies,
    goal_draft_for,
    plan_goal_reports,
)
from leadhub.plans.smarte import Criterion, Verdict, check_goal
from leadhub.plans.tests.factories import GoalFactory, SchoolPlanFactory
from leadhub.strategy.models import AnalysisItem, AnalysisKind, StrategicPlanStatus
from leadhub.strategy.tests.factories import (
    DriverDiagramFactory,
    DriverNodeFactory,
    StrategicPlanFactory,
)

pytestmark = pytest.mark.django_db


def form_fields(goal: Any, **changes: Any) -> dict[str, Any]:
    """What a goal form's cleaned_data would hold for ``goal``, with ``changes``."""
    return {name: getattr(goal, name) for name in GOAL_FIELD_NAMES} | changes


def test_the_worlds_goal_is_ready_but_its_achievability_cannot_be_checked(world: Any) -> None:
    goal = world.objects["plan_goal"]
    report = check_saved_goal(goal)
    assert report.ready
    verdicts = {c.criterion: c.verdict for c in report.checks}
    assert verdicts[Criterion.ACHIEVABLE] == Verdict.CANNOT_CHECK
    assert all(v == Verdict.MET for c, v in verdicts.items() if c != Criterion.ACHIEVABLE)
    relevant = report.for_criterion(Criterion.RELEVANT).message
    assert "Strong core reading" in relevant


def test_the_plans_years_bound_the_deadline(world: Any) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    year = SchoolYear.objects.get(year=world.year)
    draft = goal_draft_for(plan, form_fields(goal))
    assert (draft.plan_start, draft.plan_end) == (year.start_date, year.end_date)
    late = goal_draft_for(plan, form_fields(goal, deadline=year.end_date + dt.timedelta(days=1)))
    assert check_goal(late).for_criterion(Criterion.TIME_BOUND).verdict == Verdict.GAP
    # A plan through next year accepts it.
    plan.last_year = SchoolYear.ensure(world.year + 1)
    longer = goal_draft_for(plan, form_fields(goal, deadline=year.end_date + dt.timedelta(days=1)))
    assert check_goal(longer).for_criterion(Criterion.TIME_BOUND).verdict == Verdict.MET


def test_a_form_without_a_strategy_has_a_gap_where_the_district_has_strategies(
    world: Any,
) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    report = check_saved_goal(goal)
    assert report.ready
    draft = goal_draft_for(plan, form_fields(goal, serves_node=None))
    assert draft.district_has_strategies
    assert [c.criterion for c in check_goal(draft).gaps] == [Criterion.RELEVANT]


def test_empty_fields_read_as_missing(world: Any) -> None:
    draft = goal_draft_for(world.objects["plan"], {})
    assert draft.outcome == "" and draft.measure_name == "" and draft.history is None
    gaps = {c.criterion for c in check_goal(draft).gaps}
    assert gaps == {
        Criterion.SPECIFIC,
        Criterion.MEASURABLE,
        Criterion.RELEVANT,
        Criterion.TIME_BOUND,
        Criterion.EQUITABLE,
    }


def test_which_strategic_plans_count_as_district_strategies(world: Any) -> None:
    assert district_has_strategies(world.district.pk)
    assert not district_has_strategies(world.other_district.pk)
    empty = StrategicPlanFactory(district=world.other_district)
    DriverDiagramFactory(plan=empty)
    assert not district_has_strategies(world.other_district.pk)  # no drivers yet
    archived = StrategicPlanFactory(
        district=world.other_district, status=StrategicPlanStatus.ARCHIVED
    )
    DriverNodeFactory(diagram=DriverDiagramFactory(plan=archived))
    assert not district_has_strategies(world.other_district.pk)
    DriverNodeFactory(diagram=empty.diagram)
    assert district_has_strategies(world.other_district.pk)


def test_a_district_without_strategies_asks_for_none(world: Any) -> None:
    plan = SchoolPlanFactory(school=world.other_school)
    draft = goal_draft_for(plan, form_fields(world.objects["plan_goal"], serves_node=None))
    assert not draft.district_has_strategies
    assert check_goal(draft).for_criterion(Criterion.RELEVANT).verdict == Verdict.MET


def _history(world: Any, before: float, after: float) -> None:
    goal = world.objects["plan_goal"]
    for year, value in ((world.year - 2, before), (world.year - 1, after)):
        MeasureValueFactory(
            measure=goal.measure,
            school=world.school,
            district=world.district,
            student_group=goal.student_group,
            period_start=dt.date(year, 4, 1),
            value=value,
        )


def test_the_schools_history_decides_achievable(world: Any) -> None:
    goal = world.objects["plan_goal"]  # 31 -> 45 in about ten months: 17 points a year
    _history(world, 20.0, 30.0)
    check = check_saved_goal(goal).for_criterion(Criterion.ACHIEVABLE)
    assert check.verdict == Verdict.GAP
    assert "was 10.0 percentage points" in check.message
    goal.achievability_note = "Two new reading interventionists join in August."
    assert check_saved_goal(goal).for_criterion(Criterion.ACHIEVABLE).verdict == Verdict.MET


def test_enough_history_makes_it_achievable(world: Any) -> None:
    _history(world, 20.0, 40.0)
    check = check_saved_goal(world.objects["plan_goal"]).for_criterion(Criterion.ACHIEVABLE)
    assert check.verdict == Verdict.MET
    assert "was 20.0 percentage points" in check.message


def test_plan_reports_cover_every_goal_still_in_the_plan(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    draft_goal = GoalFactory(plan=plan, outcome="Raise reading; cut absence")
    retired = GoalFactory(plan=plan, retired=True)
    with django_assert_max_num_queries(8):
        reports = plan_goal_reports(plan)
    assert set(reports) == {goal.pk, draft_goal.pk}
    assert retired.pk not in reports
    assert reports[goal.pk].ready
    assert not reports[draft_goal.pk].ready
    assert Criterion.SPECIFIC in {c.criterion for c in reports[draft_goal.pk].gaps}
    assert plan_goal_reports(world.objects["sibling_plan"]) == {}


def test_the_aim_of_a_driver_diagram(world: Any) -> None:
    diagram = world.objects["diagram"]
    report = aim_report(diagram)
    assert report.for_criterion(Criterion.RELEVANT).verdict == Verdict.MET
    assert "Too few students read" in report.for_criterion(Criterion.RELEVANT).message
    assert report.for_criterion(Criterion.MEASURABLE).verdict == Verdict.GAP
    goal = world.objects["plan_goal"]
    for name in ("measure", "student_group", "baseline_value", "baseline_date", "target_value"):
        setattr(diagram, name, getattr(goal, name))
    diagram.deadline = diagram.plan.last_year.end_date
    complete = aim_report(diagram)
    assert complete.ready
    achievable = complete.for_criterion(Criterion.ACHIEVABLE)
    assert achievable.verdict == Verdict.CANNOT_CHECK
    diagram.deadline = diagram.plan.last_year.end_date + dt.timedelta(days=1)
    late = aim_report(diagram).for_criterion(Criterion.TIME_BOUND)
    assert late.verdict == Verdict.GAP


def test_an_aim_without_a_need_in_the_systems_analysis(world: Any) -> None:
    hub_diagram = world.objects["hub_diagram"]
    relevant = aim_report(hub_diagram).for_criterion(Criterion.RELEVANT)
    assert relevant.verdict == Verdict.GAP
    AnalysisItem.objects.create(
        plan=hub_diagram.plan, kind=AnalysisKind.CHALLENGE, statement="Leaders change often"
    )
    relevant = aim_report(hub_diagram).for_criterion(Criterion.RELEVANT)
    assert relevant.verdict == Verdict.MET
    assert "Leaders change often" in relevant.message
