"""Building team histories by hand for the indicator tests (no database).

The reference year is 2025–26 in Chicago: instruction from Mon 18 Aug 2025 to Fri 5 Jun
2026, winter break Mon 22 Dec – Fri 2 Jan. An ILT's two-week periods then run 18–31 Aug,
1–14 Sep, 15–28 Sep, 29 Sep–12 Oct, 13–26 Oct, 27 Oct–9 Nov, 10–23 Nov, 24 Nov–7 Dec,
8–21 Dec, 22 Dec–4 Jan (the break: left out), 5–18 Jan, …
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass, field

from leadhub.health.compute import team_health
from leadhub.health.history import (
    ActionRecord,
    AgendaRecord,
    AttendanceRecord,
    DecisionRecord,
    IntakeRecord,
    MeetingRecord,
    ReportBackRecord,
    Span,
    TeamFacts,
    TeamHistory,
)
from leadhub.health.indicators import Code
from leadhub.health.results import IndicatorResult, WindowKey
from leadhub.health.standards import DEFAULT_STANDARDS, Standard
from leadhub.meetings.models import (
    ActionStatus,
    AgendaKind,
    AttendanceStatus,
    IntakeStatus,
    MeetingStatus,
)
from leadhub.meetings.recurrence import SchoolCalendar, SkipDays
from leadhub.teams.models import KIND_LEVEL, MemberRole, TeamKind

ZONE = "America/Chicago"
FIRST_DAY = dt.date(2025, 8, 18)
LAST_DAY = dt.date(2026, 6, 5)
WINTER_BREAK = (dt.date(2025, 12, 22), dt.date(2026, 1, 2))
OCT_31 = dt.date(2025, 10, 31)  # a Friday: the usual "as of" day
PRINCIPAL = 1  # the school's principal, and a member of the ILT


def at(day: dt.date, hour: int = 15, minute: int = 30) -> dt.datetime:
    """An aware datetime on a local date in the reference zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(ZONE))


def calendar_2026(*, with_break: bool = True) -> SkipDays:
    closed: dict[dt.date, str] = {}
    if with_break:
        day, end = WINTER_BREAK
        while day <= end:
            closed[day] = "Winter break"
            day += dt.timedelta(days=1)
    return SkipDays((SchoolCalendar(2026, FIRST_DAY, LAST_DAY, closed),))


def standard(kind: str = TeamKind.ILT) -> Standard:
    return DEFAULT_STANDARDS[kind]


def result(
    builder: HistoryBuilder,
    code: Code,
    as_of: dt.date = OCT_31,
    window: WindowKey = WindowKey.YEAR,
) -> IndicatorResult:
    """One indicator of the built history, as of ``as_of``, with the default standard."""
    health = team_health(builder.build(), standard(builder.kind), as_of=as_of)
    return health.result(code, window)


