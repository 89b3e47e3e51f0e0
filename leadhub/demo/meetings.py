"""Two school years of one demo team's meetings, and what its recorder wrote in them.

Dates come from the district calendar through the series' rule (``leadhub.meetings.
recurrence``): every week or every other week on a weekday, or the n-th weekday of each
month, never on a day the calendar closes. What happens at each meeting follows the team's
*quality* on that date, a number from 0 to 1 (``leadhub.demo.teams`` gives each school a
health profile). Near 1 a team works the way the ILT guide describes effective teams: it
meets on schedule for the full time, starts on time, shares its roles, drafts the next
agenda before leaving, spends its time on instruction and on issues teachers raise, and
does what it agreed to by the date it agreed. Near 0 it looks like the least effective:
short, late and irregular meetings run by the principal, information items, unassigned
roles, agendas written that morning, loose ends.

Rows are built in memory as model instances with their keys (``leadhub.demo.rows``), and
written a batch of schools at a time by ``leadhub.demo.team_writer``; no row needs a
query of its own. Every draw comes from one generator per team and school year.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from leadhub.demo import meeting_texts as texts
from leadhub.demo.names import rng_for
from leadhub.demo.rows import RowFactory
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Decision,
    IntakeItem,
    IntakeStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ReportBack,
    ReportBackChannel,
)
from leadhub.meetings.recurrence import (
    EVERY_N_WEEKS,
    MONTHLY,
    Rule,
    SchoolCalendar,
    SkipDays,
    rule_dates,
)
from leadhub.meetings.services.agenda import (
    INTAKE_ITEM_MINUTES,
    REVIEW_ACTIONS_DETAILS,
    REVIEW_ACTIONS_MINUTES,
    REVIEW_ACTIONS_TITLE,
)
from leadhub.meetings.services.reportbacks import REPORT_BACK_DAYS
from leadhub.teams.models import Team, TeamKind

Kind = AgendaKind
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
# How far ahead meetings are already on the calendar.
SCHEDULED_AHEAD = dt.timedelta(weeks=4)
# From this quality up, a team holds its first meeting of the year in its first period.
PROMPT_QUALITY = 0.5


@dataclass(frozen=True)
class Span:
    """Someone expected at a team's meetings from ``start`` to ``end`` (inclusive)."""

    user_id: int
    start: dt.date
    end: dt.date | None

    def on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Cadence:
    """When a team meets in one school year."""

    weekday: int
    start_time: dt.time
    minutes: int
    interval_weeks: int = 1
    week_ordinal: int | None = None  # monthly: the n-th weekday of each month
    location: str = ""
    offset_days: int = 0  # how long after the first day of school the team starts meeting


@dataclass
class Records:
    """Everything built for a batch of schools, in the order it is inserted."""

    make: RowFactory
    series: list[MeetingSeries] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    decision_teams: list[Any] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    report_backs: list[ReportBack] = field(default_factory=list)
    intake: list[IntakeItem] = field(default_factory=list)

    def row_count(self) -> int:
        lists: list[list[Any]] = [
            self.series, self.meetings, self.attendance, self.decisions, self.decision_teams,
            self.actions, self.report_backs, self.intake, self.items,
        ]  # fmt: skip
        return sum(len(rows) for rows in lists)


@dataclass
class Loop:
    """What an ILT needs to close the loop with the instructional teams it serves."""

    teams: list[tuple[Team, str, list[Span]]]  # team, its short label, its members
    report_back_to: Callable[[Team, dt.date], tuple[int, bool] | None]
    held_days: dict[int, list[dt.date]]  # id(team) -> days its meetings were held
    names: dict[int, str]  # user id -> full name, for "Proposed by …"


@dataclass
class TeamSetup:
    team: Team
    key: str  # unique in the state: seeds the team's generator
    kind: str
    level: str  # the school's: elementary, middle or high (for the words used)
    label: str  # how notes name the team: "the grade 3 team"
    district_id: int
    zone: zoneinfo.ZoneInfo
    members: list[Span]
    leader_id: int  # who runs a meeting nobody else runs: the principal, or the team's lead
    approver_id: int  # who approves minutes
    quality: Callable[[dt.date], float]
    cadence: dict[int, Cadence]  # by school year
    created: dt.datetime
    loop: Loop | None = None
    history_from: dt.date | None = None  # no held meetings before this day (state scale)


def ended(meeting: Meeting) -> dt.datetime:
    """A held meeting's end (only held meetings are asked)."""
    if meeting.actual_end is None:
        raise ValueError("The meeting has not been held.")
    return meeting.actual_end


def clamp(value: float, low: float = 0.02, high: float = 0.98) -> float:
    return min(high, max(low, value))


