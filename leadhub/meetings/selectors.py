"""Reads behind the meeting page and the after-the-fact log. Callers gate first
(:mod:`leadhub.meetings.access`); nothing here checks who is asking except where a
reader's access is passed in to filter what they may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.meetings.access import (
    notes_visible,
    visible_action_items,
    visible_agenda_items,
    visible_decisions,
)
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    ReportBack,
)
from leadhub.orgs.models import Membership
from leadhub.teams.access import Person, TeamAccess
from leadhub.teams.models import (
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)

Phase = Literal["upcoming", "running", "held", "cancelled"]


def meeting_phase(meeting: Meeting) -> Phase:
    """Where a meeting is in its life: the page follows it."""
    if meeting.status == MeetingStatus.CANCELLED:
        return "cancelled"
    if meeting.status == MeetingStatus.HELD:
        return "held"
    if meeting.actual_start is not None:
        return "running"
    return "upcoming"


def record_is_open(meeting: Meeting) -> bool:
    """A meeting's record can change until its minutes are approved (or it is cancelled)."""
    return not meeting.minutes_approved and meeting.status != MeetingStatus.CANCELLED


def local_today(meeting: Meeting) -> dt.date:
    return timezone.now().astimezone(meeting.zone).date()


def held_on(meeting: Meeting) -> dt.date:
    """The day the meeting took place where it was held (its scheduled day until started)."""
    if meeting.actual_start is not None:
        return meeting.actual_start.astimezone(meeting.zone).date()
    return meeting.date


# Members -----------------------------------------------------------------------------


ROLE_ORDER: dict[str, int] = {MemberRole.LEAD: 0, MemberRole.MEMBER: 1, MemberRole.COMMUNITY: 2}


def expected_memberships(team: Team, on: dt.date) -> list[TeamMembership]:
    """Members of ``team`` on ``on`` (community members too), one per person, by name.

    A person listed twice keeps the fuller role."""
    rows = (
        TeamMembership.objects.active_on(on)
        .filter(team=team)
        .select_related("user", "represents_team", "represents_program")
        .order_by("start_date", "pk")
    )
    by_user: dict[int, TeamMembership] = {}
    for membership in rows:
        kept = by_user.get(membership.user_id)
        if kept is None or ROLE_ORDER[membership.role] < ROLE_ORDER[kept.role]:
            by_user[membership.user_id] = membership
    return sorted(by_user.values(), key=lambda m: (m.user.full_name.lower(), m.user_id))


def expected_members(meeting: Meeting) -> list[User]:
    return [m.user for m in expected_memberships(meeting.team, held_on(meeting))]


