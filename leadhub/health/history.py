"""What the team-health indicators read about one team, loaded for many teams at once.

A :class:`TeamHistory` is plain data (no ORM objects), so :mod:`leadhub.health.compute`
stays a set of pure functions and tests can build histories by hand. :func:`histories_load`
reads every team's records with a fixed number of queries, whatever the number of teams:
the monthly snapshot job loads a whole district in one go.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery

from leadhub.health.goals import teams_with_plan_goals
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    Decision,
    IntakeItem,
    Meeting,
    MeetingStatus,
    ReportBack,
)
from leadhub.meetings.recurrence import SchoolCalendar, SkipDays
from leadhub.orgs.models import DistrictCalendar, Membership, NonInstructionalDay, Role
from leadhub.orgs.schoolyears import school_year_of
from leadhub.teams.models import MemberRole, Team, TeamMembership

# Time zones are at most a day away from UTC: widening the loaded range by a day on each
# side keeps every meeting whose local date falls in the range.
ZONE_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True)
class TeamFacts:
    id: int
    kind: str
    level: str
    district_id: int | None
    school_id: int | None
    created: dt.date  # in the team's zone
    time_zone: str

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    title: str
    status: str
    scheduled_start: dt.datetime
    scheduled_minutes: int = 90
    actual_start: dt.datetime | None = None
    actual_end: dt.datetime | None = None
    facilitator_id: int | None = None
    recorder_id: int | None = None
    timekeeper_id: int | None = None
    agenda_drafted_at: dt.datetime | None = None

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD


@dataclass(frozen=True)
class AttendanceRecord:
    meeting_id: int
    user_id: int | None  # None: a guest, never counted
    status: str


@dataclass(frozen=True)
class Span:
    """Someone holding a role from ``start`` to ``end`` (inclusive; open when no end)."""

    user_id: int
    role: str
    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class AgendaRecord:
    meeting_id: int
    kind: str
    minutes_allotted: int
    raised_by_teachers: bool = False


@dataclass(frozen=True)
class ActionRecord:
    id: int
    description: str
    due_on: dt.date
    status: str
    meeting_id: int
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class ReportBackRecord:
    team_id: int
    due_on: dt.date
    shared_on: dt.date | None = None


@dataclass(frozen=True)
class DecisionRecord:
    """A decision that must be communicated, with its report-backs."""

    id: int
    text: str
    meeting_id: int
    affected_team_ids: tuple[int, ...]
    report_backs: tuple[ReportBackRecord, ...]
    meeting_held: bool = True


@dataclass(frozen=True)
class IntakeRecord:
    id: int
    title: str
    created_at: dt.datetime
    status: str
    answered_at: dt.datetime | None = None
    meeting_id: int | None = None  # the meeting whose agenda took the proposal up
    meeting_start: dt.datetime | None = None
    meeting_status: str | None = None


@dataclass(frozen=True)
class TeamHistory:
    team: TeamFacts
    skip: SkipDays = field(default_factory=SkipDays)
    meetings: tuple[MeetingRecord, ...] = ()  # by scheduled start
    attendance: tuple[AttendanceRecord, ...] = ()
    memberships: tuple[Span, ...] = ()
    principals: tuple[Span, ...] = ()  # of the team's school
    agenda_items: tuple[AgendaRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    decisions: tuple[DecisionRecord, ...] = ()
    intake: tuple[IntakeRecord, ...] = ()
    has_plan_goals: bool = False

    @property
    def leads(self) -> tuple[Span, ...]:
        return tuple(span for span in self.memberships if span.role == MemberRole.LEAD)

    @cached_property
    def meeting_dates(self) -> dict[int, dt.date]:
        """Each meeting's local date, worked out once for every window and month computed."""
        zone = self.team.zone
        return {
            meeting.id: meeting.scheduled_start.astimezone(zone).date() for meeting in self.meetings
        }


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC) - ZONE_MARGIN
    upper = dt.datetime.combine(end, dt.time.max, tzinfo=dt.UTC) + ZONE_MARGIN
    return lower, upper


def _local_date(moment: dt.datetime, zone: str) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).date()


def _load_teams(team_ids: Collection[int], lower: dt.datetime) -> list[Mapping[str, Any]]:
    # The last held meeting before the range: "agenda built ahead" compares a meeting with
    # the one before it, and the first meeting in the range has its predecessor outside.
    previous_held = Meeting.objects.filter(
        team=OuterRef("pk"), status=MeetingStatus.HELD, scheduled_start__lt=lower
    ).order_by("-scheduled_start")
    rows: Iterable[Mapping[str, Any]] = (
        Team.objects.filter(pk__in=team_ids)
        .annotate(previous_meeting_id=Subquery(previous_held.values("pk")[:1]))
        .values(
            "pk",
            "kind",
            "level",
            "district_id",
            "school_id",
            "created_at",
            "previous_meeting_id",
            "district__time_zone",
            "hub__state__time_zone",
        )
    )
    return list(rows)


