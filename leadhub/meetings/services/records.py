"""Records out and follow-through: minutes (approval, sending), action items, report-back
coverage. Views gate with :mod:`leadhub.meetings.access` and pass the querysets a reader may
see; this module never decides who may read what, except for the emailed minutes, which
leave every confidential record out whoever receives them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.lib.email import render_email
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    IntakeItem,
    Meeting,
    ReportBack,
)
from leadhub.orgs.models import Membership
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.teams.models import Team, TeamMembership

MINUTES_EMAIL = "meetings/email/minutes"


def team_today(team: Team) -> dt.date:
    """Today where the team meets (its district's zone, or its hub's state's)."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(team.time_zone))


# Minutes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSummary:
    """Who came: members counted by status, guests listed by name and never counted."""

    on_time: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[str]:
        return sorted([*self.on_time, *self.late])

    @property
    def counted(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.absent) + len(self.excused)

    @property
    def recorded(self) -> bool:
        return self.counted > 0 or bool(self.guests)


def attendance_summary(rows: Iterable[Attendance]) -> AttendanceSummary:
    summary = AttendanceSummary()
    by_status = {
        AttendanceStatus.ON_TIME: summary.on_time,
        AttendanceStatus.LATE: summary.late,
        AttendanceStatus.ABSENT: summary.absent,
        AttendanceStatus.EXCUSED: summary.excused,
    }
    for row in rows:
        if row.is_guest:
            summary.guests.append(row.guest_name)
        elif row.user is not None:
            by_status[AttendanceStatus(row.status)].append(str(row.user))
    for names in (*by_status.values(), summary.guests):
        names.sort(key=str.lower)
    return summary


class CoverageState(StrEnum):
    SHARED = "shared"
    PENDING = "pending"
    OVERDUE = "overdue"
    NO_CARRIER = "no_carrier"


@dataclass(frozen=True)
class TeamCoverage:
    """Whether one decision reached one affected team."""

    team: Team
    report: ReportBack | None
    state: CoverageState

    @property
    def gap(self) -> bool:
        """Nobody represents the team on the deciding team: its lead, the principal or
        no one carries the decision instead."""
        return self.report is None or not self.report.via_representative

    @property
    def label(self) -> str:
        return {
            CoverageState.SHARED: "Shared",
            CoverageState.PENDING: "Not yet shared",
            CoverageState.OVERDUE: "Overdue",
            CoverageState.NO_CARRIER: "No one to carry it",
        }[self.state]


def team_coverage(decision: Decision, *, today: dt.date) -> list[TeamCoverage]:
    """Each affected team of a decision to communicate, with its report-back's state.

    Reads ``decision.affected_teams`` and ``decision.report_backs`` (prefetch both)."""
    if not decision.must_communicate:
        return []
    reports = {report.team_id: report for report in decision.report_backs.all()}
    found = []
    for team in sorted(decision.affected_teams.all(), key=lambda t: t.name.lower()):
        report = reports.get(team.pk)
        if report is None:
            state = CoverageState.NO_CARRIER
        elif report.is_done:
            state = CoverageState.SHARED
        elif report.due_on < today:
            state = CoverageState.OVERDUE
        else:
            state = CoverageState.PENDING
        found.append(TeamCoverage(team=team, report=report, state=state))
    return found


@dataclass(frozen=True)
class MinutesDecision:
    decision: Decision
    coverage: list[TeamCoverage]

    @property
    def shared_count(self) -> int:
        return sum(1 for c in self.coverage if c.state == CoverageState.SHARED)


@dataclass(frozen=True)
class MinutesItem:
    item: AgendaItem
    notes: str


@dataclass(frozen=True)
class Minutes:
    """Everything a reader may see of one meeting's record, laid out for the minutes."""

    meeting: Meeting
    approved: bool
    notes_shown: bool
    local_start: dt.datetime
    local_end: dt.datetime
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    attendance: AttendanceSummary
    items: list[MinutesItem]
    decisions: list[MinutesDecision]
    actions: list[ActionItem]
    today: dt.date

    @property
    def team(self) -> Team:
        return self.meeting.team

    @property
    def has_confidential(self) -> bool:
        """Whether this copy holds anything the team marked confidential."""
        return (
            any(entry.item.confidential for entry in self.items)
            or any(row.decision.confidential for row in self.decisions)
            or any(action.confidential for action in self.actions)
        )

    @property
    def roles(self) -> list[tuple[str, User | None]]:
        m = self.meeting
        return [
            ("Facilitator", m.facilitator),
            ("Recorder", m.recorder),
            ("Timekeeper", m.timekeeper),
        ]


def minutes_build(
    meeting: Meeting,
    *,
    agenda_items: QuerySet[AgendaItem],
    decisions: QuerySet[Decision],
    actions: QuerySet[ActionItem],
    notes_shown: bool,
    today: dt.date | None = None,
) -> Minutes:
    """The minutes of ``meeting`` from the records a reader may see (the querysets come
    from the access gate: visible_agenda_items, visible_decisions, visible_action_items).
    Notes are left out unless ``notes_shown``. Five queries, whatever the meeting's size."""
    zone = meeting.zone
    day = today or team_today(meeting.team)
    attendance = attendance_summary(meeting.attendance.select_related("user"))
    items = [
        MinutesItem(item=item, notes=item.notes if notes_shown else "")
        for item in agenda_items.select_related("presenter").order_by("position", "pk")
    ]
    decision_rows = decisions.select_related("agenda_item").prefetch_related(
        Prefetch("affected_teams", queryset=Team.objects.order_by("name")),
        Prefetch("report_backs", queryset=ReportBack.objects.select_related("assignee")),
    )
    return Minutes(
        meeting=meeting,
        approved=meeting.minutes_approved,
        notes_shown=notes_shown,
        local_start=meeting.scheduled_start.astimezone(zone),
        local_end=meeting.scheduled_end.astimezone(zone),
        actual_start=meeting.actual_start.astimezone(zone) if meeting.actual_start else None,
        actual_end=meeting.actual_end.astimezone(zone) if meeting.actual_end else None,
        attendance=attendance,
        items=items,
        decisions=[
            MinutesDecision(decision=d, coverage=team_coverage(d, today=day))
            for d in decision_rows.order_by("pk")
        ],
        actions=list(actions.select_related("owner").order_by("due_on", "pk")),
        today=day,
    )


def public_minutes(meeting: Meeting) -> Minutes:
    """The approved minutes as every staff member of the school may read them, with no
    confidential item, decision or action item at all (the emailed version)."""
    return minutes_build(
        meeting,
        agenda_items=meeting.agenda_items.filter(confidential=False),
        decisions=meeting.decisions.filter(confidential=False),
        actions=meeting.action_items.filter(confidential=False),
        notes_shown=meeting.minutes_approved,
    )


def minutes_recipients(meeting: Meeting, *, on: dt.date | None = None) -> list[User]:
    """Who receives approved minutes: the team's current members and, for an ILT, every
    current staff member of its school (the ILT's work is meant to reach the faculty)."""
    team = meeting.team
    day = on or team_today(team)
    condition = Q(pk__in=TeamMembership.objects.active_on(day).filter(team=team).values("user_id"))
    if team.is_ilt and team.school_id is not None:
        condition |= Q(
            pk__in=Membership.objects.active_on(day)
            .filter(school_id=team.school_id)
            .values("user_id")
        )
    return list(User.objects.filter(condition, is_active=True).order_by("full_name", "pk"))


def minutes_approve(
    meeting: Meeting, *, by: User, expected_version: int, request: HttpRequest | None = None
) -> None:
    """Approve a held meeting's minutes (conflict-safe against ``expected_version``: raises
    EditConflict when the meeting changed since the approver opened it)."""
    if not meeting.is_held:
        raise ValidationError("Minutes can be approved once the meeting has been held.")
    if meeting.minutes_approved:
        raise ValidationError("These minutes are already approved.")
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = by
    save_if_unchanged(
        meeting,
        expected_version=expected_version,
        update_fields=["minutes_approved_at", "minutes_approved_by"],
        actor=by,
    )
    audit_record(
        action="meeting.minutes_approve",
        actor=by,
        object_type="meeting",
        object_id=meeting.pk,
        district_id=meeting.district_id,
        request=request,
    )


def minutes_send(meeting: Meeting, *, by: User, request: HttpRequest | None = None) -> int:
    """Email the approved minutes, without anything confidential, to each recipient on
    their own (addresses are never shown to one another). Returns how many were sent."""
    if not meeting.minutes_approved:
        raise ValidationError("Approve the minutes before sending them.")
    recipients = [u for u in minutes_recipients(meeting) if u.email]
    minutes = public_minutes(meeting)
    path = reverse("meetings:minutes", args=[meeting.pk])
    subject, text, html = render_email(
        MINUTES_EMAIL,
        {
            "minutes": minutes,
            "meeting": meeting,
            "sent_by": by,
            "minutes_url": f"{settings.SITE_URL}{path}",
            "site_url": settings.SITE_URL,
        },
    )
    messages = []
    for person in recipients:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
            reply_to=[by.email] if by.email else [],
        )
        message.attach_alternative(html, "text/html")
        messages.append(message)
    with mailers.default as connection:  # one connection for every message
        connection.send_messages(messages)
    # Sending is not an edit of the record: the version stays, so nobody's open edit of
    # the meeting is refused because the minutes went out meanwhile.
    sent_at = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_at=sent_at)
    meeting.minutes_sent_at = sent_at
    audit_record(
        action="meeting.minutes_send",
        actor=by,
        object_type="meeting",
        object_id=meeting.pk,
        district_id=meeting.district_id,
        request=request,
    )
    return len(messages)


