"""Writes of a meeting as it happens, and of a meeting logged after the fact.

Each function is one small write (one transaction), typed and keyword-only, and checks
the rules a form would also check, so a caller that skips the form still cannot save
a meeting that ends before it starts or an action item due before the meeting. Rule
breaks raise :class:`~django.core.exceptions.ValidationError` keyed by the form field
that should show the message; a stale edit raises
:class:`~leadhub.lib.concurrency.EditConflict`.

Timers and item status never change an agenda item's ``version``: the timekeeper and
the facilitator must not make the recorder's notes look out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone

from leadhub.accounts.models import User
from leadhub.lib.concurrency import EditConflict, save_if_unchanged
from leadhub.meetings import selectors
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    ReportBack,
)
from leadhub.meetings.services.reportbacks import report_backs_create
from leadhub.teams.models import Team

# A meeting longer than this is almost certainly a typing slip in a time field.
LONGEST_MEETING = dt.timedelta(hours=8)
NOTES_MAX_LENGTH = 20_000
# A clock a minute fast on someone's phone should not make "now" look like the future.
CLOCK_TOLERANCE = dt.timedelta(minutes=2)


def _day(day: dt.date) -> str:
    return formats.date_format(day, "M j, Y")


def _time(moment: dt.datetime, meeting: Meeting) -> str:
    return formats.time_format(moment.astimezone(meeting.zone), "g:i A")


def local_moment(meeting: Meeting, day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` in the meeting's zone, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=meeting.zone)


def require_open_record(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled, so nothing can be recorded in it.")
    if meeting.minutes_approved:
        raise ValidationError(
            "The minutes of this meeting are approved, so its record no longer changes."
        )


# Start, end, times ---------------------------------------------------------------------


def meeting_start(meeting: Meeting, *, actor: User, at: dt.datetime | None = None) -> Meeting:
    """Record the actual start (now by default). Pressing Start twice changes nothing."""
    require_open_record(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("This meeting has already ended.")
    if meeting.actual_start is not None:
        return meeting
    meeting.actual_start = at or timezone.now()
    try:
        save_if_unchanged(
            meeting, expected_version=meeting.version, update_fields=["actual_start"], actor=actor
        )
    except EditConflict as conflict:
        current = conflict.current
        if not isinstance(current, Meeting):
            raise ValidationError("This meeting was removed.") from conflict
        if current.actual_start is not None:
            return current  # someone else pressed Start a moment earlier
        return meeting_start(current, actor=actor, at=at)
    return meeting


def meeting_end(meeting: Meeting, *, actor: User, at: dt.datetime | None = None) -> Meeting:
    """Record the actual end (now by default); the meeting is held. Running timers stop."""
    require_open_record(meeting)
    if meeting.status == MeetingStatus.HELD:
        return meeting
    if meeting.actual_start is None:
        raise ValidationError("Start the meeting before ending it, or set both times.")
    end = at or timezone.now()
    if end <= meeting.actual_start:
        raise ValidationError(
            {
                "ended_at": "The end must be after the start "
                f"({_time(meeting.actual_start, meeting)})."
            }
        )
    with transaction.atomic():
        for item in meeting.agenda_items.filter(timer_started_at__isnull=False):
            timer_stop(item, at=end)
        meeting.actual_end = end
        meeting.status = MeetingStatus.HELD
        try:
            save_if_unchanged(
                meeting,
                expected_version=meeting.version,
                update_fields=["actual_end", "status"],
                actor=actor,
            )
        except EditConflict as conflict:
            current = conflict.current
            if isinstance(current, Meeting) and current.status == MeetingStatus.HELD:
                return current
            if not isinstance(current, Meeting):
                raise ValidationError("This meeting was removed.") from conflict
            return meeting_end(current, actor=actor, at=end)
    return meeting


def check_times(
    meeting: Meeting, *, start: dt.datetime, end: dt.datetime | None, now: dt.datetime
) -> None:
    """End after start, neither in the future, no eight-hour meetings."""
    errors: dict[str, str] = {}
    if start > now + CLOCK_TOLERANCE:
        errors["started_at"] = (
            f"The start cannot be later than now ({_time(now, meeting)}). "
            "Check the time, or start the meeting when it begins."
        )
    if end is not None:
        if end <= start:
            errors["ended_at"] = (
                f"The end must be after the start ({_time(start, meeting)}). "
                "Check both times, including AM and PM."
            )
        elif end - start > LONGEST_MEETING:
            errors["ended_at"] = (
                "That makes the meeting longer than 8 hours. Check the end time, "
                "including AM and PM."
            )
        elif end > now + CLOCK_TOLERANCE:
            errors["ended_at"] = (
                f"The end cannot be later than now ({_time(now, meeting)}). "
                "Leave it empty while the meeting is still going."
            )
    if errors:
        raise ValidationError(errors)


def meeting_set_times(
    meeting: Meeting,
    *,
    expected_version: int,
    start: dt.datetime,
    end: dt.datetime | None,
    actor: User,
) -> Meeting:
    """Correct the actual start and end. With an end the meeting is held; a held meeting
    keeps needing one."""
    require_open_record(meeting)
    check_times(meeting, start=start, end=end, now=timezone.now())
    if end is None and meeting.status == MeetingStatus.HELD:
        raise ValidationError({"ended_at": "This meeting has ended: give the time it ended."})
    meeting.actual_start = start
    meeting.actual_end = end
    if end is not None:
        meeting.status = MeetingStatus.HELD
    save_if_unchanged(
        meeting,
        expected_version=expected_version,
        update_fields=["actual_start", "actual_end", "status"],
        actor=actor,
    )
    return meeting


# Attendance ----------------------------------------------------------------------------


def attendance_set(
    meeting: Meeting,
    *,
    user: User,
    status: str | None,
    arrived_at: dt.datetime | None = None,
) -> Attendance | None:
    """Record one member's attendance. Without a status, an arrival after the start means
    late (on time otherwise); marking someone late while the meeting runs notes the
    arrival as now. No status and no arrival clears the record (returns None)."""
    require_open_record(meeting)
    existing = Attendance.objects.filter(meeting=meeting, user=user).first()
    expected = {u.pk for u in selectors.expected_members(meeting)}
    if user.pk not in expected and existing is None:
        raise ValidationError(f"{user} is not a member of {meeting.team} on this date.")
    if status and status not in AttendanceStatus.values:
        raise ValidationError({"status": "Choose on time, late, absent or excused absence."})
    reference = meeting.actual_start or meeting.scheduled_start
    if not status:
        if arrived_at is None:
            if existing is not None:
                existing.delete()
            return None
        status = AttendanceStatus.LATE if arrived_at > reference else AttendanceStatus.ON_TIME
    if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        arrived_at = None
    elif (
        status == AttendanceStatus.LATE
        and arrived_at is None
        and selectors.meeting_phase(meeting) == "running"
    ):
        arrived_at = existing.arrived_at if existing and existing.arrived_at else timezone.now()
    if arrived_at is not None and arrived_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError(
            {"arrived_at": "The arrival cannot be later than now. Check the time."}
        )
    record, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        user=user,
        defaults={"status": status, "arrived_at": arrived_at, "district_id": meeting.district_id},
    )
    return record


@transaction.atomic
def attendance_mark_rest_on_time(meeting: Meeting) -> int:
    """Everyone expected who is not marked yet is on time; returns how many were marked."""
    require_open_record(meeting)
    marked = set(
        Attendance.objects.filter(meeting=meeting, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Attendance(
            meeting=meeting,
            user=user,
            status=AttendanceStatus.ON_TIME,
            district_id=meeting.district_id,
        )
        for user in selectors.expected_members(meeting)
        if user.pk not in marked
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


def guest_add(meeting: Meeting, *, name: str) -> Attendance:
    """A guest is recorded by name and never counted in the team's attendance."""
    require_open_record(meeting)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"guest_name": "Give the guest's name."})
    if len(name) > 120:
        raise ValidationError({"guest_name": "Keep the name under 120 characters."})
    if Attendance.objects.filter(meeting=meeting, guest_name__iexact=name).exists():
        raise ValidationError({"guest_name": f"{name} is already listed as a guest."})
    return Attendance.objects.create(
        meeting=meeting,
        guest_name=name,
        status=AttendanceStatus.ON_TIME,
        district_id=meeting.district_id,
    )