@dataclass(frozen=True)
class AttendanceRow:
    user: User
    membership: TeamMembership | None
    record: Attendance | None

    @property
    def status(self) -> str:
        return self.record.status if self.record is not None else ""

    @property
    def is_community(self) -> bool:
        return self.membership is not None and self.membership.role == MemberRole.COMMUNITY

    @property
    def represents(self) -> str:
        if self.membership is None:
            return ""
        team, program = self.membership.represents_team, self.membership.represents_program
        return str(team or program or "")


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Every expected member with their attendance record (or none yet), then anyone
    recorded who is no longer listed as a member."""
    records = {
        a.user_id: a
        for a in Attendance.objects.filter(meeting=meeting, user__isnull=False).select_related(
            "user"
        )
    }
    rows = [
        AttendanceRow(user=m.user, membership=m, record=records.pop(m.user_id, None))
        for m in expected_memberships(meeting.team, held_on(meeting))
    ]
    rows += [
        AttendanceRow(user=a.user, membership=None, record=a)  # type: ignore[arg-type]
        for a in sorted(records.values(), key=lambda a: a.user.full_name.lower())  # type: ignore[union-attr]
    ]
    return rows


def attendance_row(meeting: Meeting, user: User) -> AttendanceRow:
    membership = next(
        (m for m in expected_memberships(meeting.team, held_on(meeting)) if m.user_id == user.pk),
        None,
    )
    record = Attendance.objects.filter(meeting=meeting, user=user).first()
    return AttendanceRow(user=user, membership=membership, record=record)


def guests(meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting, user__isnull=True).order_by("pk")


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int
    on_time: int
    late: int
    absent: int
    excused: int
    unmarked: int
    guests: int

    @property
    def present(self) -> int:
        return self.on_time + self.late


def attendance_summary(rows: list[AttendanceRow], guest_count: int) -> AttendanceSummary:
    counts = {status: 0 for status in AttendanceStatus.values}
    unmarked = 0
    for row in rows:
        if row.record is None:
            unmarked += 1
        else:
            counts[row.record.status] += 1
    return AttendanceSummary(
        expected=len(rows),
        on_time=counts[AttendanceStatus.ON_TIME],
        late=counts[AttendanceStatus.LATE],
        absent=counts[AttendanceStatus.ABSENT],
        excused=counts[AttendanceStatus.EXCUSED],
        unmarked=unmarked,
        guests=guest_count,
    )


# Follow-up from earlier meetings -------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    action: ActionItem
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def actions_for_review(meeting: Meeting, user: Person, access: TeamAccess) -> list[ReviewRow]:
    """The team's action items from earlier meetings that are still open, and those this
    meeting already reviewed (so a closed one stays in view with its new status)."""
    earlier = Q(meeting__scheduled_start__lt=meeting.scheduled_start) & ~Q(meeting=meeting)
    actions = ActionItem.objects.filter(
        earlier & (Q(status=ActionStatus.OPEN) | Q(last_reviewed_in=meeting)), team=meeting.team
    ).select_related("owner", "meeting", "last_reviewed_in")
    today = local_today(meeting)
    return [
        ReviewRow(
            action=action,
            days_overdue=(today - action.due_on).days
            if action.status == ActionStatus.OPEN and action.due_on < today
            else 0,
        )
        for action in visible_action_items(user, access, actions).order_by("due_on", "pk")
    ]


def review_row(action: ActionItem, meeting: Meeting) -> ReviewRow:
    today = local_today(meeting)
    overdue = action.status == ActionStatus.OPEN and action.due_on < today
    return ReviewRow(action=action, days_overdue=(today - action.due_on).days if overdue else 0)


# Owners of action items ----------------------------------------------------------------


def staff_for_team(team: Team, on: dt.date) -> QuerySet[User]:
    """Who may own a team's action item besides its members: the school's staff for a
    school team, the district's staff for a district team (none for cross-school teams)."""
    if team.level == TeamLevel.SCHOOL:
        memberships = Membership.objects.active_on(on).filter(school_id=team.school_id)
    elif team.level == TeamLevel.DISTRICT:
        memberships = Membership.objects.active_on(on).filter(
            district_id=team.district_id, school__isnull=True
        )
    else:
        return User.objects.none()
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def member_ids(team: Team, on: dt.date) -> set[int]:
    return set(
        TeamMembership.objects.active_on(on).filter(team=team).values_list("user_id", flat=True)
    )


@dataclass(frozen=True)
class OwnerChoices:
    members: list[User]
    others: list[User]
    others_label: str

    @property
    def ids(self) -> set[int]:
        return {u.pk for u in self.members} | {u.pk for u in self.others}


def owner_choices(team: Team, on: dt.date | None = None) -> OwnerChoices:
    """Who can own an action item today: the team's current members (community members
    too), then the rest of the school's (or district's) current staff."""
    day = on or timezone.localdate()
    members = list(
        User.objects.filter(is_active=True, pk__in=member_ids(team, day)).order_by("full_name")
    )
    ids = {u.pk for u in members}
    others = [u for u in staff_for_team(team, day).order_by("full_name") if u.pk not in ids]
    organization = team.school if team.level == TeamLevel.SCHOOL else team.district
    label = f"Other staff of {organization}" if organization is not None else "Other staff"
    return OwnerChoices(members=members, others=others, others_label=label)


def owner_problem(team: Team, owner: User, on: dt.date | None = None) -> str:
    """Why ``owner`` cannot own the team's action item ("" when they can)."""
    choices = owner_choices(team, on)
    if owner.pk in choices.ids:
        return ""
    if team.level == TeamLevel.SCHOOL:
        return f"{owner} is not on the staff of {team.school}. Choose someone who works there."
    if team.level == TeamLevel.DISTRICT:
        return f"{owner} is not on the staff of {team.district}. Choose someone who works there."
    return f"{owner} is not a member of {team}. Choose one of its members."


def owner_warning(team: Team, owner: User, on: dt.date | None = None) -> str:
    """A warning, not an error: the owner is staff but not on the team."""
    day = on or timezone.localdate()
    if owner.pk in member_ids(team, day):
        return ""
    return (
        f"{owner} is not a member of {team}: let them know about this action item, "
        f"since they will not hear it at the team's meetings."
    )


