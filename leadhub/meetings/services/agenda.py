"""Agendas: building one, its time budget, drafting the next one, and sending it out.

The guide's pattern for an effective ILT is that the next agenda is drafted at the end of
each meeting, that most of the time goes to instruction, and that there is always time for
issues teachers bring. The totals here are what the agenda page shows about that.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.lib.email import send_templated_email
from leadhub.meetings.models import (
    INSTRUCTIONAL_KINDS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    AgendaKind,
    IntakeItem,
    IntakeStatus,
    Meeting,
    MeetingStatus,
)
from leadhub.teams.models import Team, TeamMembership

# The follow-up item the next agenda opens with when the team has open action items.
REVIEW_ACTIONS_TITLE = "Review open action items"
REVIEW_ACTIONS_MINUTES = 10
REVIEW_ACTIONS_DETAILS = (
    "Go through each open action item: done, on track, or stuck and needing help? "
    "Overdue items first."
)
# Minutes a proposed issue gets when it is put on an agenda (the team can change it).
INTAKE_ITEM_MINUTES = 15

EDITABLE_FIELDS = ["title", "kind", "presenter", "minutes_allotted", "details", "confidential"]


# ---------------------------------------------------------------------------------------
# The time budget
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindMinutes:
    kind: str
    label: str
    minutes: int
    instructional: bool


@dataclass(frozen=True)
class AgendaTotals:
    """Allotted minutes against the meeting's length, and where the time goes."""

    allotted: int
    scheduled: int
    instructional: int
    teacher_issue: int
    item_count: int
    by_kind: list[KindMinutes] = field(default_factory=list)

    @property
    def over_by(self) -> int:
        return max(0, self.allotted - self.scheduled)

    @property
    def left(self) -> int:
        return max(0, self.scheduled - self.allotted)

    @property
    def overtime_warning(self) -> str:
        """Empty when the agenda fits the meeting."""
        if self.allotted <= self.scheduled:
            return ""
        return f"The agenda needs {self.allotted} minutes; the meeting is {self.scheduled}."

    @property
    def instructional_share(self) -> int | None:
        """Whole percent of the allotted time on instructional kinds (None: no time yet)."""
        if self.allotted == 0:
            return None
        return round(100 * self.instructional / self.allotted)

    @property
    def teacher_issue_share(self) -> int | None:
        if self.allotted == 0:
            return None
        return round(100 * self.teacher_issue / self.allotted)

    @property
    def needs_teacher_time(self) -> bool:
        """The agenda has items but no time for issues raised by teachers."""
        return self.item_count > 0 and self.teacher_issue == 0

    @property
    def mostly_not_instruction(self) -> bool:
        share = self.instructional_share
        return share is not None and share < 50


def agenda_totals(meeting: Meeting, items: Iterable[AgendaItem]) -> AgendaTotals:
    """Totals over ``items`` (all of the meeting's items, confidential ones included: they
    take time whether or not a reader may see them)."""
    minutes_by_kind: dict[str, int] = {}
    count = 0
    for item in items:
        count += 1
        minutes_by_kind[item.kind] = minutes_by_kind.get(item.kind, 0) + item.minutes_allotted
    by_kind = [
        KindMinutes(
            kind=kind.value,
            label=str(kind.label),
            minutes=minutes_by_kind[kind.value],
            instructional=kind in INSTRUCTIONAL_KINDS,
        )
        for kind in AgendaKind
        if minutes_by_kind.get(kind.value)
    ]
    return AgendaTotals(
        allotted=sum(minutes_by_kind.values()),
        scheduled=meeting.scheduled_minutes,
        instructional=sum(m for k, m in minutes_by_kind.items() if k in INSTRUCTIONAL_KINDS),
        teacher_issue=minutes_by_kind.get(AgendaKind.TEACHER_ISSUE, 0),
        item_count=count,
        by_kind=by_kind,
    )


# ---------------------------------------------------------------------------------------
# Building the agenda
# ---------------------------------------------------------------------------------------


