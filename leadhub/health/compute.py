"""The twelve team-health indicators, computed from a :class:`TeamHistory`. Pure functions.

Each indicator is computed over two windows as of a day D (inclusive): the school year to
date (from the first instructional day of D's school year) and the last 90 days. Only what
was recorded on or before D counts, so a past D gives the figures as they stood that day:
a report-back shared after D is not shared yet, an action completed after D is not done.

Every result carries its evidence: the periods, meetings, action items, decisions and
proposals behind the figure, each marked as meeting the indicator, falling short of it, or
not in the figure (proposals feed the median days beside teacher voice, not its share).
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from leadhub.health.history import ActionRecord, MeetingRecord, Span, TeamHistory
from leadhub.health.indicators import Code
from leadhub.health.models import Status
from leadhub.health.results import (
    RECENT_DAYS,
    Evidence,
    EvidenceKind,
    IndicatorResult,
    TeamHealth,
    Window,
    WindowKey,
)
from leadhub.health.standards import Standard
from leadhub.meetings.models import (
    INSTRUCTIONAL_KINDS,
    ActionStatus,
    AgendaKind,
    AttendanceStatus,
    IntakeStatus,
    MeetingStatus,
)
from leadhub.orgs.schoolyears import school_year_bounds, school_year_of

ON_TIME_GRACE = dt.timedelta(minutes=5)
PERIOD_WORDS = {7: "one-week", 14: "two-week", 21: "three-week"}
# Longer than any school break: how far to look for the next school day.
MAX_DAYS_TO_NEXT_SCHOOL_DAY = 120


def history_span(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The local dates a history must cover to compute both windows as of ``as_of``."""
    year_start, _ = school_year_bounds(school_year_of(as_of))
    return min(year_start, as_of - dt.timedelta(days=RECENT_DAYS - 1)), as_of


def windows_for(history: TeamHistory, as_of: dt.date) -> tuple[Window, Window]:
    year_start = min(_first_instructional_day(history, as_of), as_of)
    recent_start = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    return (
        Window(WindowKey.YEAR, "This school year", year_start, as_of),
        Window(WindowKey.RECENT, f"Last {RECENT_DAYS} days", recent_start, as_of),
    )


def _first_instructional_day(history: TeamHistory, day: dt.date) -> dt.date:
    year = school_year_of(day)
    for calendar in history.skip.calendars:
        if calendar.year == year:
            return calendar.first_day
    return school_year_bounds(year)[0]


# Labels -----------------------------------------------------------------------------
# Cached: a snapshot run labels the same few hundred school days for every team and month.


@functools.cache
def day_label(day: dt.date) -> str:
    """Tue 9 Sep"""
    return f"{day:%a} {day.day} {day:%b}"


@functools.cache
def span_label(start: dt.date, end: dt.date) -> str:
    """2–13 Sep, or 29 Sep–10 Oct across months."""
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _listed(words: list[str]) -> str:
    """facilitator; recorder or timekeeper; facilitator, recorder or timekeeper"""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _counted(count: int, noun: str) -> str:
    """``noun`` marks its plural with {s}: "held meeting{s} with a facilitator"."""
    return noun.format(s="" if count == 1 else "s")


def _share_detail(numerator: int, denominator: int, noun: str) -> str:
    return f"{numerator} of {denominator} {_counted(denominator, noun)}"


# The context one indicator is computed in ---------------------------------------------


