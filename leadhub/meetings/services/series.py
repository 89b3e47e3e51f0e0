"""A team's meeting schedule: series of regular meetings, one-off meetings, and moving or
cancelling a single meeting.

Rules every function here keeps:

* a held meeting is a record: neither its series nor a move or cancellation changes it;
* editing a series changes only its future meetings that are still scheduled and were
  never moved or cancelled on their own (``detached``);
* a meeting that leaves the schedule is deleted only while nothing was recorded for it
  (agenda, attendance, decisions, action items); otherwise it is cancelled;
* every change of time, length, place or status raises ``sequence``, the iCalendar
  SEQUENCE, so calendar apps that subscribed to the feed update the event in place.

The recurrence arithmetic itself is in :mod:`leadhub.meetings.recurrence`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from leadhub.lib.concurrency import EditConflict, save_if_unchanged
from leadhub.meetings import recurrence
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingSeries,
    MeetingStatus,
)
from leadhub.orgs.models import DistrictCalendar
from leadhub.orgs.schoolyears import school_year_bounds, school_year_of
from leadhub.teams.models import Team

# What a form may set on a series; the team never changes.
SERIES_FIELDS = (
    "pattern",
    "interval_weeks",
    "weekday",
    "week_ordinals",
    "start_time",
    "duration_minutes",
    "first_date",
    "until",
    "location",
    "skip_non_instructional",
)
# A meeting moved on its own still stands for the date it was moved from: the series
# does not add another meeting within this many days of that date.
SLOT_REACH_DAYS = 3
# Moved or held meetings this far back can still stand for an upcoming date.
LOOKBACK = dt.timedelta(days=31)
REMOVED_NOTE = "No longer on the team's regular schedule."
HELD_CANNOT_MOVE = (
    "This meeting has been held, so it is a record now and cannot be moved. "
    "To meet again, add a one-off meeting."
)
HELD_CANNOT_CANCEL = "This meeting has been held, so it is a record now and cannot be cancelled."
ALREADY_CANCELLED = "This meeting is already cancelled."


# --- Time and calendar -----------------------------------------------------------------


def local_today(team: Team, now: dt.datetime) -> dt.date:
    return now.astimezone(recurrence.zone_of(team.time_zone)).date()


def school_year_end(team: Team, day: dt.date) -> tuple[dt.date, bool]:
    """The end of the school year ``day`` falls in: the district calendar's last
    instructional day (True) or, without a calendar, 30 June (False)."""
    year = school_year_of(day)
    if team.district_id is not None:
        calendar = DistrictCalendar.objects.filter(
            district_id=team.district_id, school_year_id=year
        ).first()
        if calendar is not None:
            return calendar.last_day, True
    return school_year_bounds(year)[1], False


def series_last_date(series: MeetingSeries, today: dt.date) -> dt.date:
    """``until``, or the end of the school year the series is in now (the next one when
    this year's last instructional day has passed)."""
    if series.until is not None:
        return series.until
    start = max(series.first_date, today)
    end, _ = school_year_end(series.team, start)
    if end < start:
        end, _ = school_year_end(series.team, school_year_bounds(school_year_of(start) + 1)[0])
    return end


def skip_days_for(team: Team, start: dt.date, end: dt.date) -> recurrence.SkipDays:
    """The district's calendars of every school year from ``start`` to ``end``."""
    if team.district_id is None or end < start:
        return recurrence.NO_SKIPPING
    years = range(school_year_of(start), school_year_of(end) + 1)
    calendars = DistrictCalendar.objects.filter(
        district_id=team.district_id, school_year_id__in=list(years)
    ).prefetch_related("closures")
    found = []
    for calendar in calendars:
        closed: dict[dt.date, str] = {}
        for block in calendar.closures.all():
            day = block.start_date
            while day <= block.end_date:
                closed[day] = block.label
                day += dt.timedelta(days=1)
        found.append(
            recurrence.SchoolCalendar(
                year=calendar.school_year_id,
                first_day=calendar.first_day,
                last_day=calendar.last_day,
                closed=closed,
            )
        )
    return recurrence.SkipDays(calendars=tuple(found))


def rule_for(series: MeetingSeries) -> recurrence.Rule:
    monthly = series.pattern == MeetingSeries.Pattern.MONTHLY
    return recurrence.Rule(
        weekday=series.weekday,
        first_date=series.first_date,
        pattern=recurrence.MONTHLY if monthly else recurrence.EVERY_N_WEEKS,
        interval_weeks=series.interval_weeks or recurrence.DEFAULT_INTERVAL_WEEKS,
        week_ordinals=recurrence.parse_ordinals(series.week_ordinals) if monthly else (),
        until=series.until,
    )


def series_describe(series: MeetingSeries) -> str:
    """E.g. "Every 2 weeks on Wednesday, 3:30–5:00 pm, skipping non-instructional days"."""
    return recurrence.describe(
        rule_for(series),
        series.start_time,
        series.duration_minutes,
        skip_non_instructional=series.skip_non_instructional,
    )


# --- Planning ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A scheduled meeting of the series that gets a new time, length or place."""

    meeting: Meeting
    start: dt.datetime
    minutes: int
    location: str


@dataclass
class SeriesPlan:
    """What saving a series would do to its meetings from now on."""

    starts: list[dt.datetime]  # the series' regular meetings from now on, in order
    skipped: list[tuple[dt.date, str]]  # the rule's dates left out, with the reason
    end: dt.date
    create: list[dt.datetime] = field(default_factory=list)
    update: list[Move] = field(default_factory=list)
    revive: list[Move] = field(default_factory=list)
    remove: list[Meeting] = field(default_factory=list)
    cancel: list[Meeting] = field(default_factory=list)
    unchanged: list[Meeting] = field(default_factory=list)
    held_kept: int = 0  # held meetings of the series: never touched
    detached_kept: int = 0  # upcoming meetings moved or cancelled on their own: left alone

    @property
    def changed_count(self) -> int:
        """Existing upcoming meetings that change (moved, removed, cancelled, back on)."""
        return len(self.update) + len(self.revive) + len(self.remove) + len(self.cancel)

    @property
    def created_count(self) -> int:
        return len(self.create)


def meetings_with_records(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings something was recorded for: agenda, attendance, decisions, action items."""
    return meetings.filter(
        Exists(AgendaItem.objects.filter(meeting=OuterRef("pk")))
        | Exists(Attendance.objects.filter(meeting=OuterRef("pk")))
        | Exists(Decision.objects.filter(meeting=OuterRef("pk")))
        | Exists(ActionItem.objects.filter(Q(meeting=OuterRef("pk"))))
        | Exists(ActionItem.objects.filter(last_reviewed_in=OuterRef("pk")))
    )


def _original_dates(meetings: Iterable[Meeting]) -> dict[int, dt.date]:
    """The series date each meeting stands for (its own date when it has none)."""
    return {m.pk: m.series_date or m.date for m in meetings}


def _nearest(day: dt.date, candidates: list[dt.date], taken: set[dt.date]) -> dt.date | None:
    best: dt.date | None = None
    for candidate in candidates:
        distance = abs((candidate - day).days)
        if candidate in taken or distance > SLOT_REACH_DAYS:
            continue
        if best is None or distance < abs((best - day).days):
            best = candidate
    return best


def plan_series(series: MeetingSeries, *, now: dt.datetime | None = None) -> SeriesPlan:
    """What the series (as it is in memory, saved or not) means for its meetings."""
    now = now or timezone.now()
    team = series.team
    zone = recurrence.zone_of(team.time_zone)
    today = local_today(team, now)
    end = series_last_date(series, today)
    rule = rule_for(series)
    skip = (
        skip_days_for(team, max(today, series.first_date), end)
        if series.skip_non_instructional
        else recurrence.NO_SKIPPING
    )

    def start_of(day: dt.date) -> dt.datetime:
        return recurrence.local_start(day, series.start_time, zone)

    candidates = [d for d in recurrence.expand(rule, today, end, skip) if start_of(d) > now]
    skipped_days = recurrence.skipped(rule, today, end, skip)

    existing: list[Meeting] = []
    held_kept = 0
    if series.pk is not None:
        existing = list(
            series.meetings.select_related("team__district", "team__hub__state").filter(
                scheduled_start__gte=now - LOOKBACK
            )
        )
        held_kept = series.meetings.filter(status=MeetingStatus.HELD).count()
    upcoming = [m for m in existing if m.scheduled_start > now and not m.detached]
    adjustable = [m for m in upcoming if m.status == MeetingStatus.SCHEDULED]
    revivable = [m for m in upcoming if m.status == MeetingStatus.CANCELLED]
    fixed = [m for m in existing if m.detached or m.is_held]

    # A meeting moved or cancelled on its own, or already held, stands for its date.
    taken: set[dt.date] = set()
    originals = _original_dates(fixed)
    for meeting in sorted(fixed, key=lambda m: (originals[m.pk], m.pk)):
        slot = _nearest(originals[meeting.pk], candidates, taken)
        if slot is not None:
            taken.add(slot)
    wanted = [d for d in candidates if d not in taken]

    by_date: dict[dt.date, list[Meeting]] = {}
    for meeting in adjustable:
        by_date.setdefault(meeting.date, []).append(meeting)
    cancelled_by_date: dict[dt.date, list[Meeting]] = {}
    for meeting in revivable:
        cancelled_by_date.setdefault(meeting.date, []).append(meeting)

    plan = SeriesPlan(
        starts=[start_of(d) for d in wanted],
        skipped=skipped_days,
        end=end,
        held_kept=held_kept,
        detached_kept=sum(1 for m in existing if m.detached and m.scheduled_start > now),
    )
    for day in wanted:
        start = start_of(day)
        if by_date.get(day):
            meeting = by_date[day].pop(0)
            if (meeting.scheduled_start, meeting.scheduled_minutes, meeting.location) == (
                start,
                series.duration_minutes,
                series.location,
            ):
                plan.unchanged.append(meeting)
            else:
                plan.update.append(Move(meeting, start, series.duration_minutes, series.location))
        elif cancelled_by_date.get(day):
            meeting = cancelled_by_date[day].pop(0)
            plan.revive.append(Move(meeting, start, series.duration_minutes, series.location))
        else:
            plan.create.append(start)
    leftover = [m for meetings in by_date.values() for m in meetings]
    if leftover:
        with_records = set(
            meetings_with_records(
                Meeting.objects.filter(pk__in=[m.pk for m in leftover])
            ).values_list("pk", flat=True)
        )
        for meeting in sorted(leftover, key=lambda m: m.scheduled_start):
            (plan.cancel if meeting.pk in with_records else plan.remove).append(meeting)
    return plan


# --- Changing the schedule ---------------------------------------------------------------


def _apply(plan: SeriesPlan, series: MeetingSeries, actor: Any) -> None:
    team = series.team
    zone = recurrence.zone_of(team.time_zone)
    if plan.create:
        bulk_create_with_history(
            [
                Meeting(
                    team=team,
                    district_id=team.district_id,
                    series=series,
                    scheduled_start=start,
                    series_date=start.astimezone(zone).date(),
                    scheduled_minutes=series.duration_minutes,
                    location=series.location,
                )
                for start in plan.create
            ],
            Meeting,
            default_user=actor,
        )
    for move in plan.update:
        _save_meeting(
            move.meeting,
            actor,
            series_date=move.start.astimezone(zone).date(),
            scheduled_start=move.start,
            scheduled_minutes=move.minutes,
            location=move.location,
        )
    for move in plan.revive:
        _save_meeting(
            move.meeting,
            actor,
            series_date=move.start.astimezone(zone).date(),
            scheduled_start=move.start,
            scheduled_minutes=move.minutes,
            location=move.location,
            status=MeetingStatus.SCHEDULED,
            cancellation_note="",
        )
    for meeting in plan.cancel:
        _save_meeting(
            meeting, actor, status=MeetingStatus.CANCELLED, cancellation_note=REMOVED_NOTE
        )
    if plan.remove:
        removable = Meeting.objects.filter(
            pk__in=[m.pk for m in plan.remove],
            status=MeetingStatus.SCHEDULED,
            detached=False,
        )
        # Something may have been recorded since the plan was made: cancel those instead.
        late = set(meetings_with_records(removable).values_list("pk", flat=True))
        for meeting in plan.remove:
            if meeting.pk in late:
                _save_meeting(
                    meeting, actor, status=MeetingStatus.CANCELLED, cancellation_note=REMOVED_NOTE
                )
        for meeting in removable.exclude(pk__in=late):
            meeting._history_user = actor  # type: ignore[attr-defined]
            meeting.delete()


def _save_meeting(meeting: Meeting, actor: Any, **values: Any) -> bool:
    """Write ``values`` and raise the SEQUENCE, unless someone changed the meeting since it
    was read (then it is left as they saved it)."""
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    try:
        save_if_unchanged(
            meeting,
            expected_version=meeting.version,
            update_fields=[*values, "sequence"],
            actor=actor,
        )
    except EditConflict:
        return False
    return True


def series_create(
    team: Team, data: Mapping[str, Any], actor: Any, *, now: dt.datetime | None = None
) -> tuple[MeetingSeries, SeriesPlan]:
    """A new series for ``team`` and its meetings from today through ``until`` or the end
    of the school year. ``data`` holds :data:`SERIES_FIELDS` (already validated)."""
    unknown = set(data) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"Not series fields: {sorted(unknown)}")
    with transaction.atomic():
        series = MeetingSeries(team=team, district_id=team.district_id, **data)
        series._history_user = actor  # type: ignore[attr-defined]
        series.save()
        plan = plan_series(series, now=now)
        _apply(plan, series, actor)
    return series, plan


def series_update(
    series: MeetingSeries,
    expected_version: int,
    changes: Mapping[str, Any],
    actor: Any,
    *,
    now: dt.datetime | None = None,
) -> SeriesPlan:
    """Save ``changes`` to the series (raises :class:`EditConflict` when someone else
    saved it since ``expected_version``) and bring its upcoming meetings in line.

    Held meetings, and meetings moved or cancelled on their own, stay as they are.
    """
    unknown = set(changes) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"Not series fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(series, name, value)
        save_if_unchanged(
            series,
            expected_version=expected_version,
            update_fields=list(changes) or ["location"],
            actor=actor,
        )
        # Lock the upcoming meetings so a move made at the same moment waits for us.
        list(
            Meeting.objects.select_for_update()
            .filter(series=series, scheduled_start__gt=(now or timezone.now()))
            .values_list("pk", flat=True)
        )
        plan = plan_series(series, now=now)
        _apply(plan, series, actor)
    return plan


# --- One meeting -------------------------------------------------------------------------


def meeting_create(
    team: Team,
    *,
    day: dt.date,
    start_time: dt.time,
    minutes: int,
    location: str = "",
    title: str = "",
    actor: Any = None,
) -> Meeting:
    """A one-off meeting outside any series."""
    meeting = Meeting(
        team=team,
        scheduled_start=recurrence.local_start(day, start_time, team.time_zone),
        scheduled_minutes=minutes,
        location=location,
        title=title,
    )
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    return meeting


def meeting_reschedule(
    meeting: Meeting,
    *,
    expected_version: int,
    day: dt.date,
    start_time: dt.time,
    minutes: int,
    location: str,
    actor: Any = None,
) -> bool:
    """Move one meeting. It leaves its series' later edits alone from now on; its calendar
    event keeps its UID with a higher SEQUENCE. A cancelled meeting that is moved is on
    again. Returns False when nothing changed.

    Raises ValidationError for a held meeting and EditConflict when someone else changed
    the meeting since ``expected_version``.
    """
    if meeting.is_held:
        raise ValidationError(HELD_CANNOT_MOVE)
    start = recurrence.local_start(day, start_time, meeting.zone)
    if (
        meeting.scheduled_start == start
        and meeting.scheduled_minutes == minutes
        and meeting.location == location
        and not meeting.is_cancelled
    ):
        return False
    meeting.scheduled_start = start
    meeting.scheduled_minutes = minutes
    meeting.location = location
    meeting.status = MeetingStatus.SCHEDULED
    meeting.cancellation_note = ""
    meeting.detached = True
    meeting.sequence += 1
    save_if_unchanged(
        meeting,
        expected_version=expected_version,
        update_fields=[
            "scheduled_start",
            "scheduled_minutes",
            "location",
            "status",
            "cancellation_note",
            "detached",
            "sequence",
        ],
        actor=actor,
    )
    return True


def meeting_cancel(
    meeting: Meeting,
    *,
    note: str = "",
    actor: Any = None,
    expected_version: int | None = None,
) -> None:
    """Cancel one meeting; its calendar event shows as cancelled. Its series' later
    edits leave it cancelled. Raises ValidationError for a held or cancelled meeting."""
    if meeting.is_held:
        raise ValidationError(HELD_CANNOT_CANCEL)
    if meeting.is_cancelled:
        raise ValidationError(ALREADY_CANCELLED)
    version = meeting.version if expected_version is None else expected_version
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_note = note
    meeting.detached = True
    meeting.sequence += 1
    save_if_unchanged(
        meeting,
        expected_version=version,
        update_fields=["status", "cancellation_note", "detached", "sequence"],
        actor=actor,
    )
