"""The database side of the SMARTe checker: drafts from forms and saved goals.

:mod:`leadhub.plans.smarte` judges plain values; this module gathers them (the plan's
years, whether the district has strategies a goal should serve, the measure's yearly
history) so the goal form, the plan page and the approval step all judge a goal the same
way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from leadhub.plans.achievability import similar_school_ids, yearly_history
from leadhub.plans.models import Goal, SchoolPlan
from leadhub.plans.smarte import GoalDraft, SmarteReport, check_goal
from leadhub.strategy.models import (
    AnalysisItem,
    AnalysisKind,
    DriverDiagram,
    StrategicPlan,
    StrategicPlanStatus,
)

GOAL_FIELD_NAMES = (
    "outcome",
    "measure",
    "student_group",
    "baseline_value",
    "baseline_date",
    "target_value",
    "deadline",
    "achievability_note",
    "need",
    "serves_node",
)


def district_has_strategies(district_id: int) -> bool:
    """A goal must name the district strategy it serves once the district has one: a
    strategic plan in draft or in use whose driver diagram has at least one node."""
    return (
        StrategicPlan.objects.filter(district_id=district_id, diagram__nodes__isnull=False)
        .exclude(status=StrategicPlanStatus.ARCHIVED)
        .exists()
    )


def goal_draft_for(
    plan: SchoolPlan,
    fields: Mapping[str, Any],
    *,
    has_strategies: bool | None = None,
    similar: Sequence[int] | None = None,
) -> GoalDraft:
    """``fields``: a goal form's cleaned_data or a goal's attributes (missing keys are
    empty). ``has_strategies`` and ``similar`` let a caller checking many goals of one
    plan look them up once."""
    measure = fields.get("measure")
    group = fields.get("student_group")
    need = fields.get("need")
    serves = fields.get("serves_node")
    baseline_date = fields.get("baseline_date")
    if has_strategies is None:
        has_strategies = district_has_strategies(plan.district_id)
    history = None
    if measure is not None:
        history = yearly_history(
            school=plan.school,
            measure=measure,
            student_group=group,
            as_of=baseline_date or timezone.localdate(),
            similar=similar,
        )
    return GoalDraft(
        outcome=fields.get("outcome") or "",
        measure_name=measure.name if measure is not None else "",
        direction=measure.direction if measure is not None else "",
        unit=measure.unit if measure is not None else "",
        student_group_label=group.label if group is not None else "",
        baseline_value=fields.get("baseline_value"),
        baseline_date=baseline_date,
        target_value=fields.get("target_value"),
        deadline=fields.get("deadline"),
        need_label=need.statement if need is not None else "",
        serves_label=serves.text if serves is not None else "",
        district_has_strategies=has_strategies,
        plan_start=plan.school_year.start_date,
        plan_end=plan.last_year.end_date,
        achievability_note=fields.get("achievability_note") or "",
        history=history,
    )


def _fields_of(goal: Goal | DriverDiagram) -> dict[str, Any]:
    names = [n for n in GOAL_FIELD_NAMES if n not in ("need", "serves_node")]
    fields = {name: getattr(goal, name) for name in names}
    if isinstance(goal, Goal):
        fields["need"] = goal.need
        fields["serves_node"] = goal.serves_node
    return fields


def check_saved_goal(goal: Goal) -> SmarteReport:
    return check_goal(goal_draft_for(goal.plan, _fields_of(goal)))


def plan_goal_reports(plan: SchoolPlan) -> dict[int, SmarteReport]:
    """Every goal still in the plan, by pk: a plan is not submitted or approved while
    one of them has a gap."""
    goals = list(
        plan.goals.filter(retired=False).select_related(
            "measure", "student_group", "need", "serves_node"
        )
    )
    if not goals:
        return {}
    has_strategies = district_has_strategies(plan.district_id)
    similar = similar_school_ids(plan.school) if any(g.measure_id for g in goals) else []
    return {
        goal.pk: check_goal(
            goal_draft_for(plan, _fields_of(goal), has_strategies=has_strategies, similar=similar)
        )
        for goal in goals
    }


def aim_report(diagram: DriverDiagram) -> SmarteReport:
    """A driver diagram's aim, checked like a school goal. Its need is the first need or
    challenge of the strategic plan's systems analysis; it serves no strategy (it is
    one). It has no school to compare with, so achievable says it cannot check unless
    the target is no improvement or a piece is missing."""
    strategic_plan = diagram.plan
    need = (
        AnalysisItem.objects.filter(
            plan=strategic_plan, kind__in=[AnalysisKind.NEED, AnalysisKind.CHALLENGE]
        )
        .order_by("position", "pk")
        .values_list("statement", flat=True)
        .first()
    )
    measure = diagram.measure
    group = diagram.student_group
    return check_goal(
        GoalDraft(
            outcome=diagram.outcome,
            measure_name=measure.name if measure is not None else "",
            direction=measure.direction if measure is not None else "",
            unit=measure.unit if measure is not None else "",
            student_group_label=group.label if group is not None else "",
            baseline_value=diagram.baseline_value,
            baseline_date=diagram.baseline_date,
            target_value=diagram.target_value,
            deadline=diagram.deadline,
            need_label=need or "",
            serves_label="",
            district_has_strategies=False,
            plan_start=strategic_plan.first_year.start_date,
            plan_end=strategic_plan.last_year.end_date,
            achievability_note=diagram.achievability_note,
            history=None,
            aim=True,
        )
    )
