"""Reads of a plan as a document: the versions a reader may compare, and what the print
page, the PDF and the spreadsheet show (the self-assessment summary, goal charts, costs)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from leadhub.plans.charts import goal_chart
from leadhub.plans.content import plan_content
from leadhub.plans.models import (
    ActionStep,
    Goal,
    PlanStatus,
    PlanVersion,
    Rating,
    SchoolPlan,
    StepStatus,
)
from leadhub.plans.progress import goals_progress


@dataclass(frozen=True)
class VersionChoice:
    """A version that can be compared: ``key`` is its number, or "draft" for the one being
    written."""

    key: str
    label: str
    content: dict[str, Any]


def comparable_versions(plan: SchoolPlan, *, working: bool) -> list[VersionChoice]:
    """The versions a reader may compare, oldest first. Readers of the published version
    only compare published versions; working readers also the version being written."""
    choices = []
    versions = PlanVersion.objects.filter(plan=plan).order_by("number")
    for version in versions:
        if working and version.is_frozen:
            choices.append(
                VersionChoice(str(version.number), f"Version {version.number}", version.content)
            )
        elif not working and version.published_at is not None:
            choices.append(
                VersionChoice(str(version.number), f"Version {version.number}", version.content)
            )
    current = next((v for v in versions if v.number == plan.current_number), None)
    if working and (current is None or not current.is_frozen):
        choices.append(
            VersionChoice(
                "draft",
                f"The draft (version {plan.current_number}, as it is now)",
                plan_content(plan),
            )
        )
    return choices


@dataclass(frozen=True)
class DomainSummary:
    domain: str
    counts: list[tuple[str, int]]  # (rating label, how many indicators), best rating last
    unrated: int


def self_assessment_summary(content: dict[str, Any]) -> list[DomainSummary]:
    domains: dict[str, list[dict[str, Any]]] = {}
    for row in content.get("self_assessment", []):
        domains.setdefault(row.get("domain", ""), []).append(row)
    return [
        DomainSummary(
            domain=domain,
            counts=[
                (r.label, sum(1 for row in rows if row.get("rating") == r.value)) for r in Rating
            ],
            unrated=sum(1 for row in rows if not row.get("rating")),
        )
        for domain, rows in domains.items()
    ]


def _cost(value: Any) -> Any:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def goal_charts(goal_ids: list[int]) -> dict[int, Any]:
    """Each goal's progress chart (an accessible SVG) from its checkpoints and trajectory."""
    goals = list(
        Goal.objects.filter(pk__in=goal_ids).select_related("measure", "plan", "student_group")
    )
    return {pk: goal_chart(progress) for pk, progress in goals_progress(goals).items()}


def plan_document(plan: SchoolPlan, *, working: bool) -> dict[str, Any]:
    """What the print page, the PDF and the spreadsheet show: the working version (marked
    a draft until it is published) for working readers, the published one for the rest."""
    if working:
        content = plan_content(plan)
        draft = plan.status != PlanStatus.PUBLISHED
        number = plan.current_number
    else:
        published = plan.published_version
        content = published.content if published is not None else {}
        draft = False
        number = published.number if published is not None else 0
    step_ids = [step["id"] for s in content.get("strategies", []) for step in s.get("steps", [])]
    statuses = {
        pk: StepStatus(status).label
        for pk, status in ActionStep.objects.filter(pk__in=step_ids).values_list("pk", "status")
    }
    charts = goal_charts([g["id"] for g in content.get("goals", [])])
    goals = [{**g, "chart": charts.get(g["id"])} for g in content.get("goals", [])]
    strategies = []
    total = _cost(None)
    for strategy in content.get("strategies", []):
        steps = []
        strategy_total = _cost(None)
        for step in strategy.get("steps", []):
            step_total = sum((_cost(r.get("cost")) for r in step.get("resources", [])), _cost(None))
            strategy_total += step_total
            steps.append({**step, "status": statuses.get(step["id"], ""), "total": step_total})
        total += strategy_total
        strategies.append({**strategy, "steps": steps, "total": strategy_total})
    versions = (
        PlanVersion.objects.filter(plan=plan, approved_at__isnull=False)
        .select_related("approved_by")
        .order_by("number")
    )
    if not working:
        versions = versions.filter(published_at__isnull=False)
    return {
        "content": content,
        "draft": draft,
        "number": number,
        "status_label": plan.get_status_display() if working else PlanStatus.PUBLISHED.label,
        "self_assessment": self_assessment_summary(content),
        "goals": goals,
        "strategies": strategies,
        "total_cost": total,
        "approvals": list(versions),
    }