def agenda_presenters(team: Team, *, also: Sequence[int | None] = ()) -> Any:
    """People who may present: the team's current members (and whoever already presents
    an item being edited, so an edit never silently drops them)."""
    member_ids = TeamMembership.objects.current().filter(team=team).values("user_id")
    extra = [pk for pk in also if pk]
    return User.objects.filter(Q(pk__in=member_ids) | Q(pk__in=extra), is_active=True).order_by(
        "full_name", "pk"
    )


def agenda_record_drafted(meeting: Meeting, *, now: dt.datetime | None = None) -> bool:
    """Record when the meeting's agenda was first drafted; later calls change nothing.

    A single conditional UPDATE: the meeting's version is left alone, so people editing the
    meeting itself at the same moment are not told about a conflict that is not theirs.
    """
    if meeting.agenda_drafted_at is not None:
        return False
    stamp = now or timezone.now()
    changed = Meeting.objects.filter(pk=meeting.pk, agenda_drafted_at__isnull=True).update(
        agenda_drafted_at=stamp
    )
    if changed:
        meeting.agenda_drafted_at = stamp
    else:
        meeting.refresh_from_db(fields=["agenda_drafted_at"])
    return bool(changed)


def _next_position(meeting: Meeting) -> int:
    top = meeting.agenda_items.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, **values: Any) -> AgendaItem:
    """Add an item at the end of the agenda. The first item records when drafting began."""
    item = AgendaItem(meeting=meeting, position=_next_position(meeting), **values)
    item.full_clean(exclude=["meeting", "carried_from"])
    item.save()
    agenda_record_drafted(meeting)
    return item


def agenda_item_delete_refusal(item: AgendaItem) -> str:
    """Why an item cannot be removed (empty when it can): once something was recorded
    against it, it is part of the meeting's record."""
    if item.notes.strip():
        return "This item has notes, so it stays on the record. Mark it done or unfinished instead."
    if item.decisions.exists():
        return "A decision was recorded under this item, so it stays on the record."
    if item.action_items.exists():
        return "An action item was recorded under this item, so it stays on the record."
    return ""


@transaction.atomic
def agenda_item_delete(item: AgendaItem) -> None:
    """Remove an item. An issue proposed through the intake queue goes back to waiting."""
    refusal = agenda_item_delete_refusal(item)
    if refusal:
        raise ValueError(refusal)
    IntakeItem.objects.filter(agenda_item=item).update(
        status=IntakeStatus.SUBMITTED, agenda_item=None
    )
    item.delete()


def _renumber(meeting: Meeting, ordered: Sequence[AgendaItem]) -> None:
    """Positions 0…n-1 in ``ordered`` order. Positions are layout, not content: the items'
    versions stay, so moving an item never collides with someone editing its text."""
    for index, item in enumerate(ordered):
        if item.position != index:
            AgendaItem.objects.filter(pk=item.pk).update(position=index)
            item.position = index


@transaction.atomic
def agenda_item_move(item: AgendaItem, direction: str) -> bool:
    """Swap the item with its neighbour above ("up") or below ("down"). False at an end."""
    if direction not in {"up", "down"}:
        raise ValueError("Move an item up or down.")
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if target < 0 or target >= len(items):
        _renumber(item.meeting, items)
        return False
    items[index], items[target] = items[target], items[index]
    _renumber(item.meeting, items)
    item.position = target
    return True


# ---------------------------------------------------------------------------------------
# Drafting the next agenda
# ---------------------------------------------------------------------------------------


def next_meeting_for(meeting: Meeting, *, now: dt.datetime | None = None) -> Meeting | None:
    """The team's next scheduled meeting after this one (and not already in the past)."""
    after = max(meeting.scheduled_start, now or timezone.now())
    return (
        Meeting.objects.filter(
            team_id=meeting.team_id, status=MeetingStatus.SCHEDULED, scheduled_start__gt=after
        )
        .exclude(pk=meeting.pk)
        .order_by("scheduled_start", "pk")
        .first()
    )


def open_action_items(team: Team) -> Any:
    return ActionItem.objects.filter(team=team, status=ActionStatus.OPEN)