# Timers ------------------------------------------------------------------------------


def _require_timer_allowed(meeting: Meeting) -> None:
    require_open_record(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("The meeting has ended, so its timers are stopped.")


def timer_start(item: AgendaItem, *, at: dt.datetime | None = None) -> list[AgendaItem]:
    """Start ``item``'s timer; any other running timer of the meeting stops first.
    Returns every item whose timer changed."""
    _require_timer_allowed(item.meeting)
    now = at or timezone.now()
    changed: list[AgendaItem] = []
    with transaction.atomic():
        others = item.meeting.agenda_items.filter(timer_started_at__isnull=False).exclude(
            pk=item.pk
        )
        for other in others:
            changed.append(timer_stop(other, at=now))
        AgendaItem.objects.filter(pk=item.pk, timer_started_at__isnull=True).update(
            timer_started_at=now, updated_at=now
        )
    item.refresh_from_db(fields=["timer_started_at", "timer_seconds"])
    return [*changed, item]


def timer_stop(item: AgendaItem, *, at: dt.datetime | None = None) -> AgendaItem:
    """Stop ``item``'s timer, adding the run to its seconds. Stopping twice is harmless."""
    now = at or timezone.now()
    with transaction.atomic():
        row = (
            AgendaItem.objects.select_for_update()
            .filter(pk=item.pk)
            .values("timer_started_at")
            .first()
        )
        started = row["timer_started_at"] if row else None
        if started is not None:
            ran = max(0, int((now - started).total_seconds()))
            AgendaItem.objects.filter(pk=item.pk, timer_started_at=started).update(
                timer_started_at=None, timer_seconds=F("timer_seconds") + ran, updated_at=now
            )
    item.refresh_from_db(fields=["timer_started_at", "timer_seconds"])
    return item


# Notes and item status -----------------------------------------------------------------


def notes_save(item: AgendaItem, expected_version: int, text: str, actor: User) -> AgendaItem:
    """Save the recorder's notes if nobody saved the item since ``expected_version``;
    otherwise :class:`EditConflict` (with the item as saved now). ``item`` carries the
    text either way, so a conflict report can show both."""
    require_open_record(item.meeting)
    text = text.replace("\r\n", "\n")
    if len(text) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {
                "notes": f"Notes are limited to {NOTES_MAX_LENGTH:,} characters; "
                f"these have {len(text):,}. Split them over the agenda items."
            }
        )
    item.notes = text
    save_if_unchanged(item, expected_version=expected_version, update_fields=["notes"], actor=actor)
    return item