class Rotation:
    """Least served first, then least recently, never the same person twice running."""

    def __init__(self, rng: random.Random, people: Sequence[int]) -> None:
        order = sorted(set(people))
        rng.shuffle(order)
        self.tiebreak = {user: index for index, user in enumerate(order)}
        self.count: dict[str, Counter[int]] = {}
        self.last: dict[str, dict[int, int]] = {}
        self.previous: dict[str, int | None] = {}
        self.turn = 0

    def pick(self, role: str, present: Sequence[int], exclude: set[int]) -> int | None:
        free = [user for user in present if user not in exclude]
        if not free:
            return None
        before = self.previous.get(role)
        if before in free and len(free) > 1:
            free.remove(before)
        count, last = self.count.setdefault(role, Counter()), self.last.setdefault(role, {})
        return min(free, key=lambda u: (count[u], last.get(u, -1), self.tiebreak.get(u, 0)))

    def served(self, role: str, user: int | None) -> None:
        self.previous[role] = user
        if user is not None:
            self.count.setdefault(role, Counter())[user] += 1
            self.last.setdefault(role, {})[user] = self.turn

    def next_turn(self) -> None:
        self.turn += 1


def occurrences(
    cadence: Cadence, calendar: SchoolCalendar, end: dt.date, *, prompt: bool = False
) -> tuple[Rule, list[tuple[dt.date, bool]]]:
    """The series' rule, and each date it comes round on until ``end`` with whether the
    district calendar closes that day (a team that holds to its schedule moves it).

    A ``prompt`` team meets within its first meeting period of the year, as the guide
    expects; the others take a week or two longer to get going."""
    offset = cadence.offset_days
    if prompt and cadence.week_ordinal is None:
        offset = min(offset, 7 * (cadence.interval_weeks - 1))
    first = calendar.first_day + dt.timedelta(days=offset)
    if cadence.week_ordinal is not None:
        rule = Rule(
            weekday=cadence.weekday,
            first_date=first,
            pattern=MONTHLY,
            week_ordinals=(cadence.week_ordinal,),
            until=calendar.last_day,
        )
    else:
        rule = Rule(
            weekday=cadence.weekday,
            first_date=first,
            pattern=EVERY_N_WEEKS,
            interval_weeks=cadence.interval_weeks,
            until=calendar.last_day,
        )
    skip = SkipDays((calendar,))
    return rule, [(day, skip.skips(day)) for day in rule_dates(rule, first, end)]


def next_open_day(calendar: SchoolCalendar, day: dt.date, *, within: int = 3) -> dt.date | None:
    for step in range(1, within + 1):
        candidate = day + dt.timedelta(days=step)
        if candidate.weekday() < 5 and calendar.first_day <= candidate <= calendar.last_day:
            if candidate not in calendar.closed:
                return candidate
    return None