@dataclass
class Context:
    history: TeamHistory
    standard: Standard
    window: Window

    @property
    def as_of(self) -> dt.date:
        return self.window.end

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.history.team.zone).date()

    def in_window(self, day: dt.date) -> bool:
        return self.window.start <= day <= self.window.end

    @cached_property
    def held_to_date(self) -> list[MeetingRecord]:
        """Every held meeting on or before D, the window's and any before it."""
        held = [
            meeting
            for meeting in self.history.meetings
            if meeting.is_held and self.history.meeting_dates[meeting.id] <= self.as_of
        ]
        return sorted(held, key=lambda meeting: meeting.scheduled_start)

    @cached_property
    def held(self) -> list[MeetingRecord]:
        return [m for m in self.held_to_date if self.in_window(self.meeting_date(m))]

    def meeting_date(self, meeting: MeetingRecord) -> dt.date:
        return self.history.meeting_dates[meeting.id]

    def meeting_evidence(self, meeting: MeetingRecord, counted: bool | None, note: str) -> Evidence:
        day = self.meeting_date(meeting)
        # The page shows the date in its own column; the label names the meeting.
        label = meeting.title or "Team meeting"
        return Evidence(EvidenceKind.MEETING, day, label, counted, note, meeting_id=meeting.id)

    def is_school_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.history.skip.skips(day)


def _result(
    ctx: Context,
    code: Code,
    evidence: Iterable[Evidence],
    *,
    noun: str,
    detail_noun: str | None = None,
    secondary: str = "",
) -> IndicatorResult:
    """A share: the evidence counted True over all evidence counted True or False.

    ``noun`` names what is counted ("held meeting{s}"), for the reason given when there is
    too little data; ``detail_noun`` names it in the detail when different."""
    items = tuple(sorted(evidence, key=lambda item: item.day))
    numerator = sum(1 for item in items if item.counted is True)
    denominator = sum(1 for item in items if item.counted is not None)
    short = _too_little(ctx, code, denominator, noun, items, secondary)
    if short is not None:
        return short
    value = numerator / denominator
    return _measured(
        ctx,
        code,
        items,
        value,
        _share_detail(numerator, denominator, detail_noun or noun),
        secondary,
    )


def _measured(
    ctx: Context,
    code: Code,
    items: tuple[Evidence, ...],
    value: float,
    detail: str,
    secondary: str = "",
) -> IndicatorResult:
    """A value with its band on the team's standard, once there is enough data."""
    return IndicatorResult(
        code=code,
        window=ctx.window,
        status=Status.MEASURED,
        value=value,
        band=ctx.standard.band(code, value),
        detail=detail,
        secondary=secondary,
        evidence=items,
    )


def _too_little(
    ctx: Context,
    code: Code,
    count: int,
    noun: str,
    evidence: tuple[Evidence, ...],
    secondary: str = "",
) -> IndicatorResult | None:
    needed = ctx.standard[code].min_data
    if count >= needed:
        return None
    found = "No" if count == 0 else f"Only {count}"
    verb = "is" if needed == 1 else "are"
    return IndicatorResult(
        code=code,
        window=ctx.window,
        status=Status.NOT_ENOUGH_DATA,
        reason=f"{found} {_counted(count, noun)} in this window; at least {needed} {verb} needed.",
        secondary=secondary,
        evidence=evidence,
    )


# 1. Regular meetings -------------------------------------------------------------------


# Standards with periods this long mean "monthly": calendar months fit them better than
# fixed 28-day blocks, which drift against a meeting held on, say, the second Tuesday.
MONTHLY_PERIOD_DAYS = 28


def cadence(ctx: Context) -> IndicatorResult:
    period = ctx.standard.period_days
    start = max(ctx.window.start, _formed(ctx))
    if period >= MONTHLY_PERIOD_DAYS:
        spans = _calendar_months(ctx, start)
        noun, detail_noun = "complete calendar month{s}", "calendar month{s}"
    else:
        spans = _fixed_periods(start, ctx.as_of, period)
        word = PERIOD_WORDS.get(period, f"{period}-day")
        noun, detail_noun = f"complete {word} period{{s}}", f"{word} period{{s}}"
    evidence = [_period_evidence(ctx, first, last, label) for first, last, label in spans]
    return _result(ctx, Code.CADENCE, evidence, noun=noun, detail_noun=detail_noun)


def _fixed_periods(
    start: dt.date, as_of: dt.date, period: int
) -> list[tuple[dt.date, dt.date, str]]:
    spans = []
    while start + dt.timedelta(days=period - 1) <= as_of:
        end = start + dt.timedelta(days=period - 1)
        spans.append((start, end, span_label(start, end)))
        start = end + dt.timedelta(days=1)
    return spans


