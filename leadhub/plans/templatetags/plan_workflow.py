"""``{% plan_workflow_panel plan access %}``: where the plan stands in its approval and
what this person may do about it now (the plan page shows it)."""

from __future__ import annotations

from typing import Any

from django import template

from leadhub.plans import selectors
from leadhub.plans.access import PlanAccess
from leadhub.plans.forms.workflow import CommentForm
from leadhub.plans.models import EDITABLE_STATUSES, PlanStatus, SchoolPlan
from leadhub.plans.services import workflow as flow
from leadhub.plans.views.workflow import may_comment

register = template.Library()

RECENT_COMMENTS = 5


@register.inclusion_tag("plans/_workflow_panel.html", takes_context=True)
def plan_workflow_panel(
    context: template.Context, plan: SchoolPlan, access: PlanAccess
) -> dict[str, Any]:
    request = context.get("request")
    working = access.read_working
    editable = plan.status in EDITABLE_STATUSES
    can_submit = working and access.submit and editable
    can_approve = working and access.approve and plan.status == PlanStatus.SUBMITTED
    can_review = working and access.review and plan.status == PlanStatus.DISTRICT_REVIEW
    goal_gaps = flow.plan_goal_gaps(plan) if (can_submit or can_approve) else []
    blockers = flow.submission_blockers(plan) if can_submit else []
    next_plan = selectors.next_year_plan(plan) if working else None
    comments = list(selectors.plans_comments(plan)[:RECENT_COMMENTS]) if working else []
    published = plan.published_version
    return {
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "plan": plan,
        "access": access,
        "working": working,
        "published": published,
        "last": selectors.last_transition(plan) if working else None,
        "can_submit": can_submit,
        "can_approve": can_approve,
        "can_review": can_review,
        "goal_gaps": goal_gaps,
        "no_goals": bool(blockers) and not goal_gaps,
        "returned": selectors.returned_transition(plan) if working else None,
        "comments": comments,
        "comment_form": CommentForm(plan=plan, auto_id="wf-comment-%s")
        if working and may_comment(access)
        else None,
        "next_plan": next_plan,
        "can_start_next": access.edit and next_plan is None,
        "here": request.get_full_path() if request is not None else "",
    }
