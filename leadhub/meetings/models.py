"""Meetings and what teams record in them: series, agendas, attendance, notes, decisions,
action items, report-backs to instructional teams, the ILT's intake queue, calendar feeds.

Every row carries the team's ``district`` (empty only for cross-school teams), so district
scoping, export and purge stay one indexed condition.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import TimeStamped
from leadhub.lib.concurrency import Versioned
from leadhub.teams.models import Team

DEFAULT_MEETING_MINUTES = 90
DEFAULT_INTERVAL_WEEKS = 2


class TeamRecord(TimeStamped):
    """A row that belongs to one team's work and carries that team's district."""

    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


@track_history
class MeetingSeries(Versioned, TeamRecord):
    """How often a team meets: every ``interval_weeks`` weeks on a weekday, or on given
    weeks of each month (``week_ordinals`` "1,3" is the 1st and 3rd; "-1" the last)."""

    class Pattern(models.TextChoices):
        EVERY_N_WEEKS = "weekly", "Every few weeks on a weekday"
        MONTHLY = "monthly", "Given weeks of each month"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="series")
    pattern = models.CharField(max_length=8, choices=Pattern.choices, default=Pattern.EVERY_N_WEEKS)
    interval_weeks = models.PositiveSmallIntegerField(
        "every (weeks)",
        default=DEFAULT_INTERVAL_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    week_ordinals = models.CharField(
        "weeks of the month",
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(
                r"^(-1|[1-4])(,(-1|[1-4]))*$",
                "List weeks of the month as numbers 1–4 (or -1 for the last), e.g. 1,3.",
            )
        ],
    )
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        default=DEFAULT_MEETING_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    first_date = models.DateField("from")
    until = models.DateField(null=True, blank=True, help_text="Empty: through the school year.")
    location = models.CharField(max_length=120, blank=True)
    skip_non_instructional = models.BooleanField(
        "skip days the district calendar marks as non-instructional", default=True
    )

    class Meta:
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("first_date")),
                name="series_until_after_first_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} meetings"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


@track_history
class Meeting(Versioned, TeamRecord):
    """One meeting. A held meeting is a record: its series never changes it again."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # The series date this meeting stands for; kept when the meeting is moved on its own,
    # so a later edit of the series knows which slot is taken.
    series_date = models.DateField(null=True, blank=True, editable=False)
    # Stable across moves and cancellations: the calendar feed's UID.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The iCalendar SEQUENCE: raised whenever the time, place or status changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    title = models.CharField(max_length=160, blank=True)
    scheduled_start = models.DateTimeField()
    scheduled_minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        default=DEFAULT_MEETING_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    location = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Moved or edited on its own: later edits of the series leave it alone.
    detached = models.BooleanField(default=False, editable=False)
    cancellation_note = models.CharField(max_length=200, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Logged after the fact (from paper notes) rather than recorded live.
    logged_after = models.BooleanField(default=False)
    # When this meeting's agenda was first drafted (team health reads "built ahead").
    agenda_drafted_at = models.DateTimeField(null=True, blank=True)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gt=models.F("actual_start")),
                name="meeting_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["team", "scheduled_start"]),
            models.Index(fields=["district", "scheduled_start"]),
            models.Index(fields=["series", "status"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.team} meeting"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.team.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.team.time_zone)

    @property
    def local_start(self) -> dt.datetime:
        return self.scheduled_start.astimezone(self.zone)

    @property
    def date(self) -> dt.date:
        """The meeting's date where it is held."""
        return self.local_start.date()

    @property
    def scheduled_end(self) -> dt.datetime:
        return self.scheduled_start + dt.timedelta(minutes=self.scheduled_minutes)

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return round((self.actual_end - self.actual_start).total_seconds() / 60)


class AttendanceStatus(models.TextChoices):
    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused absence"


class Attendance(TeamRecord):
    """Who came and when. Guests are recorded by name and never counted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=8, choices=AttendanceStatus.choices)
    arrived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "guest_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="one_attendance_per_member_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_name="")
                | Q(user__isnull=True) & ~Q(guest_name=""),
                name="attendance_is_a_member_or_a_named_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.guest_name}: {self.get_status_display()}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class AgendaKind(models.TextChoices):
    LOOKING_AT_STUDENT_WORK = "student_work", "Looking at student work"
    DATA_REVIEW = "data_review", "Data review"
    PROFESSIONAL_LEARNING = "professional_learning", "Professional learning"
    GOAL_MONITORING = "goal_monitoring", "Goal monitoring"
    TEACHER_ISSUE = "teacher_issue", "Issue raised by teachers"
    FOLLOW_UP = "follow_up", "Follow-up"
    INFORMATION = "information", "Information"


INSTRUCTIONAL_KINDS = frozenset(
    {
        AgendaKind.LOOKING_AT_STUDENT_WORK,
        AgendaKind.DATA_REVIEW,
        AgendaKind.PROFESSIONAL_LEARNING,
        AgendaKind.GOAL_MONITORING,
    }
)


class AgendaItemStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    UNFINISHED = "unfinished", "Unfinished: carry forward"


@track_history
class AgendaItem(Versioned, TeamRecord):
    """One item of a meeting's agenda, with the recorder's notes and the timer's record.

    The timer runs in the browser; only its starts and stops reach the server:
    ``timer_started_at`` while it runs, ``timer_seconds`` accumulated over stops.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=AgendaKind.choices)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_allotted = models.PositiveSmallIntegerField(
        "minutes", default=10, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    details = models.TextField(blank=True, help_text="What members should read or bring.")
    notes = models.TextField("notes", blank=True)
    confidential = models.BooleanField(
        default=False, help_text="Only the team's members and the principal can read it."
    )
    status = models.CharField(
        max_length=10, choices=AgendaItemStatus.choices, default=AgendaItemStatus.PLANNED
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    timer_started_at = models.DateTimeField(null=True, blank=True)
    timer_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["meeting", "position"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.meeting.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_instructional(self) -> bool:
        return self.kind in INSTRUCTIONAL_KINDS


@track_history
class Decision(Versioned, TeamRecord):
    """What a team decided; one that must be communicated sends report-back tasks to the
    representatives of the instructional teams it affects."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField("what was decided")
    affected_teams = models.ManyToManyField(
        Team, blank=True, related_name="affecting_decisions", verbose_name="teams it affects"
    )
    must_communicate = models.BooleanField("must be communicated to those teams", default=False)
    confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.meeting.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


@track_history
class ActionItem(Versioned, TeamRecord):
    """A follow-up someone owns. Open items are reviewed at the top of the next meeting."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    description = models.CharField("what", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField("due")
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    confidential = models.BooleanField(default=False)
    last_reviewed_in = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviewed_actions"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.team.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class ReportBackChannel(models.TextChoices):
    TEAM_MEETING = "team_meeting", "At a team meeting"
    EMAIL = "email", "By email"
    CONVERSATION = "conversation", "In conversation"
    OTHER = "other", "Another way"


@track_history
class ReportBack(Versioned, TeamRecord):
    """Carrying one decision back to one instructional team, and what that team said.

    ``assignee`` is the team's representative on the deciding team; where the team has
    none, its lead or the principal, and ``via_representative`` is False (a composition gap).
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="report_backs")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="report_backs")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_backs"
    )
    via_representative = models.BooleanField(default=True)
    due_on = models.DateField("due")
    shared_on = models.DateField("shared on", null=True, blank=True)
    channel = models.CharField("how", max_length=14, choices=ReportBackChannel.choices, blank=True)
    team_response = models.TextField("what the team said back", blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "team"], name="one_report_back_per_team")
        ]
        indexes = [models.Index(fields=["assignee", "shared_on"])]

    def __str__(self) -> str:
        return f"Report “{self.decision}” to {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:report_back", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.decision.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_done(self) -> bool:
        return self.shared_on is not None


class IntakeStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for the team"
    ACCEPTED = "accepted", "On an agenda"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


@track_history
class IntakeItem(Versioned, TeamRecord):
    """An issue proposed to a team (usually the ILT) by someone on a team it serves; the
    team puts it on an agenda or answers it, and the proposer sees which."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="intake_items")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_items"
    )
    from_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals_sent"
    )
    title = models.CharField("issue", max_length=200)
    details = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.SUBMITTED
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="intake"
    )
    report_back = models.ForeignKey(
        ReportBack, on_delete=models.SET_NULL, null=True, blank=True, related_name="intake_items"
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.team.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class FeedLink(models.Model):
    """A secret, revocable calendar link: one person's feed of one team, or of all their
    teams when ``team`` is empty. Only a hash of the secret is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_links"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="feed_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar link of {self.user} for {self.team or 'all teams'}"


class DigestDelivery(models.Model):
    """One person's daily digest of due and overdue items, sent once per local date."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    item_count = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.local_date}"