@dataclass
class HistoryBuilder:
    """A team's records, added one by one; ``build()`` gives the :class:`TeamHistory`."""

    kind: str = TeamKind.ILT
    created: dt.date = dt.date(2024, 8, 1)
    skip: SkipDays = field(default_factory=calendar_2026)
    has_plan_goals: bool = False
    principals: list[Span] = field(
        default_factory=lambda: [Span(PRINCIPAL, "principal", dt.date(2020, 7, 1))]
    )
    meetings: list[MeetingRecord] = field(default_factory=list)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    memberships: list[Span] = field(default_factory=list)
    agenda_items: list[AgendaRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)
    intake: list[IntakeRecord] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def meeting(
        self,
        day: dt.date,
        *,
        status: str = MeetingStatus.HELD,
        late: int | None = 0,
        lasted: int | None = 90,
        roles: tuple[int | None, int | None, int | None] = (2, 3, 4),
        drafted: dt.datetime | None = None,
        title: str = "",
    ) -> int:
        """A meeting at 3:30 pm on ``day``: started ``late`` minutes after the scheduled
        time and ``lasted`` minutes (None: not recorded). Returns its id."""
        scheduled = at(day)
        start = None if late is None else scheduled + dt.timedelta(minutes=late)
        end = None if start is None or lasted is None else start + dt.timedelta(minutes=lasted)
        meeting_id = next(self.ids)
        facilitator, recorder, timekeeper = roles
        self.meetings.append(
            MeetingRecord(
                id=meeting_id,
                title=title,
                status=status,
                scheduled_start=scheduled,
                actual_start=start,
                actual_end=end,
                facilitator_id=facilitator,
                recorder_id=recorder,
                timekeeper_id=timekeeper,
                agenda_drafted_at=drafted,
            )
        )
        return meeting_id

    def held_on(self, *days: dt.date) -> list[int]:
        return [self.meeting(day) for day in days]

    def member(
        self,
        user_id: int,
        *,
        role: str = MemberRole.MEMBER,
        start: dt.date = dt.date(2024, 8, 1),
        end: dt.date | None = None,
    ) -> None:
        self.memberships.append(Span(user_id, role, start, end))

    def attend(self, meeting_id: int, **statuses: list[int | None]) -> None:
        """``attend(m, on_time=[1, 2], late=[3], excused=[4])``; None is a guest."""
        for status, users in statuses.items():
            for user in users:
                self.attendance.append(AttendanceRecord(meeting_id, user, AttendanceStatus(status)))

    def agenda(
        self, meeting_id: int, kind: str, minutes: int, *, raised_by_teachers: bool = False
    ) -> None:
        """An agenda item; issue items are raised by teachers, as the loader marks them."""
        raised = raised_by_teachers or kind == AgendaKind.TEACHER_ISSUE
        self.agenda_items.append(AgendaRecord(meeting_id, kind, minutes, raised))

    def action(
        self,
        due_on: dt.date,
        *,
        status: str = ActionStatus.OPEN,
        completed_on: dt.date | None = None,
        meeting_id: int = 1,
    ) -> int:
        action_id = next(self.ids)
        description = f"Action {action_id}"
        self.actions.append(
            ActionRecord(action_id, description, due_on, status, meeting_id, completed_on)
        )
        return action_id

    def decision(
        self,
        meeting_id: int,
        affected: tuple[int, ...],
        report_backs: tuple[tuple[int, dt.date, dt.date | None], ...],
        *,
        meeting_held: bool = True,
    ) -> int:
        """Report-backs as (team, due on, shared on)."""
        decision_id = next(self.ids)
        backs = tuple(ReportBackRecord(*back) for back in report_backs)
        self.decisions.append(
            DecisionRecord(
                decision_id, f"Decision {decision_id}", meeting_id, affected, backs, meeting_held
            )
        )
        return decision_id

    def proposal(
        self,
        proposed: dt.date,
        *,
        answered: dt.date | None = None,
        taken_up: tuple[int, dt.date, str] | None = None,
        status: str | None = None,
    ) -> int:
        """A proposal made on ``proposed``, answered on a date or taken up by a meeting
        (id, date, status)."""
        proposal_id = next(self.ids)
        if status is None:
            status = (
                IntakeStatus.ANSWERED
                if answered
                else IntakeStatus.ACCEPTED
                if taken_up
                else IntakeStatus.SUBMITTED
            )
        meeting_id, meeting_day, meeting_status = taken_up or (None, None, None)
        self.intake.append(
            IntakeRecord(
                id=proposal_id,
                title=f"Proposal {proposal_id}",
                created_at=at(proposed, 9),
                status=status,
                answered_at=at(answered, 16) if answered else None,
                meeting_id=meeting_id,
                meeting_start=at(meeting_day) if meeting_day else None,
                meeting_status=meeting_status,
            )
        )
        return proposal_id

    def build(self) -> TeamHistory:
        level = KIND_LEVEL[self.kind]
        team = TeamFacts(
            id=1,
            kind=self.kind,
            level=level,
            district_id=1 if level != "hub" else None,
            school_id=1 if level == "school" else None,
            created=self.created,
            time_zone=ZONE,
        )
        return TeamHistory(
            team=team,
            skip=self.skip,
            meetings=tuple(sorted(self.meetings, key=lambda m: m.scheduled_start)),
            attendance=tuple(self.attendance),
            memberships=tuple(self.memberships),
            principals=tuple(self.principals) if level == "school" else (),
            agenda_items=tuple(self.agenda_items),
            actions=tuple(self.actions),
            decisions=tuple(self.decisions),
            intake=tuple(self.intake),
            has_plan_goals=self.has_plan_goals,
        )