# Decisions -----------------------------------------------------------------------------


def affected_team_choices(team: Team) -> QuerySet[Team]:
    """The instructional teams of the school a decision can affect (none outside schools)."""
    if team.school_id is None:
        return Team.objects.none()
    return (
        Team.objects.active()
        .filter(school_id=team.school_id, kind=TeamKind.INSTRUCTIONAL)
        .exclude(pk=team.pk)
        .order_by("name")
    )


@dataclass(frozen=True)
class CarryBack:
    """Who carries one decision back to one affected team, and any composition gap."""

    team: Team
    report: ReportBack | None
    gap: str
    fix_team: Team | None


def carry_backs(decision: Decision) -> list[CarryBack]:
    """For each affected team: its report-back task and, where the deciding team has no
    representative of it, a sentence naming the gap and who carries it back instead."""
    if not decision.must_communicate:
        return []
    deciding = decision.meeting.team
    reports = {r.team_id: r for r in decision.report_backs.select_related("assignee", "team")}
    leads: dict[int, set[int]] = {}
    for membership in (
        TeamMembership.objects.active_on(decision.meeting.date)
        .filter(team__in=decision.affected_teams.all(), role=MemberRole.LEAD)
        .values("team_id", "user_id")
    ):
        leads.setdefault(membership["team_id"], set()).add(membership["user_id"])
    found = []
    for team in decision.affected_teams.order_by("name"):
        report = reports.get(team.pk)
        if report is None:
            gap = (
                f"{team} has no representative on {deciding}, no team lead and no principal "
                f"on record, so nobody has been asked to carry this back."
            )
            found.append(CarryBack(team=team, report=None, gap=gap, fix_team=team))
        elif report.via_representative:
            found.append(CarryBack(team=team, report=report, gap="", fix_team=None))
        else:
            who = (
                "its team lead"
                if report.assignee_id in leads.get(team.pk, set())
                else "the principal"
            )
            gap = (
                f"{team} has no representative on {deciding}; {who}, {report.assignee}, "
                f"will carry it back."
            )
            found.append(CarryBack(team=team, report=report, gap=gap, fix_team=team))
    return found


def decisions_for(meeting: Meeting, access: TeamAccess) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(meeting=meeting).prefetch_related("affected_teams")
    return visible_decisions(access, decisions)


def meeting_actions(meeting: Meeting, user: Person, access: TeamAccess) -> QuerySet[ActionItem]:
    actions = ActionItem.objects.filter(meeting=meeting).select_related("owner", "agenda_item")
    return visible_action_items(user, access, actions).order_by("pk")


# Agenda and timers -------------------------------------------------------------------


@dataclass(frozen=True)
class TimerState:
    seconds: int
    running: bool
    started_at: dt.datetime | None
    allotted_seconds: int

    @property
    def overrun_seconds(self) -> int:
        return max(0, self.seconds - self.allotted_seconds)

    @property
    def display(self) -> str:
        return clock(self.seconds)

    @property
    def overrun_display(self) -> str:
        return clock(self.overrun_seconds)


def clock(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def timer_state(item: AgendaItem, now: dt.datetime | None = None) -> TimerState:
    moment = now or timezone.now()
    seconds = item.timer_seconds
    if item.timer_started_at is not None:
        seconds += max(0, int((moment - item.timer_started_at).total_seconds()))
    return TimerState(
        seconds=seconds,
        running=item.timer_started_at is not None,
        started_at=item.timer_started_at,
        allotted_seconds=item.minutes_allotted * 60,
    )


def agenda_for(meeting: Meeting, access: TeamAccess) -> QuerySet[AgendaItem]:
    items = meeting.agenda_items.select_related("presenter", "carried_from__meeting")
    return visible_agenda_items(access, items)


def show_notes(access: TeamAccess, meeting: Meeting) -> bool:
    return notes_visible(access, meeting)


def unrecorded_meetings(team: Team, limit: int = 8) -> list[Meeting]:
    """Scheduled meetings of ``team`` that have passed with nothing recorded: the ones a
    team most likely wants to log from paper."""
    return list(
        Meeting.objects.filter(
            team=team,
            status=MeetingStatus.SCHEDULED,
            actual_start__isnull=True,
            scheduled_start__lt=timezone.now(),
        ).order_by("-scheduled_start")[:limit]
    )