def item_set_status(item: AgendaItem, *, status: str) -> AgendaItem:
    """Done, or unfinished (carried forward to the next agenda), or back to planned."""
    require_open_record(item.meeting)
    if status not in AgendaItemStatus.values:
        raise ValidationError({"status": "Choose done or unfinished."})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item


# Decisions -----------------------------------------------------------------------------


def check_decision(
    meeting: Meeting,
    *,
    text: str,
    affected_teams: Sequence[Team],
    must_communicate: bool,
    confidential: bool,
    agenda_item: AgendaItem | None,
) -> None:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Write down what was decided."
    allowed = set(selectors.affected_team_choices(meeting.team).values_list("pk", flat=True))
    outside = [team for team in affected_teams if team.pk not in allowed]
    if outside:
        errors["affected_teams"] = (
            f"{outside[0]} is not an instructional team of this school. Choose from the list."
        )
    elif must_communicate and not affected_teams:
        errors["affected_teams"] = (
            "Choose the teams that must hear about this decision, or untick “must be communicated”."
        )
    if must_communicate and confidential:
        errors["confidential"] = (
            "A confidential decision cannot also be carried back to teams. Untick one of the two."
        )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = "Choose an item of this meeting's agenda."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_save(
    meeting: Meeting,
    *,
    text: str,
    affected_teams: Sequence[Team],
    must_communicate: bool,
    confidential: bool,
    actor: User,
    agenda_item: AgendaItem | None = None,
    decision: Decision | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Record a decision (or change ``decision``, conflict-safe from ``expected_version``).

    One that must be communicated gets its report-back tasks; a team taken off the list
    loses its task unless it was already carried back."""
    require_open_record(meeting)
    check_decision(
        meeting,
        text=text,
        affected_teams=affected_teams,
        must_communicate=must_communicate,
        confidential=confidential,
        agenda_item=agenda_item,
    )
    if decision is None:
        decision = Decision(meeting=meeting)
        decision.text = text.strip()
        decision.must_communicate = must_communicate
        decision.confidential = confidential
        decision.agenda_item = agenda_item
        decision.save()
    else:
        if decision.meeting_id != meeting.pk:
            raise ValidationError("This decision belongs to another meeting.")
        decision.text = text.strip()
        decision.must_communicate = must_communicate
        decision.confidential = confidential
        decision.agenda_item = agenda_item
        save_if_unchanged(
            decision,
            expected_version=expected_version if expected_version is not None else 0,
            update_fields=["text", "must_communicate", "confidential", "agenda_item"],
            actor=actor,
        )
    decision.affected_teams.set(affected_teams)
    keep = [team.pk for team in affected_teams] if must_communicate else []
    ReportBack.objects.filter(decision=decision, shared_on__isnull=True).exclude(
        team_id__in=keep
    ).delete()
    report_backs_create(decision)
    return decision


# Action items --------------------------------------------------------------------------


def check_action(
    meeting: Meeting,
    *,
    description: str,
    owner: User | None,
    due_on: dt.date | None,
    meeting_day: dt.date | None = None,
) -> None:
    day = meeting_day or selectors.held_on(meeting)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Say what needs doing."
    if owner is None:
        errors["owner"] = "Choose who owns it."
    else:
        problem = selectors.owner_problem(meeting.team, owner)
        if problem:
            errors["owner"] = problem
    if due_on is None:
        errors["due_on"] = "Give a due date."
    elif due_on < day:
        errors["due_on"] = (
            f"The due date cannot be before the meeting ({_day(day)}). "
            "Choose that day or a later one."
        )
    if errors:
        raise ValidationError(errors)


def action_create(
    meeting: Meeting,
    *,
    description: str,
    owner: User,
    due_on: dt.date,
    confidential: bool = False,
    agenda_item: AgendaItem | None = None,
    meeting_day: dt.date | None = None,
) -> ActionItem:
    """A follow-up someone owns. The owner must be on the school's (district's) staff or
    on the team; one who is not on the team is allowed (see
    :func:`leadhub.meetings.selectors.owner_warning`)."""
    require_open_record(meeting)
    check_action(
        meeting, description=description, owner=owner, due_on=due_on, meeting_day=meeting_day
    )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item of this meeting's agenda."})
    action = ActionItem(
        team=meeting.team,
        meeting=meeting,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        confidential=confidential,
        agenda_item=agenda_item,
    )
    action.save()
    return action


def action_set_status(
    action: ActionItem,
    *,
    status: str,
    expected_version: int,
    actor: User,
    reviewed_in: Meeting | None = None,
) -> ActionItem:
    """Mark an action item done, dropped or still open, conflict-safe. Reviewed at a later
    meeting of its team, it records that meeting as where it was last reviewed."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose done, dropped or still open."})
    fields = ["status", "completed_on"]
    if reviewed_in is not None:
        if reviewed_in.team_id != action.team_id:
            raise ValidationError("Review an action item at a meeting of its own team.")
        action.last_reviewed_in = reviewed_in
        fields.append("last_reviewed_in")
    zone = action.meeting.zone
    action.status = status
    action.completed_on = (
        timezone.now().astimezone(zone).date() if status == ActionStatus.DONE else None
    )
    save_if_unchanged(action, expected_version=expected_version, update_fields=fields, actor=actor)
    return action