def _team_facts(row: Mapping[str, Any]) -> TeamFacts:
    zone = row["district__time_zone"] or row["hub__state__time_zone"]
    return TeamFacts(
        id=row["pk"],
        kind=row["kind"],
        level=row["level"],
        district_id=row["district_id"],
        school_id=row["school_id"],
        created=_local_date(row["created_at"], zone),
        time_zone=zone,
    )


def _calendars_by_district(
    district_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, SkipDays]:
    # The year before the range too: the day after a previous year's last meeting is read
    # against that year's calendar.
    years = list(range(school_year_of(start) - 1, school_year_of(end) + 1))
    calendars = DistrictCalendar.objects.filter(
        district_id__in=list(district_ids), school_year_id__in=years
    ).prefetch_related("closures")
    found: dict[int, list[SchoolCalendar]] = defaultdict(list)
    for calendar in calendars:
        found[calendar.district_id].append(
            SchoolCalendar(
                year=calendar.school_year_id,
                first_day=calendar.first_day,
                last_day=calendar.last_day,
                closed=_closed_days(calendar.closures.all()),
            )
        )
    return {district: SkipDays(calendars=tuple(items)) for district, items in found.items()}


def _closed_days(closures: Iterable[NonInstructionalDay]) -> dict[dt.date, str]:
    closed: dict[dt.date, str] = {}
    for block in closures:
        day = block.start_date
        while day <= block.end_date:
            closed[day] = block.label
            day += dt.timedelta(days=1)
    return closed


def _meeting_filter(
    team_ids: list[int], lower: dt.datetime, upper: dt.datetime, previous: list[int], prefix: str
) -> Q:
    in_range = Q(
        **{
            f"{prefix}team_id__in": team_ids,
            f"{prefix}scheduled_start__gte": lower,
            f"{prefix}scheduled_start__lte": upper,
        }
    )
    return in_range | Q(**{f"{prefix}pk__in": previous}) if previous else in_range


def _by_team[T](rows: Iterable[Mapping[str, Any]], make: Callable[..., T]) -> dict[int, list[T]]:
    """Rows of ``values()`` (with a ``team_id``) as records, grouped by team."""
    found: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        fields = dict(row)
        found[fields.pop("team_id")].append(make(**fields))
    return found


def _load_meetings(where: Q) -> dict[int, list[MeetingRecord]]:
    rows = Meeting.objects.filter(where).order_by("scheduled_start", "pk")
    fields = rows.values(
        "id",
        "team_id",
        "title",
        "status",
        "scheduled_start",
        "scheduled_minutes",
        "actual_start",
        "actual_end",
        "facilitator_id",
        "recorder_id",
        "timekeeper_id",
        "agenda_drafted_at",
    )
    return _by_team(fields, MeetingRecord)


def _load_attendance(where: Q) -> dict[int, list[AttendanceRecord]]:
    found: dict[int, list[AttendanceRecord]] = defaultdict(list)
    rows = Attendance.objects.filter(where).values_list(
        "meeting__team_id", "meeting_id", "user_id", "status"
    )
    for team_id, meeting_id, user_id, status in rows:
        found[team_id].append(AttendanceRecord(meeting_id, user_id, status))
    return found


def _load_agenda(where: Q) -> dict[int, list[AgendaRecord]]:
    from_intake = IntakeItem.objects.filter(agenda_item=OuterRef("pk"))
    rows = (
        AgendaItem.objects.filter(where)
        .annotate(from_intake=Exists(from_intake))
        .values_list("meeting__team_id", "meeting_id", "kind", "minutes_allotted", "from_intake")
    )
    found: dict[int, list[AgendaRecord]] = defaultdict(list)
    for team_id, meeting_id, kind, minutes, proposed in rows:
        raised = proposed or kind == AgendaKind.TEACHER_ISSUE
        found[team_id].append(AgendaRecord(meeting_id, kind, minutes, raised))
    return found


def _load_memberships(team_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[Span]]:
    rows = TeamMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), team_id__in=team_ids, start_date__lte=end
    ).values_list("team_id", "user_id", "role", "start_date", "end_date")
    found: dict[int, list[Span]] = defaultdict(list)
    for team_id, user_id, role, span_start, span_end in rows:
        found[team_id].append(Span(user_id, role, span_start, span_end))
    return found


def _load_principals(school_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[Span]]:
    rows = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        school_id__in=school_ids,
        role=Role.PRINCIPAL,
        start_date__lte=end,
    ).values_list("school_id", "user_id", "role", "start_date", "end_date")
    found: dict[int, list[Span]] = defaultdict(list)
    for school_id, user_id, role, span_start, span_end in rows:
        found[school_id].append(Span(user_id, role, span_start, span_end))
    return found


