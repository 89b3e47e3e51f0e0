"""Work items from School Improvement Plans: the action steps a person owns and has not
finished, on plans still running. One query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.orgs.schoolyears import school_year_of
from leadhub.plans.models import OPEN_STEP_STATUSES, ActionStep, StepStatus
from leadhub.work.registry import WorkItem, register_work_source

STEP_SOURCE = "Plan action steps"


def _shorten(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def open_plan_steps(user: User, *, today: dt.date) -> list[WorkItem]:
    """The person's open action steps of plans whose years are not over."""
    steps = (
        ActionStep.objects.filter(
            owner=user,
            status__in=list(OPEN_STEP_STATUSES),
            plan__last_year_id__gte=school_year_of(today),
        )
        .select_related("plan__school")
        .order_by("end_on", "pk")
    )
    items = []
    for step in steps:
        overdue = step.end_on is not None and step.end_on < today
        items.append(
            WorkItem(
                title=f"Plan step: {_shorten(step.description)}",
                url=reverse("plans:step", args=[step.pk]),
                due=step.end_on,
                source=STEP_SOURCE,
                organization=step.plan.school.name,
                status="Overdue" if overdue else StepStatus(step.status).label,
            )
        )
    return items


register_work_source(open_plan_steps, label=STEP_SOURCE)
