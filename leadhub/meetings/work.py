"""Work items from team meetings: a person's open action items and the decisions they are
to carry back to a team. One query each."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.meetings.models import ActionItem, ActionStatus, ReportBack
from leadhub.teams.models import Team
from leadhub.work.registry import WorkItem, register_work_source

ACTION_SOURCE = "Team action items"
REPORT_BACK_SOURCE = "Report-backs"


def _where(team: Team) -> str:
    place = team.school or team.district or team.hub
    return f"{team.name} · {place}" if place is not None else team.name


def _shorten(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def open_action_items(user: User, *, today: dt.date) -> list[WorkItem]:
    """The person's open action items on active teams."""
    actions = ActionItem.objects.filter(
        owner=user, status=ActionStatus.OPEN, team__archived_on__isnull=True
    ).select_related("team__school", "team__district", "team__hub")
    items = []
    for action in actions:
        overdue = action.due_on < today
        items.append(
            WorkItem(
                title=_shorten(action.description, 160),
                url=reverse("meetings:action_detail", args=[action.pk]),
                due=action.due_on,
                source=ACTION_SOURCE,
                organization=_where(action.team),
                status="Overdue" if overdue else "Open",
            )
        )
    return items


def report_backs_to_share(user: User, *, today: dt.date) -> list[WorkItem]:
    """Decisions the person is to carry back to a team and has not yet recorded as shared."""
    reports = ReportBack.objects.filter(assignee=user, shared_on__isnull=True).select_related(
        "team",
        "decision__meeting__team__school",
        "decision__meeting__team__district",
        "decision__meeting__team__hub",
    )
    items = []
    for report in reports:
        overdue = report.due_on < today
        items.append(
            WorkItem(
                title=f"Share with {report.team.name}: “{_shorten(report.decision.text)}”",
                url=reverse("meetings:report_back", args=[report.pk]),
                due=report.due_on,
                source=REPORT_BACK_SOURCE,
                organization=_where(report.decision.meeting.team),
                status="Overdue" if overdue else "Not shared yet",
            )
        )
    return items


register_work_source(open_action_items, label=ACTION_SOURCE)
register_work_source(report_backs_to_share, label=REPORT_BACK_SOURCE)