class TeamRun:
    """Builds one team's series and meetings, a school year at a time."""

    def __init__(
        self, setup: TeamSetup, records: Records, *, today: dt.date, now: dt.datetime
    ) -> None:
        self.s = setup
        self.out = records
        self.make = records.make
        self.today = today
        self.now = now
        self.rotation = Rotation(rng_for("rotation", setup.key), [m.user_id for m in setup.members])
        self.held_days: list[dt.date] = []
        self.intake_of: dict[int, IntakeItem] = {}  # id(agenda item) -> the proposal on it

    # -- helpers ---------------------------------------------------------------------------

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.s.zone)

    def past(self, moment: dt.datetime) -> dt.datetime:
        return min(moment, self.now)

    def stamp(self, row: Any, created: dt.datetime, updated: dt.datetime | None = None) -> None:
        row.created_at = self.past(created)
        row.updated_at = self.past(max(updated or created, created))

    def expected(self, day: dt.date) -> list[int]:
        return list(dict.fromkeys(m.user_id for m in self.s.members if m.on(day)))

    def add_item(self, item: AgendaItem) -> AgendaItem:
        self.out.items.append(item)
        return item

    # -- a school year -----------------------------------------------------------------------

    def run(self, calendars: Sequence[SchoolCalendar]) -> None:
        for calendar in calendars:
            self.run_year(calendar)

    def run_year(self, calendar: SchoolCalendar) -> None:
        s, rng = self.s, rng_for("meetings", self.s.key, calendar.year)
        if s.history_from is not None and calendar.last_day < s.history_from:
            return  # the team was not in LeadHub yet
        cadence = s.cadence[calendar.year]
        horizon = max(self.today, calendar.first_day) + SCHEDULED_AHEAD
        prompt = s.quality(calendar.first_day) >= PROMPT_QUALITY
        rule, dates = occurrences(cadence, calendar, min(calendar.last_day, horizon), prompt=prompt)
        if not dates:
            return
        created = max(s.created, self.at(rule.first_date - 10 * DAY, dt.time(9)))
        series = self.make(
            MeetingSeries,
            team=s.team,
            district_id=s.district_id,
            pattern=rule.pattern,
            interval_weeks=cadence.interval_weeks,
            weekday=cadence.weekday,
            week_ordinals="" if cadence.week_ordinal is None else str(cadence.week_ordinal),
            start_time=cadence.start_time,
            duration_minutes=cadence.minutes,
            first_date=rule.first_date,
            until=calendar.last_day if calendar.last_day < self.today else None,
            location=cadence.location,
        )
        self.stamp(series, created)
        self.out.series.append(series)
        held: list[Meeting] = []
        carry: list[AgendaItem] = []
        to_review: list[ActionItem] = []
        upcoming = 0
        for planned_day, closed in dates:
            day, moved = planned_day, False
            q = clamp(s.quality(day) + rng.gauss(0, 0.04))
            if closed:
                # A team that holds to its schedule finds another day that week.
                alternative = next_open_day(calendar, day) if rng.random() < q else None
                if alternative is None:
                    continue
                day, moved = alternative, True
            elif rng.random() < 0.12 * (1 - q):  # moved at short notice
                alternative = next_open_day(calendar, day, within=2)
                day, moved = alternative or day, alternative is not None
            if s.history_from is not None and day < s.history_from:
                continue
            start = self.at(day, cadence.start_time)
            meeting = self.make(
                Meeting,
                team=s.team,
                district_id=s.district_id,
                series=series,
                scheduled_start=start,
                scheduled_minutes=cadence.minutes,
                location=cadence.location,
                detached=moved,
                sequence=int(moved),
            )
            self.stamp(meeting, created, start - 3 * DAY if moved else created)
            self.out.meetings.append(meeting)
            if day >= self.today:
                upcoming += 1
                if upcoming == 1 and held:
                    self.schedule(meeting, held[-1], carry, to_review, q, rng)
                continue
            roll = rng.random()
            skipped = 0.22 * (1 - q) ** 2
            if roll < skipped:
                self.out.meetings.pop()  # it never happened and nobody recorded it
                continue
            if roll < skipped + 0.015 + 0.16 * (1 - q) ** 2:
                meeting.status = MeetingStatus.CANCELLED
                meeting.cancellation_note = rng.choice(texts.CANCELLATIONS)
                meeting.sequence += 1
                self.stamp(meeting, created, start - DAY * rng.randint(0, 2))
                continue
            carry, to_review = self.hold(meeting, day, q, rng, held, carry, to_review)
            held.append(meeting)
        self.approve_minutes(held, calendar.year)

    # -- the meeting to come -------------------------------------------------------------------

    def schedule(
        self,
        meeting: Meeting,
        previous: Meeting,
        carry: list[AgendaItem],
        to_review: list[ActionItem],
        q: float,
        rng: random.Random,
    ) -> None:
        """The next meeting has an agenda if the team drafted it at the end of the last one
        (or has started on it since), with what carried over."""
        if rng.random() < q**1.2:
            drafted = ended(previous) - MINUTE * rng.randint(2, 9)
        elif rng.random() < 0.4:
            drafted = meeting.scheduled_start - dt.timedelta(days=rng.randint(1, 3))
        else:
            return
        if drafted >= self.now:
            return
        meeting.agenda_drafted_at = drafted
        if rng.random() < q and drafted + dt.timedelta(hours=2) < self.now:
            meeting.agenda_sent_at = drafted + dt.timedelta(hours=1)
        day = meeting.scheduled_start.date()
        still_open = [a for a in to_review if a.status == ActionStatus.OPEN]
        self.plan_items(meeting, day, carry, q, rng, has_review=bool(still_open))
        if q > 0.6:
            self.assign_roles(meeting, self.expected(day), q, rng, record=False)

    # -- a held meeting ----------------------------------------------------------------------

    def hold(
        self,
        meeting: Meeting,
        day: dt.date,
        q: float,
        rng: random.Random,
        held: list[Meeting],
        carry: list[AgendaItem],
        to_review: list[ActionItem],
    ) -> tuple[list[AgendaItem], list[ActionItem]]:
        """Fill in a held meeting; returns what carries forward and its action items."""
        start, minutes = meeting.scheduled_start, meeting.scheduled_minutes
        meeting.status = MeetingStatus.HELD
        if rng.random() < 0.04 + 0.6 * (1 - q) ** 1.5:
            late = rng.randint(6, 10 + int(20 * (1 - q)))
        else:
            late = rng.choice((0, 0, 0, 1, 2, 3, 4))
        if q >= 0.6:
            length = minutes - rng.randint(0, 6) + rng.randint(0, 3)
        else:
            length = round(minutes * rng.uniform(0.7, 1.0))
        meeting.actual_start = start + MINUTE * late
        meeting.actual_end = meeting.actual_start + MINUTE * max(length, 15)
        meeting.logged_after = rng.random() < 0.25 * (1 - q)
        present = self.attendance(meeting, day, q, rng)
        self.assign_roles(meeting, present, q, rng, record=True)
        self.draft_time(meeting, held[-1] if held else None, q, rng)
        self.held_days.append(day)
        open_before = [a for a in to_review if a.completed_on is None or a.completed_on >= day]
        accepted = self.intake(meeting, day, q, rng) if self.s.loop is not None else []
        items = self.plan_items(
            meeting, day, carry, q, rng, accepted=accepted, has_review=bool(open_before)
        )
        unfinished = self.record_items(meeting, items, q, rng)
        reviewed = any(i.title == REVIEW_ACTIONS_TITLE for i in items) or rng.random() < q / 2
        if reviewed:
            for action in open_before:
                action.last_reviewed_in = meeting
        self.decide(meeting, day, items, q, rng)
        actions = self.assign_actions(meeting, day, items, present, q, rng)
        self.stamp(meeting, meeting.created_at, meeting.actual_end)
        return unfinished, actions

    def attendance(self, meeting: Meeting, day: dt.date, q: float, rng: random.Random) -> list[int]:
        """A row for every member expected that day; returns who was there."""
        s, start = self.s, meeting.scheduled_start
        end = ended(meeting)
        on_time, late, excused = 0.55 + 0.4 * q, 0.02 + 0.22 * (1 - q), 0.035
        present: list[int] = []
        for user_id in self.expected(day):
            roll = rng.random()
            if user_id == s.leader_id and q < 0.35:
                roll = min(roll, on_time + late - 0.001)  # the principal runs it, so is there
            arrived: dt.datetime | None = None
            if roll < on_time:
                status = AttendanceStatus.ON_TIME
                arrived = start - MINUTE * rng.randint(0, 6)
                present.append(user_id)
            elif roll < on_time + late:
                status = AttendanceStatus.LATE
                arrived = start + MINUTE * rng.randint(6, 12 + int(18 * (1 - q)))
                arrived = min(arrived, end - 5 * MINUTE)
                present.append(user_id)
            elif roll < on_time + late + excused:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            row = self.make(
                Attendance,
                meeting=meeting,
                district_id=s.district_id,
                user_id=user_id,
                status=status,
                arrived_at=None if meeting.logged_after else arrived,
            )
            self.stamp(row, meeting.actual_start or start)
            self.out.attendance.append(row)
        if rng.random() < (0.08 if s.kind == TeamKind.ILT else 0.03):
            guest = self.make(
                Attendance,
                meeting=meeting,
                district_id=s.district_id,
                guest_name=rng.choice(texts.GUESTS),
                status=AttendanceStatus.ON_TIME,
            )
            self.stamp(guest, meeting.actual_start or start)
            self.out.attendance.append(guest)
        return present

    def assign_roles(
        self, meeting: Meeting, present: list[int], q: float, rng: random.Random, *, record: bool
    ) -> None:
        """A struggling team's leader always facilitates and the other roles often go
        unfilled; a healthy team rotates all three among its members."""
        s, rotation = self.s, self.rotation
        leader_runs = q < 0.35 or rng.random() < max(0.06, 0.85 - q)
        facilitator: int | None
        if leader_runs and s.leader_id in present:
            facilitator = s.leader_id
        else:
            others = [u for u in present if u != s.leader_id] or present
            facilitator = rotation.pick("facilitator", others, set())
        taken = {facilitator} if facilitator else set()
        recorder = timekeeper = None
        if rng.random() < min(1.0, 0.3 + 0.75 * q):
            recorder = rotation.pick("recorder", present, taken)
            if recorder:
                taken.add(recorder)
        if rng.random() < min(1.0, 0.1 + 0.95 * q):
            timekeeper = rotation.pick("timekeeper", present, taken)
        meeting.facilitator_id = facilitator
        meeting.recorder_id = recorder
        meeting.timekeeper_id = timekeeper
        if record:
            rotation.served("facilitator", facilitator)
            rotation.served("recorder", recorder)
            rotation.served("timekeeper", timekeeper)
            rotation.next_turn()

    def draft_time(
        self, meeting: Meeting, previous: Meeting | None, q: float, rng: random.Random
    ) -> None:
        """When the agenda was first drafted: at the end of the last meeting (the guide's
        practice), the school day after it, a few days ahead, that morning, or never."""
        start = meeting.scheduled_start
        rest = {
            "next_day": 0.1 + 0.2 * q,
            "days_before": 0.1 + 0.3 * q,
            "same_day": 0.05 + 0.45 * (1 - q),
            "never": 0.3 * (1 - q),
        }
        if rng.random() < 0.92 * q**1.3:
            if previous is not None and previous.actual_end is not None:
                drafted = previous.actual_end - MINUTE * rng.randint(2, 9)
            else:
                drafted = start - dt.timedelta(days=rng.randint(5, 9), hours=rng.randint(0, 5))
        else:
            choice = rng.choices(list(rest), weights=list(rest.values()))[0]
            if choice == "never":
                return
            if choice == "next_day" and previous is not None and previous.actual_end is not None:
                next_day = previous.actual_end.date() + DAY
                while next_day.weekday() >= 5:
                    next_day += DAY
                drafted = self.at(next_day, dt.time(rng.randint(7, 16), rng.randint(0, 59)))
            elif choice == "same_day":
                drafted = start - dt.timedelta(hours=rng.randint(1, 7), minutes=rng.randint(0, 59))
            else:
                drafted = start - dt.timedelta(days=rng.randint(2, 4), hours=rng.randint(0, 6))
        meeting.agenda_drafted_at = min(drafted, start - 10 * MINUTE)
        if rng.random() < q * 0.9:
            sent = max(meeting.agenda_drafted_at + dt.timedelta(hours=1), start - 2 * DAY)
            meeting.agenda_sent_at = min(sent, start - 30 * MINUTE)

    # -- the agenda --------------------------------------------------------------------------

    def kind_weights(self, q: float) -> dict[str, float]:
        kind = self.s.kind
        if kind == TeamKind.ILT:
            return {
                Kind.LOOKING_AT_STUDENT_WORK: 0.05 + 1.3 * q,
                Kind.DATA_REVIEW: 0.15 + 0.9 * q,
                Kind.PROFESSIONAL_LEARNING: 0.05 + 0.9 * q,
                Kind.GOAL_MONITORING: 0.05 + 0.9 * q,
                Kind.TEACHER_ISSUE: 0.02 + 0.5 * q,
                Kind.INFORMATION: 0.2 + 2.8 * (1 - q),
            }
        if kind == TeamKind.INSTRUCTIONAL:
            return {
                Kind.LOOKING_AT_STUDENT_WORK: 0.1 + 1.3 * q,
                Kind.DATA_REVIEW: 0.2 + 0.8 * q,
                Kind.PROFESSIONAL_LEARNING: 0.1 + 0.9 * q,
                Kind.GOAL_MONITORING: 0.02 + 0.25 * q,
                Kind.TEACHER_ISSUE: 0.02 + 0.2 * q,
                Kind.INFORMATION: 0.2 + 2.2 * (1 - q),
            }
        if kind == TeamKind.SIT:
            return {Kind.GOAL_MONITORING: 1.0, Kind.DATA_REVIEW: 0.8, Kind.INFORMATION: 1.4}
        return {
            Kind.INFORMATION: 1.6,
            Kind.DATA_REVIEW: 1.0,
            Kind.PROFESSIONAL_LEARNING: 0.4,
            Kind.GOAL_MONITORING: 0.2,
        }

    @staticmethod
    def item_count(minutes: int, q: float, rng: random.Random) -> int:
        low, high = (4, 6) if minutes >= 90 else (3, 5) if minutes >= 70 else (2, 4)
        if minutes < 55:
            low, high = 2, 3
        return rng.randint(low, high) if q >= 0.4 else rng.randint(low - 1, high - 1)

    def plan_items(
        self,
        meeting: Meeting,
        day: dt.date,
        carry: list[AgendaItem],
        q: float,
        rng: random.Random,
        *,
        accepted: Sequence[AgendaItem] = (),
        has_review: bool = False,
    ) -> list[AgendaItem]:
        """The agenda as the services draft it: the review of open action items first,
        then what carried over, then new items and accepted issues. Allotted minutes fit
        the meeting at a healthy team; a struggling one sometimes plans more than that."""
        s = self.s
        drafted = meeting.agenda_drafted_at or meeting.scheduled_start
        items: list[AgendaItem] = []
        if has_review and rng.random() < 0.2 + 0.8 * q:
            review = self.make(
                AgendaItem,
                title=REVIEW_ACTIONS_TITLE,
                kind=Kind.FOLLOW_UP,
                minutes_allotted=REVIEW_ACTIONS_MINUTES,
                details=REVIEW_ACTIONS_DETAILS,
            )
            items.append(self.add_item(review))
        for source in carry:
            copy = self.make(
                AgendaItem,
                title=source.title,
                kind=source.kind,
                presenter_id=source.presenter_id,
                minutes_allotted=source.minutes_allotted,
                details=source.details,
                confidential=source.confidential,
                carried_from=source,
            )
            items.append(self.add_item(copy))
            proposal = self.intake_of.pop(id(source), None)
            if proposal is not None:  # a proposal follows its item, as in the services
                proposal.agenda_item = copy
                self.intake_of[id(copy)] = proposal
        fixed = sum(item.minutes_allotted for item in items) + len(accepted) * INTAKE_ITEM_MINUTES
        fresh: list[AgendaItem] = []
        if s.kind != TeamKind.ADMINISTRATIVE and rng.random() < 0.025:
            title, detail = rng.choice(texts.CONFIDENTIAL_ITEMS)
            secret = self.make(
                AgendaItem, title=title, kind=Kind.INFORMATION, details=detail, confidential=True
            )
            fresh.append(self.add_item(secret))
        wanted = self.item_count(meeting.scheduled_minutes, q, rng) - len(items) - len(accepted)
        weights = self.kind_weights(q)
        kinds = rng.choices(list(weights), weights=list(weights.values()), k=max(wanted, 1))
        if s.kind == TeamKind.ILT and q > 0.5 and rng.random() < 0.6 * q:
            kinds[0] = Kind.GOAL_MONITORING  # monitoring the improvement plan's goals
        used = {item.title for item in items}
        for kind in kinds:
            title, details = texts.agenda_item(kind, s.kind, s.level, s.label, rng, used)
            used.add(title)
            fresh.append(
                self.add_item(self.make(AgendaItem, title=title, kind=kind, details=details))
            )
        self.allot(fresh, meeting.scheduled_minutes - fixed, q, rng)
        items += fresh
        items += accepted
        members = self.expected(day)
        for position, item in enumerate(items):
            item.meeting = meeting
            item.district_id = s.district_id
            item.position = position
            if item.presenter_id is None and members and item.kind != Kind.FOLLOW_UP:
                leader_presents = q < 0.4 and rng.random() < 0.8
                item.presenter_id = s.leader_id if leader_presents else rng.choice(members)
            self.stamp(item, drafted)
        return items

    @staticmethod
    def allot(items: list[AgendaItem], budget: int, q: float, rng: random.Random) -> None:
        budget -= 5 if q >= 0.5 else 0
        if q < 0.4 and rng.random() < 0.35:
            budget += 15  # more on the agenda than the meeting has time for
        shares = [texts.KIND_MINUTES[item.kind] for item in items]
        total = sum(shares) or 1
        for item, share in zip(items, shares, strict=True):
            item.minutes_allotted = max(5, 5 * round(max(budget, 5) * share / total / 5))

    def record_items(
        self, meeting: Meeting, items: list[AgendaItem], q: float, rng: random.Random
    ) -> list[AgendaItem]:
        """Notes, status and timer of each item; returns the ones that carry forward."""
        end = ended(meeting)
        unfinished: list[AgendaItem] = []
        timed = meeting.timekeeper_id is not None and not meeting.logged_after
        for index, item in enumerate(items):
            from_end = len(items) - 1 - index
            chance = (0.05 + 0.45 * (1 - q)) / (1 + 2 * from_end)
            if not meeting.logged_after and from_end < 2 and rng.random() < chance:
                item.status = AgendaItemStatus.UNFINISHED
                item.notes = rng.choice(texts.UNFINISHED_NOTES)
                unfinished.append(item)
            else:
                item.status = AgendaItemStatus.DONE
                item.notes = texts.note(item.kind, self.s.kind, q, rng)
            if item.confidential:
                item.notes = rng.choice(texts.CONFIDENTIAL_NOTES)
            if timed:
                stretch = rng.uniform(0.8, 1.25) if item.status == AgendaItemStatus.DONE else 1.3
                item.timer_seconds = int(item.minutes_allotted * 60 * stretch)
            item.updated_at = self.past(end)
        return unfinished

    # -- decisions, report-backs and action items ----------------------------------------------

    def decide(
        self, meeting: Meeting, day: dt.date, items: list[AgendaItem], q: float, rng: random.Random
    ) -> None:
        s, loop = self.s, self.s.loop
        end = ended(meeting)
        if s.kind == TeamKind.ILT:
            count = int(rng.random() < 0.3 + 0.55 * q) + int(rng.random() < 0.3 * q)
        else:
            count = int(rng.random() < 0.12 + 0.2 * q)
        topics = [i for i in items if not i.confidential and i.kind != Kind.FOLLOW_UP]
        serving = [t for t in loop.teams if any(m.on(day) for m in t[2])] if loop else []
        for _ in range(count):
            communicate = bool(serving) and rng.random() < 0.65
            decision = self.make(
                Decision,
                meeting=meeting,
                district_id=s.district_id,
                agenda_item=rng.choice(topics) if topics else None,
                text=texts.decision(s.kind, communicate, rng),
                must_communicate=communicate,
            )
            self.stamp(decision, end)
            self.out.decisions.append(decision)
            if not communicate or loop is None:
                continue
            if len(serving) == 1 or rng.random() < 0.5:
                affected = serving
            else:
                affected = rng.sample(serving, rng.randint(1, min(2, len(serving) - 1)))
            for team, _label, _members in affected:
                self.out.decision_teams.append(
                    self.make(Decision.affected_teams.through, decision=decision, team=team)
                )
                self.report_back(decision, day, team, loop, q, rng)

    def report_back(
        self, decision: Decision, day: dt.date, team: Team, loop: Loop, q: float, rng: random.Random
    ) -> None:
        """The task of carrying ``decision`` to ``team``: shared at that team's next meeting
        at a healthy school, late or never at a struggling one."""
        found = loop.report_back_to(team, day)
        if found is None:
            return
        assignee, via_representative = found
        row = self.make(
            ReportBack,
            decision=decision,
            district_id=self.s.district_id,
            team=team,
            assignee_id=assignee,
            via_representative=via_representative,
            due_on=day + dt.timedelta(days=REPORT_BACK_DAYS),
        )
        self.stamp(row, decision.created_at)
        self.out.report_backs.append(row)
        if rng.random() >= 0.25 + 0.7 * q * (1.0 if via_representative else 0.7):
            return  # nobody has carried it back
        channel = rng.choice(
            [ReportBackChannel.EMAIL, ReportBackChannel.CONVERSATION, ReportBackChannel.OTHER]
        )
        shared_on: dt.date | None = None
        if q > 0.5 or rng.random() < 0.5:
            days = loop.held_days.get(id(team), [])
            shared_on = next((d for d in days if day < d <= day + 14 * DAY), None)
            channel = ReportBackChannel.TEAM_MEETING
        if shared_on is None:
            shared_on = day + DAY * rng.randint(1, 6 + int(30 * (1 - q)))
        if shared_on >= self.today:
            return
        row.shared_on = shared_on
        row.channel = channel
        if rng.random() < 0.7:
            row.team_response = rng.choice(texts.TEAM_RESPONSES)
        self.stamp(row, decision.created_at, self.at(shared_on, dt.time(16)))
        if row.team_response and via_representative and rng.random() < 0.1:
            # What the team said back comes to the ILT as a proposal.
            title, details, answer = rng.choice(texts.INTAKE_FROM_RESPONSES)
            intake = self.make(
                IntakeItem,
                team=self.s.team,
                district_id=self.s.district_id,
                proposed_by_id=assignee,
                from_team=team,
                title=title,
                details=details,
                report_back=row,
            )
            self.answer_later(intake, self.at(shared_on, dt.time(16, 30)), answer, q, rng)
            self.out.intake.append(intake)

    def answer_later(
        self, intake: IntakeItem, proposed: dt.datetime, answer: str, q: float, rng: random.Random
    ) -> None:
        """A proposal the team answers in writing rather than on an agenda, or leaves."""
        answered = proposed + dt.timedelta(days=rng.randint(1, 4 + int(40 * (1 - q))), hours=2)
        withdrawn = rng.random() < 0.03
        if withdrawn and answered < self.now:
            intake.status = IntakeStatus.WITHDRAWN
            self.stamp(intake, proposed, answered)
        elif rng.random() < 0.4 * (1 - q) or answered >= self.now:
            intake.status = IntakeStatus.SUBMITTED
            self.stamp(intake, proposed)
        else:
            intake.status = IntakeStatus.ANSWERED
            intake.answer = answer
            intake.answered_by_id = self.s.leader_id
            intake.answered_at = answered
            self.stamp(intake, proposed, answered)

    def assign_actions(
        self,
        meeting: Meeting,
        day: dt.date,
        items: list[AgendaItem],
        present: list[int],
        q: float,
        rng: random.Random,
    ) -> list[ActionItem]:
        s, end = self.s, ended(meeting)
        weekly = s.kind in (TeamKind.INSTRUCTIONAL, TeamKind.ADMINISTRATIVE)
        count = round(rng.uniform(0, 1.0 + (1.2 if weekly else 2.2) * q))
        if s.kind == TeamKind.ILT and q >= 0.5:
            count = max(count, 1)
        people = present or [s.leader_id]
        topics = [i for i in items if not i.confidential]
        actions = []
        for _ in range(count):
            owner = s.leader_id if q < 0.4 and rng.random() < 0.6 else rng.choice(people)
            due = day + DAY * (rng.randint(3, 7) if weekly else rng.randint(6, 13))
            due -= DAY * max(0, due.weekday() - 4)  # due on a school day: the Friday
            action = self.make(
                ActionItem,
                team=s.team,
                meeting=meeting,
                district_id=s.district_id,
                agenda_item=rng.choice(topics) if topics else None,
                description=texts.action(s.kind, rng),
                owner_id=owner,
                due_on=due,
            )
            actions.append(action)
        secret = next((i for i in items if i.confidential), None)
        if secret is not None:
            actions.append(
                self.make(
                    ActionItem,
                    team=s.team,
                    meeting=meeting,
                    district_id=s.district_id,
                    agenda_item=secret,
                    description=texts.CONFIDENTIAL_ACTION,
                    owner_id=s.leader_id,
                    due_on=day + 7 * DAY,
                    confidential=True,
                )
            )
        for action in actions:
            self.settle(action, day, q, rng)
            done = self.at(action.completed_on, dt.time(17)) if action.completed_on else None
            self.stamp(action, end, done)
        self.out.actions += actions
        return actions

    def settle(self, action: ActionItem, day: dt.date, q: float, rng: random.Random) -> None:
        """Done by its due date, done late, dropped, or still open (overdue once past due)."""
        due, roll = action.due_on, rng.random()
        if due < self.today:
            on_time = 0.12 + 0.82 * q
            late = on_time + 0.5 * (1 - q)
            if roll < on_time:
                action.completed_on = day + DAY * rng.randint(1, max(1, (due - day).days))
            elif roll < late:
                action.completed_on = min(due + DAY * rng.randint(2, 25), self.today - DAY)
            elif roll < late + 0.05:
                action.status = ActionStatus.DROPPED
                return
            else:
                return
        elif roll < 0.35 * q and day + DAY < self.today:
            action.completed_on = day + DAY * rng.randint(1, max(1, (self.today - day).days - 1))
        else:
            return
        done = action.completed_on
        while done.weekday() >= 5 and done - DAY > day:  # people finish work on school days
            done -= DAY
        action.completed_on = done
        action.status = ActionStatus.DONE

    # -- the ILT's intake queue ------------------------------------------------------------------

    def intake(
        self, meeting: Meeting, day: dt.date, q: float, rng: random.Random
    ) -> list[AgendaItem]:
        """Issues teachers proposed before this meeting: at a healthy ILT most go on its
        agenda; at a struggling one they wait, or get a late answer."""
        loop, end = self.s.loop, ended(meeting)
        if loop is None:
            return []
        accepted: list[AgendaItem] = []
        count = int(rng.random() < 0.08 + 0.45 * q) + int(rng.random() < 0.1 * q)
        serving = [(t, [m for m in ms if m.on(day)]) for t, _label, ms in loop.teams]
        serving = [entry for entry in serving if entry[1]]
        for _ in range(count if serving else 0):
            team, members = rng.choice(serving)
            proposer = rng.choice(members).user_id
            proposed = meeting.scheduled_start - dt.timedelta(
                days=rng.randint(2, 9), hours=rng.randint(-3, 3)
            )
            title, details, answer = rng.choice(texts.INTAKE)
            intake = self.make(
                IntakeItem,
                team=self.s.team,
                district_id=self.s.district_id,
                proposed_by_id=proposer,
                from_team=team,
                title=title,
                details=details,
            )
            self.out.intake.append(intake)
            if rng.random() >= 0.1 + 0.75 * q:
                self.answer_later(intake, proposed, answer, q, rng)
                continue
            who = loop.names.get(proposer, "a teacher")
            item = self.make(
                AgendaItem,
                title=title,
                kind=Kind.TEACHER_ISSUE,
                minutes_allotted=INTAKE_ITEM_MINUTES,
                details=f"Proposed by {who} for the {team.name}.\n\n{details}",
                presenter_id=proposer,
            )
            intake.status = IntakeStatus.ACCEPTED
            intake.agenda_item = self.add_item(item)
            self.intake_of[id(item)] = intake
            accepted.append(item)
            updated = meeting.scheduled_start
            if rng.random() < 0.5 * q:  # and the proposer got a written answer afterwards
                intake.status = IntakeStatus.ANSWERED
                intake.answer = answer
                intake.answered_by_id = self.s.leader_id
                intake.answered_at = end + dt.timedelta(hours=rng.randint(1, 30))
                updated = intake.answered_at
            self.stamp(intake, proposed, updated)
        return accepted

    # -- minutes -------------------------------------------------------------------------------

    def approve_minutes(self, held: list[Meeting], year: int) -> None:
        """Minutes are approved at the start of the next meeting, at most teams most times;
        the last meeting's may still be working notes."""
        s = self.s
        rng = rng_for("minutes", s.key, year)
        base = 0.55 if s.kind == TeamKind.ILT else 0.25
        for index, meeting in enumerate(held):
            q = s.quality(meeting.scheduled_start.date())
            later = held[index + 1] if index + 1 < len(held) else None
            if later is not None and later.actual_start is not None:
                approved = later.actual_start + MINUTE * rng.randint(1, 8)
            else:
                approved = ended(meeting) + dt.timedelta(days=1, hours=rng.randint(0, 6))
                if approved >= self.now or rng.random() > q:
                    continue
            if rng.random() >= base + (0.98 - base) * q:
                continue
            meeting.minutes_approved_at = approved
            meeting.minutes_approved_by_id = s.approver_id
            if rng.random() < q and approved + dt.timedelta(hours=22) < self.now:
                meeting.minutes_sent_at = approved + dt.timedelta(hours=rng.randint(1, 20))
            meeting.updated_at = self.past(meeting.minutes_sent_at or approved)
