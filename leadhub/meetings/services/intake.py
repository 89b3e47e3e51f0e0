"""The intake queue: issues people on the teams an ILT serves bring to it.

The guide counts it as a mark of a working ILT that issues travel up from instructional
teams and that teachers get time on the agenda. A proposal waits in the queue until the
team puts it on an agenda or answers it; either way the proposer sees what happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    IntakeItem,
    IntakeStatus,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.services.agenda import agenda_item_from_intake
from leadhub.teams.access import Person, team_roles_for
from leadhub.teams.models import MemberRole, Team, TeamKind

# The queue's filters, as the page names them.
FILTERS: dict[str, tuple[str, list[str]]] = {
    "waiting": ("Waiting", [IntakeStatus.SUBMITTED]),
    "agenda": ("On an agenda", [IntakeStatus.ACCEPTED]),
    "answered": ("Answered", [IntakeStatus.ANSWERED]),
}
DEFAULT_FILTER = "waiting"


def intake_from_teams(user: Person, team: Team) -> Any:
    """The teams a person may say they raise an issue for: their current instructional
    teams at the receiving team's school (never the receiving team itself)."""
    roles = team_roles_for(user)
    ids = [pk for pk, role in roles.items() if role != MemberRole.COMMUNITY and pk != team.pk]
    if team.school_id is None:
        return Team.objects.none()
    return Team.objects.active().filter(
        pk__in=ids, school_id=team.school_id, kind=TeamKind.INSTRUCTIONAL
    )


def intake_is_member(user: Person, team: Team) -> bool:
    role = team_roles_for(user).get(team.pk)
    return role is not None and role != MemberRole.COMMUNITY


def intake_propose(
    *, team: Team, user: User, title: str, details: str = "", from_team: Team | None = None
) -> IntakeItem:
    return IntakeItem.objects.create(
        team=team, proposed_by=user, from_team=from_team, title=title, details=details
    )


def intake_upcoming_meetings(team: Team, *, now: dt.datetime | None = None) -> Any:
    """Meetings a proposed issue can be put on: the team's scheduled meetings to come."""
    return Meeting.objects.filter(
        team=team, status=MeetingStatus.SCHEDULED, scheduled_start__gt=now or timezone.now()
    ).order_by("scheduled_start", "pk")


def intake_can_accept(item: IntakeItem) -> bool:
    """Waiting, or accepted for "the next agenda" without a meeting yet."""
    return item.status == IntakeStatus.SUBMITTED or (
        item.status == IntakeStatus.ACCEPTED and item.agenda_item_id is None
    )


def intake_can_answer(item: IntakeItem) -> bool:
    return item.status != IntakeStatus.WITHDRAWN


@transaction.atomic
def intake_accept(
    *, item: IntakeItem, meeting: Meeting | None, expected_version: int, actor: User
) -> AgendaItem | None:
    """Put the issue on ``meeting``'s agenda as an issue raised by teachers, or, with no
    meeting, mark it accepted for the next agenda the team drafts.

    Raises :class:`EditConflict` when someone else triaged it after this page was opened.
    """
    if meeting is not None and meeting.team_id != item.team_id:
        raise ValueError("Choose a meeting of the team the issue was proposed to.")
    # Claim the row first: only one person's accept goes through.
    item.status = IntakeStatus.ACCEPTED
    save_if_unchanged(
        item, expected_version=expected_version, update_fields=["status"], actor=actor
    )
    if meeting is None:
        return None
    return agenda_item_from_intake(item, meeting)


def intake_answer(*, item: IntakeItem, answer: str, expected_version: int, actor: User) -> None:
    """Answer the proposer. An item already on an agenda keeps its link to the meeting."""
    item.answer = answer
    item.status = IntakeStatus.ANSWERED
    item.answered_by = actor
    item.answered_at = timezone.now()
    save_if_unchanged(
        item,
        expected_version=expected_version,
        update_fields=["answer", "status", "answered_by", "answered_at"],
        actor=actor,
    )


@dataclass(frozen=True)
class IntakeOutcome:
    """Where a proposal stands, as its proposer reads it."""

    label: str
    meeting: Meeting | None
    discussed: bool


def intake_outcome(item: IntakeItem) -> IntakeOutcome:
    agenda_item = item.agenda_item
    meeting = agenda_item.meeting if agenda_item is not None else None
    discussed = (
        meeting is not None
        and agenda_item is not None
        and (meeting.is_held or agenda_item.status != AgendaItemStatus.PLANNED)
    )
    if item.status == IntakeStatus.ANSWERED:
        label = "Answered"
    elif item.status == IntakeStatus.WITHDRAWN:
        label = "Withdrawn"
    elif meeting is None and item.status == IntakeStatus.ACCEPTED:
        label = "Accepted: it goes on the next agenda the team drafts"
    elif discussed:
        label = "Discussed at a meeting"
    elif meeting is not None:
        label = "On an agenda"
    else:
        label = "Waiting for the team"
    return IntakeOutcome(label=label, meeting=meeting, discussed=discussed)


def intake_counts(team: Team) -> dict[str, int]:
    counts = {key: 0 for key in FILTERS}
    rows = IntakeItem.objects.filter(team=team).values_list("status", flat=True)
    for status in rows:
        for key, (_, statuses) in FILTERS.items():
            if status in statuses:
                counts[key] += 1
    return counts