def _calendar_months(ctx: Context, start: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """The calendar months ended by D that lie wholly after ``start`` as far as school goes:
    a month counts when ``start`` is on or before its first school day, so the year's
    first month counts from the first instructional day, and a team formed mid-month
    begins with the next month."""
    spans: list[tuple[dt.date, dt.date, str]] = []
    first = start.replace(day=1)
    while True:
        following = (first + dt.timedelta(days=31)).replace(day=1)
        last = following - dt.timedelta(days=1)
        if last > ctx.as_of:
            return spans
        if start <= _first_school_day(ctx, first, last):
            spans.append((first, last, f"{first:%B %Y}"))
        first = following


def _first_school_day(ctx: Context, first: dt.date, last: dt.date) -> dt.date:
    day = first
    while day < last and not ctx.is_school_day(day):
        day += dt.timedelta(days=1)
    return day


def _formed(ctx: Context) -> dt.date:
    """When the team began: its record's creation, or its first held meeting when that is
    earlier (meetings logged from before the team was set up in LeadHub)."""
    if ctx.held_to_date:
        return min(ctx.history.team.created, ctx.meeting_date(ctx.held_to_date[0]))
    return ctx.history.team.created


def _period_evidence(ctx: Context, start: dt.date, end: dt.date, label: str) -> Evidence:
    closed = _closure_of(ctx, start, end)
    if closed is not None:
        return Evidence(EvidenceKind.PERIOD, start, label, None, f"school closed: {closed}")
    for meeting in ctx.held:
        if start <= ctx.meeting_date(meeting) <= end:
            note = f"met {day_label(ctx.meeting_date(meeting))}"
            return Evidence(EvidenceKind.PERIOD, start, label, True, note, meeting_id=meeting.id)
    return Evidence(EvidenceKind.PERIOD, start, label, False, "no held meeting")


def _closure_of(ctx: Context, start: dt.date, end: dt.date) -> str | None:
    """The closures that took every weekday of the period, or None when school was open."""
    reasons: list[str] = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            reason = ctx.history.skip.reason(day)
            if reason is None:
                return None
            if reason not in reasons:
                reasons.append(reason)
        day += dt.timedelta(days=1)
    return ", ".join(reasons) if reasons else "no school days"


# 2. Full-length meetings ---------------------------------------------------------------


def length(ctx: Context) -> IndicatorResult:
    strong = ctx.standard[Code.LENGTH].strong
    evidence, minutes = [], []
    for meeting in ctx.held:
        if meeting.actual_start is None or meeting.actual_end is None:
            evidence.append(ctx.meeting_evidence(meeting, None, "start or end not recorded"))
            continue
        lasted = round((meeting.actual_end - meeting.actual_start).total_seconds() / 60)
        minutes.append(lasted)
        evidence.append(ctx.meeting_evidence(meeting, lasted >= strong, f"{lasted} minutes"))
    items = tuple(sorted(evidence, key=lambda item: item.day))
    short = _too_little(
        ctx, Code.LENGTH, len(minutes), "held meeting{s} with a recorded length", items
    )
    if short is not None:
        return short
    median = float(statistics.median(minutes))
    expected = ctx.standard.meeting_minutes
    return _measured(
        ctx, Code.LENGTH, items, median, f"median {_number(median)} minutes (standard {expected})"
    )


# 3. Starting on time -------------------------------------------------------------------


def starts_on_time(ctx: Context) -> IndicatorResult:
    evidence = []
    for meeting in ctx.held:
        if meeting.actual_start is None:
            evidence.append(ctx.meeting_evidence(meeting, None, "start not recorded"))
            continue
        late = round((meeting.actual_start - meeting.scheduled_start).total_seconds() / 60)
        on_time = meeting.actual_start <= meeting.scheduled_start + ON_TIME_GRACE
        note = "started on time" if late <= 0 else f"started {_plural(late, 'minute')} late"
        evidence.append(ctx.meeting_evidence(meeting, on_time, note))
    return _result(
        ctx,
        Code.STARTS_ON_TIME,
        evidence,
        noun="held meeting{s} with a recorded start",
        detail_noun="meeting{s} started on time",
    )


# 4. Members arriving on time -----------------------------------------------------------


@dataclass(frozen=True)
class Arrivals:
    expected: int
    on_time: int
    excused: int


def punctuality(ctx: Context) -> IndicatorResult:
    rows_by_meeting: dict[int, dict[int | None, str]] = {}
    taken: set[int] = set()
    for row in ctx.history.attendance:
        taken.add(row.meeting_id)
        if row.user_id is not None:
            rows_by_meeting.setdefault(row.meeting_id, {})[row.user_id] = row.status
    evidence, expected, on_time = [], 0, 0
    for meeting in ctx.held:
        if meeting.id not in taken:
            evidence.append(ctx.meeting_evidence(meeting, None, "attendance not taken"))
            continue
        arrivals = _arrivals(ctx, meeting, rows_by_meeting.get(meeting.id, {}))
        expected += arrivals.expected
        on_time += arrivals.on_time
        note = f"{arrivals.on_time} of {arrivals.expected} on time"
        if arrivals.excused:
            note += f"; {arrivals.excused} excused"
        counted = arrivals.on_time == arrivals.expected if arrivals.expected else None
        evidence.append(ctx.meeting_evidence(meeting, counted, note))
    items = tuple(sorted(evidence, key=lambda item: item.day))
    meetings = sum(1 for item in items if item.counted is not None)
    short = _too_little(
        ctx, Code.PUNCTUALITY, meetings, "held meeting{s} with attendance taken", items
    )
    if short is not None:
        return short
    value = on_time / expected
    return _measured(
        ctx, Code.PUNCTUALITY, items, value, f"{on_time} of {expected} expected arrivals on time"
    )


def _arrivals(ctx: Context, meeting: MeetingRecord, statuses: dict[int | None, str]) -> Arrivals:
    """Members on the team that day, less the excused; rows of non-members are ignored."""
    day = ctx.meeting_date(meeting)
    members = {span.user_id for span in ctx.history.memberships if span.covers(day)}
    excused = {user for user in members if statuses.get(user) == AttendanceStatus.EXCUSED}
    expected = members - excused
    on_time = {user for user in expected if statuses.get(user) == AttendanceStatus.ON_TIME}
    return Arrivals(expected=len(expected), on_time=len(on_time), excused=len(excused))


# 5. Meeting roles ----------------------------------------------------------------------


def roles(ctx: Context) -> IndicatorResult:
    evidence = []
    for meeting in ctx.held:
        missing = [
            name
            for name, user in (
                ("facilitator", meeting.facilitator_id),
                ("recorder", meeting.recorder_id),
                ("timekeeper", meeting.timekeeper_id),
            )
            if user is None
        ]
        note = f"no {_listed(missing)}" if missing else "all three roles named"
        evidence.append(ctx.meeting_evidence(meeting, not missing, note))
    return _result(
        ctx, Code.ROLES, evidence, noun="held meeting{s}", detail_noun="meeting{s} with all roles"
    )


# 6. Shared facilitation ----------------------------------------------------------------


def shared_facilitation(ctx: Context) -> IndicatorResult:
    """The leader's share of facilitation: lower is better.

    The leader on a meeting's day is the school's principal when the principal is on the
    team that day, otherwise the team's lead members. Evidence follows the other
    indicators: True (for the team) when someone other than the leader facilitated, False
    when the leader did. The value is the share of False."""
    evidence, by_leader, facilitators = [], 0, set()
    leader_words: list[str] = []
    for meeting in ctx.held:
        if meeting.facilitator_id is None:
            evidence.append(ctx.meeting_evidence(meeting, None, "no facilitator named"))
            continue
        facilitators.add(meeting.facilitator_id)
        leader_word = _leader_word(ctx, meeting.facilitator_id, ctx.meeting_date(meeting))
        if leader_word is not None:
            by_leader += 1
            if leader_word not in leader_words:
                leader_words.append(leader_word)
        note = f"facilitated by {leader_word or 'another member'}"
        evidence.append(ctx.meeting_evidence(meeting, leader_word is None, note))
    items = tuple(sorted(evidence, key=lambda item: item.day))
    secondary = _plural(len(facilitators), "different facilitator") if facilitators else ""
    counted = sum(1 for item in items if item.counted is not None)
    short = _too_little(
        ctx,
        Code.SHARED_FACILITATION,
        counted,
        "held meeting{s} with a facilitator",
        items,
        secondary,
    )
    if short is not None:
        return short
    value = by_leader / counted
    return _measured(
        ctx,
        Code.SHARED_FACILITATION,
        items,
        value,
        f"{by_leader} of {counted} meetings facilitated by {_leader_named(leader_words)}",
        secondary,
    )


def _leader_named(words: list[str]) -> str:
    """the principal; the team lead; the principal or the team lead (the leader changed)"""
    return " or ".join(words) if words else "the principal or the team lead"


def _leader_word(ctx: Context, facilitator_id: int, day: dt.date) -> str | None:
    """How the evidence names the facilitator when they were the team's leader that day."""
    history = ctx.history
    principals_on_team = [
        span.user_id
        for span in history.principals
        if span.covers(day) and _holds(history.memberships, span.user_id, day)
    ]
    if principals_on_team:
        return "the principal" if facilitator_id in principals_on_team else None
    return "the team lead" if _holds(history.leads, facilitator_id, day) else None


def _holds(spans: Iterable[Span], user_id: int, day: dt.date) -> bool:
    return any(span.user_id == user_id and span.covers(day) for span in spans)


# 7. Agenda built ahead -----------------------------------------------------------------


def agenda_ahead(ctx: Context) -> IndicatorResult:
    evidence = []
    previous: MeetingRecord | None = None
    for meeting in ctx.held_to_date:
        if ctx.in_window(ctx.meeting_date(meeting)):
            evidence.append(_agenda_evidence(ctx, meeting, previous))
        previous = meeting
    return _result(
        ctx,
        Code.AGENDA_AHEAD,
        evidence,
        noun="held meeting{s} after the team's first",
        detail_noun="agenda{s} drafted in time",
    )


def _agenda_evidence(
    ctx: Context, meeting: MeetingRecord, previous: MeetingRecord | None
) -> Evidence:
    if previous is None:
        return ctx.meeting_evidence(meeting, None, "the team's first meeting")
    deadline_day = _next_school_day(ctx, ctx.meeting_date(previous))
    deadline = dt.datetime.combine(deadline_day, dt.time.max, tzinfo=ctx.history.team.zone)
    drafted = meeting.agenda_drafted_at
    if drafted is None:
        return ctx.meeting_evidence(meeting, False, "no agenda draft recorded")
    in_time = drafted <= deadline
    note = f"drafted {day_label(ctx.local_date(drafted))}"
    if not in_time:
        note += f", after {day_label(deadline_day)}"
    return ctx.meeting_evidence(meeting, in_time, note)


def _next_school_day(ctx: Context, day: dt.date) -> dt.date:
    candidate = day + dt.timedelta(days=1)
    for _ in range(MAX_DAYS_TO_NEXT_SCHOOL_DAY):
        if ctx.is_school_day(candidate):
            return candidate
        candidate += dt.timedelta(days=1)
    return day + dt.timedelta(days=1)


# 8. Time on instruction ----------------------------------------------------------------


def instructional_focus(ctx: Context) -> IndicatorResult:
    strong = ctx.standard[Code.INSTRUCTIONAL_FOCUS].strong
    minutes: dict[int, tuple[int, int]] = {}
    for item in ctx.history.agenda_items:
        on_instruction, total = minutes.get(item.meeting_id, (0, 0))
        if item.kind in INSTRUCTIONAL_KINDS:
            on_instruction += item.minutes_allotted
        minutes[item.meeting_id] = (on_instruction, total + item.minutes_allotted)
    evidence, instructional, total = [], 0, 0
    for meeting in ctx.held:
        if not minutes.get(meeting.id, (0, 0))[1]:
            evidence.append(ctx.meeting_evidence(meeting, None, "no agenda items"))
            continue
        part, whole = minutes[meeting.id]
        instructional += part
        total += whole
        note = f"{part} of {whole} minutes"
        evidence.append(ctx.meeting_evidence(meeting, part / whole >= strong, note))
    items = tuple(sorted(evidence, key=lambda item: item.day))
    counted = sum(1 for item in items if item.counted is not None)
    short = _too_little(
        ctx, Code.INSTRUCTIONAL_FOCUS, counted, "held meeting{s} with agenda items", items
    )
    if short is not None:
        return short
    value = instructional / total
    return _measured(
        ctx,
        Code.INSTRUCTIONAL_FOCUS,
        items,
        value,
        f"{instructional} of {total} agenda minutes on instruction",
    )


# 9. Teacher voice ----------------------------------------------------------------------


def teacher_voice(ctx: Context) -> IndicatorResult:
    raised = {
        item.meeting_id
        for item in ctx.history.agenda_items
        if item.raised_by_teachers and item.minutes_allotted > 0
    }
    evidence = [
        ctx.meeting_evidence(
            meeting,
            meeting.id in raised,
            "time for an issue raised by teachers"
            if meeting.id in raised
            else "no item raised by teachers",
        )
        for meeting in ctx.held
    ]
    proposals, days = _proposal_evidence(ctx)
    if days:
        median = _number(float(statistics.median(days)))
        secondary = f"median {median} days over {_plural(len(days), 'proposal')}"
    else:
        secondary = "no proposals answered in this window"
    return _result(
        ctx,
        Code.TEACHER_VOICE,
        [*evidence, *proposals],
        noun="held meeting{s}",
        detail_noun="meeting{s} with time for teachers' issues",
        secondary=secondary,
    )


def _proposal_evidence(ctx: Context) -> tuple[list[Evidence], list[int]]:
    """Proposals answered or taken up in the window (with the days it took), and those
    proposed in the window still waiting on D."""
    evidence, days = [], []
    for proposal in ctx.history.intake:
        proposed = ctx.local_date(proposal.created_at)
        if proposed > ctx.as_of:
            continue
        responses = []
        if proposal.status == IntakeStatus.ANSWERED and proposal.answered_at is not None:
            responses.append((ctx.local_date(proposal.answered_at), "answered"))
        if proposal.meeting_start is not None and proposal.meeting_status == MeetingStatus.HELD:
            responses.append((ctx.local_date(proposal.meeting_start), "taken up"))
        responses = sorted(r for r in responses if r[0] <= ctx.as_of)
        if responses:
            answered, how = responses[0]
            if not ctx.in_window(answered):
                continue
            waited = (answered - proposed).days
            days.append(waited)
            note = f"{how} in {_plural(waited, 'day')}, in the median days"
            day = answered
        elif ctx.in_window(proposed) and proposal.status != IntakeStatus.WITHDRAWN:
            waiting = _plural((ctx.as_of - proposed).days, "day")
            note = f"waiting {waiting}, in the median days once answered"
            day = proposed
        else:
            continue
        evidence.append(
            Evidence(
                EvidenceKind.PROPOSAL,
                day,
                proposal.title,
                None,
                note,
                meeting_id=proposal.meeting_id,
                record_id=proposal.id,
            )
        )
    return evidence, days


# 10. Goal monitoring -------------------------------------------------------------------


def goal_monitoring(ctx: Context) -> IndicatorResult:
    if not ctx.history.has_plan_goals:
        return IndicatorResult(
            code=Code.GOAL_MONITORING,
            window=ctx.window,
            status=Status.NO_DATA_YET,
            reason="Counts start once the school's improvement plan has goals to monitor.",
        )
    monitored = {
        item.meeting_id
        for item in ctx.history.agenda_items
        if item.kind == AgendaKind.GOAL_MONITORING
    }
    evidence = [
        ctx.meeting_evidence(
            meeting,
            meeting.id in monitored,
            "goal monitoring on the agenda" if meeting.id in monitored else "no goal monitoring",
        )
        for meeting in ctx.held
    ]
    return _result(
        ctx,
        Code.GOAL_MONITORING,
        evidence,
        noun="held meeting{s}",
        detail_noun="meeting{s} monitoring goals",
    )


# 11. Follow-through --------------------------------------------------------------------


def follow_through(ctx: Context) -> IndicatorResult:
    evidence = []
    for action in ctx.history.actions:
        if not (ctx.in_window(action.due_on) and action.due_on < ctx.as_of):
            continue
        counted, note = _action_outcome(action, ctx.as_of)
        evidence.append(
            Evidence(
                EvidenceKind.ACTION,
                action.due_on,
                action.description,
                counted,
                note,
                meeting_id=action.meeting_id,
                record_id=action.id,
            )
        )
    return _result(
        ctx,
        Code.FOLLOW_THROUGH,
        evidence,
        noun="action item{s} due",
        detail_noun="action item{s} done by their date",
    )


def _action_outcome(action: ActionRecord, as_of: dt.date) -> tuple[bool | None, str]:
    if action.status == ActionStatus.DROPPED:
        return None, "dropped"
    completed = action.completed_on
    if action.status != ActionStatus.DONE or completed is None or completed > as_of:
        return False, "not done by its date"
    if completed <= action.due_on:
        return True, f"done {day_label(completed)}"
    return False, f"done {_plural((completed - action.due_on).days, 'day')} late"


# 12. Closing the loop ------------------------------------------------------------------


def closing_the_loop(ctx: Context) -> IndicatorResult:
    evidence = []
    for decision in ctx.history.decisions:
        if not (decision.meeting_held and decision.affected_team_ids and decision.report_backs):
            continue
        last_due = max(back.due_on for back in decision.report_backs)
        if not ctx.in_window(last_due):
            continue
        shared = {
            back.team_id
            for back in decision.report_backs
            if back.shared_on is not None and back.shared_on <= ctx.as_of
        }
        reached = len(shared & set(decision.affected_team_ids))
        teams = len(decision.affected_team_ids)
        counted = reached == teams
        note = (
            "shared with every affected team"
            if counted
            else f"shared with {reached} of {_plural(teams, 'team')}"
        )
        evidence.append(
            Evidence(
                EvidenceKind.DECISION,
                last_due,
                decision.text,
                counted,
                note,
                meeting_id=decision.meeting_id,
                record_id=decision.id,
            )
        )
    return _result(
        ctx,
        Code.CLOSING_THE_LOOP,
        evidence,
        noun="decision{s} with report-backs due",
        detail_noun="decision{s} shared with every affected team",
    )


# The whole picture ---------------------------------------------------------------------


INDICATOR_FUNCTIONS: dict[Code, Callable[[Context], IndicatorResult]] = {
    Code.CADENCE: cadence,
    Code.LENGTH: length,
    Code.STARTS_ON_TIME: starts_on_time,
    Code.PUNCTUALITY: punctuality,
    Code.ROLES: roles,
    Code.SHARED_FACILITATION: shared_facilitation,
    Code.AGENDA_AHEAD: agenda_ahead,
    Code.INSTRUCTIONAL_FOCUS: instructional_focus,
    Code.TEACHER_VOICE: teacher_voice,
    Code.GOAL_MONITORING: goal_monitoring,
    Code.FOLLOW_THROUGH: follow_through,
    Code.CLOSING_THE_LOOP: closing_the_loop,
}


def team_health(history: TeamHistory, standard: Standard, *, as_of: dt.date) -> TeamHealth:
    """Every indicator over the school year to date and the last 90 days, as of ``as_of``."""
    windows = windows_for(history, as_of)
    results = {}
    for window in windows:
        ctx = Context(history, standard, window)
        for code, compute in INDICATOR_FUNCTIONS.items():
            results[(code.value, window.key)] = compute(ctx)
    return TeamHealth(
        team_id=history.team.id,
        as_of=as_of,
        standard=standard,
        windows=windows,
        results=results,
    )