def waiting_intake_items(team: Team) -> Any:
    """Issues the team accepted without choosing a meeting: they join the next draft."""
    return IntakeItem.objects.filter(
        team=team, status=IntakeStatus.ACCEPTED, agenda_item__isnull=True
    ).order_by("created_at", "pk")


@dataclass(frozen=True)
class DraftPreview:
    """What drafting the next agenda would bring over."""

    unfinished: list[AgendaItem]
    open_actions: int
    overdue_actions: int
    waiting_intake: list[IntakeItem]


def draft_preview(meeting: Meeting, *, today: dt.date | None = None) -> DraftPreview:
    day = today or meeting.date
    actions = open_action_items(meeting.team)
    return DraftPreview(
        unfinished=list(meeting.agenda_items.filter(status=AgendaItemStatus.UNFINISHED)),
        open_actions=actions.count(),
        overdue_actions=actions.filter(due_on__lt=day).count(),
        waiting_intake=list(waiting_intake_items(meeting.team)),
    )


@dataclass(frozen=True)
class DraftResult:
    next_meeting: Meeting
    carried: list[AgendaItem]
    review_added: bool
    intake_added: list[AgendaItem]
    first_draft: bool

    @property
    def added_count(self) -> int:
        return len(self.carried) + len(self.intake_added) + int(self.review_added)


@transaction.atomic
def agenda_draft_next(
    *, meeting: Meeting, next_meeting: Meeting, now: dt.datetime | None = None
) -> DraftResult:
    """Draft ``next_meeting``'s agenda from ``meeting``: unfinished items carry forward
    (same kind, presenter, minutes and confidentiality), a review of open action items
    opens it when there are any, and accepted issues waiting for an agenda join it.

    Idempotent: an item already carried to ``next_meeting``, or a review already there,
    is not added again. Records ``next_meeting.agenda_drafted_at`` the first time only.
    """
    if next_meeting.team_id != meeting.team_id or next_meeting.pk == meeting.pk:
        raise ValueError("The next agenda must be another meeting of the same team.")
    # Serialize drafts of the same meeting (a double click, two recorders at once).
    Meeting.objects.select_for_update().filter(pk=next_meeting.pk).first()
    existing = list(next_meeting.agenda_items.order_by("position", "pk"))
    already_carried = {item.carried_from_id for item in existing if item.carried_from_id}

    carried: list[AgendaItem] = []
    for source in meeting.agenda_items.filter(status=AgendaItemStatus.UNFINISHED).order_by(
        "position", "pk"
    ):
        if source.pk in already_carried:
            continue
        copy = AgendaItem.objects.create(
            meeting=next_meeting,
            title=source.title,
            kind=source.kind,
            presenter_id=source.presenter_id,
            minutes_allotted=source.minutes_allotted,
            details=source.details,
            confidential=source.confidential,
            carried_from=source,
        )
        # An issue a teacher proposed follows its item, so the proposer sees where it went.
        IntakeItem.objects.filter(agenda_item=source).update(agenda_item=copy)
        carried.append(copy)

    review: AgendaItem | None = None
    has_review = any(
        item.kind == AgendaKind.FOLLOW_UP and item.title == REVIEW_ACTIONS_TITLE
        for item in existing
    )
    if not has_review and open_action_items(meeting.team).exists():
        review = AgendaItem.objects.create(
            meeting=next_meeting,
            title=REVIEW_ACTIONS_TITLE,
            kind=AgendaKind.FOLLOW_UP,
            minutes_allotted=REVIEW_ACTIONS_MINUTES,
            details=REVIEW_ACTIONS_DETAILS,
        )

    intake_added: list[AgendaItem] = []
    for proposal in waiting_intake_items(meeting.team).select_for_update():
        item = agenda_item_from_intake(proposal, next_meeting)
        intake_added.append(item)

    # Order: the review first (open actions are reviewed at the top), then what carried
    # over, then what was already planned, then the newly accepted issues.
    ordered = [*([review] if review else []), *carried, *existing, *intake_added]
    _renumber(next_meeting, ordered)
    first = agenda_record_drafted(next_meeting, now=now)
    return DraftResult(
        next_meeting=next_meeting,
        carried=carried,
        review_added=review is not None,
        intake_added=intake_added,
        first_draft=first,
    )