def _load_actions(
    team_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, list[ActionRecord]]:
    rows = ActionItem.objects.filter(team_id__in=team_ids, due_on__range=(start, end)).values(
        "id", "team_id", "description", "due_on", "status", "meeting_id", "completed_on"
    )
    return _by_team(rows, ActionRecord)


def _load_decisions(team_ids: list[int], start: dt.date) -> dict[int, list[DecisionRecord]]:
    """Decisions to communicate whose last report-back falls due on or after ``start``."""
    decisions = (
        Decision.objects.filter(meeting__team_id__in=team_ids, must_communicate=True)
        .annotate(last_due=Max("report_backs__due_on"))
        .filter(last_due__gte=start)
    )
    rows = list(
        decisions.values_list("pk", "meeting__team_id", "text", "meeting_id", "meeting__status")
    )
    wanted = decisions.values("pk")
    affected: dict[int, list[int]] = defaultdict(list)
    through = Decision.affected_teams.through.objects.filter(decision_id__in=Subquery(wanted))
    for decision_id, team_id in through.values_list("decision_id", "team_id"):
        affected[decision_id].append(team_id)
    report_backs: dict[int, list[ReportBackRecord]] = defaultdict(list)
    backs = ReportBack.objects.filter(decision_id__in=Subquery(wanted)).values_list(
        "decision_id", "team_id", "due_on", "shared_on"
    )
    for decision_id, team_id, due_on, shared_on in backs:
        report_backs[decision_id].append(ReportBackRecord(team_id, due_on, shared_on))
    found: dict[int, list[DecisionRecord]] = defaultdict(list)
    for pk, team_id, text, meeting_id, meeting_status in rows:
        found[team_id].append(
            DecisionRecord(
                id=pk,
                text=text,
                meeting_id=meeting_id,
                affected_team_ids=tuple(sorted(affected[pk])),
                report_backs=tuple(report_backs[pk]),
                meeting_held=meeting_status == MeetingStatus.HELD,
            )
        )
    return found


def _load_intake(
    team_ids: list[int], lower: dt.datetime, upper: dt.datetime
) -> dict[int, list[IntakeRecord]]:
    responded_in_range = (
        Q(created_at__gte=lower)
        | Q(answered_at__gte=lower)
        | Q(agenda_item__meeting__scheduled_start__gte=lower)
    )
    rows = (
        IntakeItem.objects.filter(responded_in_range, team_id__in=team_ids, created_at__lte=upper)
        .annotate(
            meeting_id=F("agenda_item__meeting_id"),
            meeting_start=F("agenda_item__meeting__scheduled_start"),
            meeting_status=F("agenda_item__meeting__status"),
        )
        .values(
            "id",
            "team_id",
            "title",
            "created_at",
            "status",
            "answered_at",
            "meeting_id",
            "meeting_start",
            "meeting_status",
        )
    )
    return _by_team(rows, IntakeRecord)


def histories_load(
    team_ids: Collection[int], *, start: dt.date, end: dt.date
) -> dict[int, TeamHistory]:
    """The histories of ``team_ids`` from ``start`` to ``end`` (local dates, inclusive),
    plus each team's last held meeting before ``start``.

    Records after ``end`` may be included (the ranges are widened by a day for time
    zones); :mod:`leadhub.health.compute` ignores what happened after its ``as_of``."""
    lower, upper = _bounds(start, end)
    team_rows = _load_teams(team_ids, lower)
    ids = [row["pk"] for row in team_rows]
    previous = [row["previous_meeting_id"] for row in team_rows if row["previous_meeting_id"]]
    facts = [_team_facts(row) for row in team_rows]
    district_ids = {fact.district_id for fact in facts if fact.district_id is not None}
    school_ids = [fact.school_id for fact in facts if fact.school_id is not None]

    calendars = _calendars_by_district(district_ids, start, end)
    meetings = _load_meetings(_meeting_filter(ids, lower, upper, previous, ""))
    of_meetings = _meeting_filter(ids, lower, upper, previous, "meeting__")
    attendance = _load_attendance(of_meetings)
    agenda = _load_agenda(of_meetings)
    memberships = _load_memberships(ids, start, end)
    principals = _load_principals(school_ids, start, end)
    actions = _load_actions(ids, start, end)
    decisions = _load_decisions(ids, start)
    intake = _load_intake(ids, lower, upper)
    with_goals = teams_with_plan_goals(ids)

    return {
        fact.id: TeamHistory(
            team=fact,
            skip=calendars.get(fact.district_id or 0, SkipDays()),
            meetings=tuple(meetings[fact.id]),
            attendance=tuple(attendance[fact.id]),
            memberships=tuple(memberships[fact.id]),
            principals=tuple(principals[fact.school_id]) if fact.school_id else (),
            agenda_items=tuple(agenda[fact.id]),
            actions=tuple(actions[fact.id]),
            decisions=tuple(decisions[fact.id]),
            intake=tuple(intake[fact.id]),
            has_plan_goals=fact.id in with_goals,
        )
        for fact in facts
    }
