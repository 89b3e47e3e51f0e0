"""The only gate to meetings and their records. Team-level reach comes from
:mod:`leadhub.teams.access`; this module adds the per-record rules:

* a confidential agenda item, decision or action item is shown only to readers with
  ``read_confidential`` (and an action item always to its owner);
* notes are shown before the minutes are approved only to readers with ``read_notes``;
* a report-back task is its assignee's to complete; an intake item is its proposer's to read.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from leadhub.core.access import not_found
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    IntakeItem,
    Meeting,
    MeetingSeries,
    ReportBack,
)
from leadhub.teams.access import (
    Person,
    TeamAccess,
    require,
    team_access,
    teams_visible_to,
)


def meetings_visible_to(user: Person) -> QuerySet[Meeting]:
    return Meeting.objects.filter(team__in=teams_visible_to(user))


def meeting_get_for_user(user: Person, pk: int) -> tuple[Meeting, TeamAccess]:
    meeting = (
        Meeting.objects.select_related(
            "team__school", "team__district", "team__hub__state", "series"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        not_found()
    access = team_access(user, meeting.team)
    if not access.read:
        not_found()
    return meeting, access


def meeting_require_record(access: TeamAccess) -> None:
    require(access.record, "Only the team's members and the principal can record this meeting.")


def meeting_require_manage(access: TeamAccess) -> None:
    require(access.manage, "Only the team's leads and school leaders can change its schedule.")


def notes_visible(access: TeamAccess, meeting: Meeting) -> bool:
    """Working notes are the team's until the minutes are approved."""
    return access.read_notes or meeting.minutes_approved


def visible_agenda_items(access: TeamAccess, items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    return items if access.read_confidential else items.filter(confidential=False)


def visible_decisions(access: TeamAccess, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions if access.read_confidential else decisions.filter(confidential=False)


def visible_action_items(
    user: Person, access: TeamAccess, actions: QuerySet[ActionItem]
) -> QuerySet[ActionItem]:
    if access.read_confidential:
        return actions
    return actions.filter(Q(confidential=False) | Q(owner_id=getattr(user, "pk", None)))


def agenda_item_get_for_user(user: Person, pk: int) -> tuple[AgendaItem, TeamAccess]:
    item = AgendaItem.objects.select_related("meeting__team").filter(pk=pk).first()
    if item is None:
        not_found()
    access = team_access(user, item.meeting.team)
    if not access.read or (item.confidential and not access.read_confidential):
        not_found()
    return item, access


def decision_get_for_user(user: Person, pk: int) -> tuple[Decision, TeamAccess]:
    decision = Decision.objects.select_related("meeting__team").filter(pk=pk).first()
    if decision is None:
        not_found()
    access = team_access(user, decision.meeting.team)
    if not access.read or (decision.confidential and not access.read_confidential):
        not_found()
    return decision, access


def action_get_for_user(user: Person, pk: int) -> tuple[ActionItem, TeamAccess]:
    action = (
        ActionItem.objects.select_related("team__school", "meeting", "owner").filter(pk=pk).first()
    )
    if action is None:
        not_found()
    access = team_access(user, action.team)
    is_owner = action.owner_id == getattr(user, "pk", None)
    if not (access.read or is_owner):
        not_found()
    if action.confidential and not (access.read_confidential or is_owner):
        not_found()
    return action, access


def action_can_update(user: Person, access: TeamAccess, action: ActionItem) -> bool:
    """Its owner marks it done; the team's recorders edit it."""
    return access.record or action.owner_id == getattr(user, "pk", None)


def report_back_get_for_user(user: Person, pk: int) -> tuple[ReportBack, TeamAccess]:
    """The assignee and the deciding team's readers see a report-back; only the assignee
    (or someone who records for the deciding team) completes it."""
    report = (
        ReportBack.objects.select_related("decision__meeting__team", "team", "assignee")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        not_found()
    access = team_access(user, report.decision.meeting.team)
    is_assignee = report.assignee_id == getattr(user, "pk", None)
    if not (access.read or is_assignee):
        not_found()
    if report.decision.confidential and not (access.read_confidential or is_assignee):
        not_found()
    return report, access


def report_back_can_complete(user: Person, access: TeamAccess, report: ReportBack) -> bool:
    return report.assignee_id == getattr(user, "pk", None) or access.record


def intake_get_for_user(user: Person, pk: int) -> tuple[IntakeItem, TeamAccess]:
    """The proposer always sees their item and its answer; the receiving team's readers
    with ``read_notes`` see the queue."""
    item = (
        IntakeItem.objects.select_related("team", "proposed_by", "from_team").filter(pk=pk).first()
    )
    if item is None:
        not_found()
    access = team_access(user, item.team)
    if not (access.read_notes or item.proposed_by_id == getattr(user, "pk", None)):
        not_found()
    return item, access


def intake_require_triage(access: TeamAccess) -> None:
    require(access.record, "Only the team's members can accept or answer proposed issues.")


def series_get_for_user(user: Person, pk: int) -> tuple[MeetingSeries, TeamAccess]:
    """A series and what the person may do with its team; 404 when missing or out of reach."""
    series = (
        MeetingSeries.objects.select_related("team__school", "team__district", "team__hub__state")
        .filter(pk=pk)
        .first()
    )
    if series is None:
        not_found()
    access = team_access(user, series.team)
    if not access.read:
        not_found()
    return series, access


def minutes_can_approve(access: TeamAccess) -> bool:
    """Approving and sending minutes: the team's leads and school leaders who can read the
    working notes they approve (the principal always can)."""
    return access.manage and access.read_notes