def agenda_item_from_intake(proposal: IntakeItem, meeting: Meeting) -> AgendaItem:
    """An agenda item for a proposed issue; links the proposal to it and marks it accepted.
    The caller holds the proposal's row (or has checked its version)."""
    details = proposal.details
    who = proposal.proposed_by.full_name or proposal.proposed_by.email
    source = f"Proposed by {who}" + (f" for the {proposal.from_team}" if proposal.from_team else "")
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        title=proposal.title,
        kind=AgendaKind.TEACHER_ISSUE,
        minutes_allotted=INTAKE_ITEM_MINUTES,
        details=f"{source}.\n\n{details}".strip() if details else f"{source}.",
    )
    IntakeItem.objects.filter(pk=proposal.pk).update(agenda_item=item, status=IntakeStatus.ACCEPTED)
    proposal.agenda_item = item
    proposal.status = IntakeStatus.ACCEPTED
    agenda_record_drafted(meeting)
    return item


# ---------------------------------------------------------------------------------------
# Sending the agenda
# ---------------------------------------------------------------------------------------


def agenda_recipients(team: Team) -> tuple[list[User], list[User]]:
    """The team's current members: those with an email address, and those without."""
    member_ids = TeamMembership.objects.current().filter(team=team).values("user_id")
    people = list(
        User.objects.filter(pk__in=member_ids, is_active=True).order_by("full_name", "pk")
    )
    with_email = [person for person in people if person.email]
    return with_email, [person for person in people if not person.email]


def format_local(moment: dt.datetime, zone_name: str) -> str:
    """e.g. "Wednesday, March 4, 2026 at 3:30 PM CST" in the meeting's zone."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%A, %B} {local.day}, {local.year} at {hour}:{local:%M %p} {local.tzname()}"


@dataclass(frozen=True)
class EmailItem:
    title: str
    kind: str
    minutes: int
    presenter: str
    details: str


def agenda_email_context(meeting: Meeting, items: Sequence[AgendaItem]) -> dict[str, Any]:
    """What the agenda email says. Confidential items are counted, never described."""
    public = [item for item in items if not item.confidential]
    totals = agenda_totals(meeting, items)
    return {
        "meeting": meeting,
        "team_name": meeting.team.name,
        "when": format_local(meeting.scheduled_start, meeting.team.time_zone),
        "minutes": meeting.scheduled_minutes,
        "location": meeting.location,
        "items": [
            EmailItem(
                title=item.title,
                kind=item.get_kind_display(),
                minutes=item.minutes_allotted,
                presenter=str(item.presenter) if item.presenter else "",
                details=item.details,
            )
            for item in public
        ],
        "confidential_count": len(items) - len(public),
        "allotted": totals.allotted,
        "overtime_warning": totals.overtime_warning,
        "meeting_path": meeting.get_absolute_url(),
    }


def agenda_send(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> tuple[list[User], list[User]]:
    """Email the agenda to the team's current members, one message each; record when.

    Returns (sent to, members left out because they have no email address).
    """
    if meeting.is_cancelled:
        raise ValueError("This meeting was cancelled, so its agenda was not sent.")
    items = list(meeting.agenda_items.select_related("presenter").order_by("position", "pk"))
    if not items:
        raise ValueError("Add at least one item before sending the agenda.")
    recipients, without_email = agenda_recipients(meeting.team)
    context = agenda_email_context(meeting, items)
    for person in recipients:
        send_templated_email(
            template="meetings/email/agenda",
            to=[person.email],
            context={**context, "recipient": person},
        )
    stamp = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(agenda_sent_at=stamp)
    meeting.agenda_sent_at = stamp
    audit_record(
        action="meeting.agenda_send",
        actor=actor,
        object_type="meeting",
        object_id=meeting.pk,
        district_id=meeting.district_id,
        request=request,
    )
    return recipients, without_email