# Logging a meeting after the fact ------------------------------------------------------


@dataclass(frozen=True)
class DecisionDraft:
    text: str
    affected_teams: list[Team] = field(default_factory=list)
    must_communicate: bool = False
    confidential: bool = False


@dataclass(frozen=True)
class ActionDraft:
    description: str
    owner: User
    due_on: dt.date
    confidential: bool = False


def check_log_date(meeting_or_team: Meeting | Team, day: dt.date) -> None:
    zone = meeting_or_team.zone if isinstance(meeting_or_team, Meeting) else None
    today = timezone.now().astimezone(zone).date() if zone else timezone.localdate()
    if day > today:
        raise ValidationError(
            {
                "held_on": "A meeting can be logged only once it has happened: "
                "choose today or an earlier date."
            }
        )


@transaction.atomic
def meeting_log(
    *,
    team: Team,
    held_on: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    attendance: Mapping[int, str],
    decisions: Iterable[DecisionDraft],
    actions: Iterable[ActionDraft],
    actor: User,
    meeting: Meeting | None = None,
    expected_version: int | None = None,
    location: str = "",
) -> Meeting:
    """Record a meeting from paper notes: its times, quick attendance (user id → status,
    "" to leave unrecorded), decisions and action items. Logs ``meeting`` when given (a
    scheduled meeting that passed unrecorded), else creates a held meeting of ``team``."""
    if meeting is not None and meeting.team_id != team.pk:
        raise ValidationError("This meeting belongs to another team.")
    probe = meeting or Meeting(team=team, scheduled_start=timezone.now())
    if meeting is not None:
        require_open_record(meeting)
        if meeting.status == MeetingStatus.HELD and not meeting.logged_after:
            raise ValidationError("This meeting was recorded live; change it on its page.")
    check_log_date(probe, held_on)
    start = local_moment(probe, held_on, start_time)
    end = local_moment(probe, held_on, end_time)
    check_times(probe, start=start, end=end, now=timezone.now())

    if meeting is None:
        clash = (
            Meeting.objects.filter(team=team)
            .exclude(status=MeetingStatus.CANCELLED)
            .filter(
                scheduled_start__gte=local_moment(probe, held_on, dt.time.min),
                scheduled_start__lt=local_moment(
                    probe, held_on + dt.timedelta(days=1), dt.time.min
                ),
            )
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "held_on": f"{team} already has a meeting on {_day(held_on)}. "
                    "Log that meeting instead (it is listed on this page)."
                }
            )
        minutes = int((end - start).total_seconds() // 60)
        meeting = Meeting(
            team=team,
            scheduled_start=start,
            scheduled_minutes=min(max(minutes, 5), 480),
            location=location.strip()[:120],
            status=MeetingStatus.HELD,
            actual_start=start,
            actual_end=end,
            logged_after=True,
        )
        meeting.save()
    else:
        meeting.actual_start = start
        meeting.actual_end = end
        meeting.status = MeetingStatus.HELD
        meeting.logged_after = True
        fields = ["actual_start", "actual_end", "status", "logged_after"]
        if location.strip():
            meeting.location = location.strip()[:120]
            fields.append("location")
        save_if_unchanged(
            meeting,
            expected_version=expected_version if expected_version is not None else 0,
            update_fields=fields,
            actor=actor,
        )

    for user_id, status in attendance.items():
        user = User.objects.filter(pk=user_id).first()
        if user is not None:
            attendance_set(meeting, user=user, status=status or None)
    for draft in decisions:
        decision_save(
            meeting,
            text=draft.text,
            affected_teams=draft.affected_teams,
            must_communicate=draft.must_communicate,
            confidential=draft.confidential,
            actor=actor,
        )
    for action in actions:
        action_create(
            meeting,
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            confidential=action.confidential,
            meeting_day=held_on,
        )
    return meeting
