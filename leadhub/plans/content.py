"""A plan's content as one plain structure: what a version freezes, what the plan page,
the print page, the PDF and the version comparison all read.

The same shape comes from the live rows (:func:`plan_content`, the version being written)
and from a frozen version (``PlanVersion.content``), so every reader renders both the same
way. Ids are kept so a frozen goal can be matched with its live row (checkpoints, agenda
links) and with itself in another version.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from leadhub.orgs.schoolyears import school_year_label
from leadhub.plans.models import (
    ActionStep,
    EvidenceTier,
    Goal,
    InterimTarget,
    Need,
    Rating,
    SchoolPlan,
    SelfAssessmentRating,
    Strategy,
)

Content = dict[str, Any]


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def plan_content(plan: SchoolPlan) -> Content:
    """The plan's content as it is in the rows now (a fixed number of queries)."""
    ratings = (
        SelfAssessmentRating.objects.filter(plan=plan)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__pk")
    )
    needs = Need.objects.filter(plan=plan).select_related("measure").prefetch_related("indicators")
    goals = (
        Goal.objects.filter(plan=plan, retired=False)
        .select_related("measure", "student_group", "need", "serves_node")
        .prefetch_related(
            Prefetch("interim_targets", queryset=InterimTarget.objects.select_related("measure"))
        )
    )
    strategies = (
        Strategy.objects.filter(plan=plan)
        .select_related("goal")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=ActionStep.objects.select_related("owner").prefetch_related("resources"),
            )
        )
    )
    return {
        "title": plan.title,
        "years": f"{school_year_label(plan.school_year_id)}"
        + (
            f" to {school_year_label(plan.last_year_id)}"
            if plan.last_year_id != plan.school_year_id
            else ""
        ),
        "self_assessment": [
            {
                "indicator_id": r.indicator_id,
                "domain": r.indicator.domain,
                "indicator": r.indicator.text,
                "rating": r.rating,
                "rating_label": Rating(r.rating).label if r.rating else "",
                "evidence": r.evidence,
            }
            for r in ratings
        ],
        "needs": [
            {
                "id": n.pk,
                "statement": n.statement,
                "root_causes": n.root_cause_list,
                "evidence": n.evidence,
                "indicators": sorted(i.text for i in n.indicators.all()),
                "measure": n.measure.name if n.measure else "",
            }
            for n in needs
        ],
        "goals": [_goal(g) for g in goals],
        "strategies": [
            {
                "id": s.pk,
                "title": s.title,
                "description": s.description,
                "goal_id": s.goal_id,
                "goal": str(s.goal) if s.goal else "",
                "evidence_tier": s.evidence_tier,
                "evidence_tier_label": EvidenceTier(s.evidence_tier).label
                if s.evidence_tier
                else "",
                "evidence_note": s.evidence_note,
                "steps": [
                    {
                        "id": step.pk,
                        "description": step.description,
                        "owner": step.owner.full_name if step.owner else "",
                        "start_on": _day(step.start_on),
                        "end_on": _day(step.end_on),
                        "professional_learning": step.professional_learning,
                        "resources": [
                            {
                                "description": r.description,
                                "cost": _money(r.cost),
                                "funding_source": r.funding_source,
                            }
                            for r in step.resources.all()
                        ],
                    }
                    for step in s.steps.all()
                ],
            }
            for s in strategies
        ],
    }


def _goal(goal: Goal) -> Content:
    return {
        "id": goal.pk,
        "key": str(goal.key),
        "outcome": goal.outcome,
        "measure_id": goal.measure_id,
        "measure": goal.measure.name if goal.measure else "",
        "unit": goal.measure.unit if goal.measure else "",
        "direction": goal.measure.direction if goal.measure else "",
        "student_group": goal.student_group.label if goal.student_group else "All students",
        "student_group_code": goal.student_group.code if goal.student_group else "",
        "baseline_value": goal.baseline_value,
        "baseline_date": _day(goal.baseline_date),
        "target_value": goal.target_value,
        "deadline": _day(goal.deadline),
        "need_id": goal.need_id,
        "need": goal.need.statement if goal.need else "",
        "serves_node_id": goal.serves_node_id,
        "serves": goal.serves_node.text if goal.serves_node else "",
        "achievability_note": goal.achievability_note,
        "interim_targets": [
            {
                "id": t.pk,
                "label": t.label,
                "measure": t.measure.name if t.measure else "",
                "baseline_value": t.baseline_value,
                "target_value": t.target_value,
                "due_on": _day(t.due_on),
            }
            for t in goal.interim_targets.all()
        ],
    }