# Action items --------------------------------------------------------------------------


class ActionFilter(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    ALL = "all"


def actions_filtered(
    actions: QuerySet[ActionItem], *, show: str, owner_id: int | None, today: dt.date
) -> QuerySet[ActionItem]:
    if show == ActionFilter.OPEN:
        actions = actions.filter(status=ActionStatus.OPEN)
    elif show == ActionFilter.OVERDUE:
        actions = actions.filter(status=ActionStatus.OPEN, due_on__lt=today)
    elif show == ActionFilter.DONE:
        actions = actions.filter(status=ActionStatus.DONE)
    if owner_id is not None:
        actions = actions.filter(owner_id=owner_id)
    return actions


def action_owner_candidates(team: Team, *, on: dt.date) -> QuerySet[User]:
    """Who may own a team's action item: the school's current staff (the district's for a
    district team; the members for a cross-school team)."""
    if team.school_id is not None:
        staff = Membership.objects.active_on(on).filter(school_id=team.school_id)
    elif team.district_id is not None:
        staff = Membership.objects.active_on(on).filter(district_id=team.district_id)
    else:
        staff = TeamMembership.objects.active_on(on).filter(team=team)
    return User.objects.filter(pk__in=staff.values("user_id"), is_active=True).order_by(
        "full_name", "pk"
    )


def action_owner_is_member(action: ActionItem, *, on: dt.date) -> bool:
    return (
        TeamMembership.objects.active_on(on).filter(team=action.team_id, user=action.owner_id)
    ).exists()


def action_stamp_completion(action: ActionItem, *, previous_status: str, today: dt.date) -> None:
    """Done records the day it was done (kept when it was done already); reopening or
    dropping clears it."""
    if action.status != ActionStatus.DONE:
        action.completed_on = None
    elif previous_status != ActionStatus.DONE or action.completed_on is None:
        action.completed_on = today


ACTION_EDIT_FIELDS = ["description", "owner", "due_on", "status", "completed_on"]


def action_update(action: ActionItem, *, expected_version: int, actor: User) -> None:
    """Save an edited action item unless someone else saved it first (EditConflict)."""
    save_if_unchanged(
        action, expected_version=expected_version, update_fields=ACTION_EDIT_FIELDS, actor=actor
    )


# Report-backs --------------------------------------------------------------------------

REPORT_BACK_FIELDS = ["shared_on", "channel", "team_response"]


def intake_title(report: ReportBack) -> str:
    decision = " ".join(report.decision.text.split())
    if len(decision) > 120:
        decision = decision[:119].rstrip() + "…"
    return f"What {report.team.name} said about “{decision}”"[:200]


@transaction.atomic
def report_back_record(
    report: ReportBack, *, expected_version: int, send_to_intake: bool, actor: User
) -> IntakeItem | None:
    """Save when and how a decision was shared and what the team said (conflict-safe), and
    when asked, put what the team said into the deciding team's intake queue (once)."""
    save_if_unchanged(
        report, expected_version=expected_version, update_fields=REPORT_BACK_FIELDS, actor=actor
    )
    if not send_to_intake or not report.team_response.strip():
        return None
    existing = report.intake_items.order_by("pk").first()
    if existing is not None:
        return existing
    deciding = report.decision.meeting.team
    return IntakeItem.objects.create(
        team=deciding,
        proposed_by=report.assignee,
        from_team=report.team,
        report_back=report,
        title=intake_title(report),
        details=report.team_response.strip(),
    )


# Coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionCoverage:
    decision: Decision
    teams: list[TeamCoverage]


@dataclass(frozen=True)
class Coverage:
    """Which decisions to communicate reached which teams, over one school year."""

    year: int
    rows: list[DecisionCoverage]

    def _count(self, state: CoverageState) -> int:
        return sum(1 for row in self.rows for t in row.teams if t.state == state)

    @property
    def total(self) -> int:
        return sum(len(row.teams) for row in self.rows)

    @property
    def done(self) -> int:
        return self._count(CoverageState.SHARED)

    @property
    def overdue(self) -> int:
        return self._count(CoverageState.OVERDUE)

    @property
    def pending(self) -> int:
        return self._count(CoverageState.PENDING)

    @property
    def no_carrier(self) -> int:
        return self._count(CoverageState.NO_CARRIER)

    @property
    def gap_teams(self) -> list[Team]:
        """Affected teams without a representative on the deciding team (each once)."""
        seen: dict[int, Team] = {}
        for row in self.rows:
            for t in row.teams:
                if t.gap:
                    seen.setdefault(t.team.pk, t.team)
        return sorted(seen.values(), key=lambda team: team.name.lower())


def school_year_span(team: Team, year: int) -> tuple[dt.datetime, dt.datetime]:
    """The school year as aware instants in the team's zone: [first day, day after last)."""
    zone = zoneinfo.ZoneInfo(team.time_zone)
    first, last = school_year_bounds(year)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def coverage_build(
    team: Team, decisions: QuerySet[Decision], *, year: int, today: dt.date
) -> Coverage:
    """Coverage of the team's decisions to communicate held in ``year``, most recent
    first. ``decisions`` is what the reader may see (visible_decisions). Three queries."""
    start, end = school_year_span(team, year)
    rows = (
        decisions.filter(
            meeting__team=team,
            must_communicate=True,
            meeting__scheduled_start__gte=start,
            meeting__scheduled_start__lt=end,
        )
        .select_related("meeting")
        .prefetch_related(
            "affected_teams",
            Prefetch("report_backs", queryset=ReportBack.objects.select_related("assignee")),
        )
        .order_by("-meeting__scheduled_start", "-pk")
    )
    return Coverage(
        year=year,
        rows=[DecisionCoverage(decision=d, teams=team_coverage(d, today=today)) for d in rows],
    )
