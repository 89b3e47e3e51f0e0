"""Fair rotation of a meeting's roles: facilitator, recorder and timekeeper.

Teams that share leadership rotate these roles from meeting to meeting, so LeadHub
suggests, for each role in turn (facilitator, then recorder, then timekeeper), the
member expected at the meeting who has

1. served least in that role over the team's held meetings before this one,
2. then served least recently (never ranks first, then the oldest last date),
3. then comes first by full name (case-insensitive), then by account number.

Hard rules come before that order: nobody gets two roles at one meeting; nobody is
suggested for the role they held at the previous held meeting unless no one else is
free; the school's principal is suggested to facilitate only when no other member is.

The ranking (:func:`suggest_roles`) is pure; :func:`rotation_for` and
:func:`role_history_for` gather what it needs in a fixed handful of queries, however
long the team's history.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Exists, OuterRef, Value

from leadhub.accounts.models import User
from leadhub.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from leadhub.orgs.models import Membership, Role
from leadhub.teams.models import MemberRole, Team, TeamMembership

RoleName = Literal["facilitator", "recorder", "timekeeper"]
# The order roles are filled in: the facilitator is chosen from everyone first.
ROLES: tuple[RoleName, ...] = ("facilitator", "recorder", "timekeeper")
ROLE_LABELS: dict[RoleName, str] = {
    "facilitator": "Facilitator",
    "recorder": "Recorder",
    "timekeeper": "Timekeeper",
}
TIE_RULE = "Ties go alphabetically by name."
ORDER_RULE = (
    "For each role, in the order facilitator, recorder, timekeeper, LeadHub suggests the "
    "member expected at this meeting who has served least in that role, then least "
    "recently. Nobody gets two roles, nobody holds the same role twice running when "
    "someone else is free, and the principal facilitates only when no one else can. " + TIE_RULE
)

# How each role reads in a reason: (served n times, never served).
_SERVED: dict[RoleName, tuple[str, str]] = {
    "facilitator": ("Has facilitated", "Has not yet facilitated"),
    "recorder": ("Has been recorder", "Has not yet been recorder"),
    "timekeeper": ("Has been timekeeper", "Has not yet been timekeeper"),
}


@dataclass(frozen=True)
class Candidate:
    """A member expected at the meeting."""

    user_id: int
    name: str
    is_principal: bool = False

    @property
    def name_key(self) -> tuple[str, int]:
        return (self.name.casefold(), self.user_id)


@dataclass(frozen=True)
class PastMeeting:
    """Who held each role at one held meeting, and its date where it was held."""

    meeting_id: int
    on: dt.date
    facilitator_id: int | None = None
    recorder_id: int | None = None
    timekeeper_id: int | None = None

    def holder(self, role: RoleName) -> int | None:
        holder: int | None = getattr(self, f"{role}_id")
        return holder


@dataclass(frozen=True)
class Service:
    """How often a person held one role, and when last."""

    count: int = 0
    last_on: dt.date | None = None

    def rank(self) -> tuple[int, int, dt.date]:
        """Fewer first; among equals, never served first, then the oldest last date."""
        if self.last_on is None:
            return (self.count, 0, dt.date.min)
        return (self.count, 1, self.last_on)


NEVER = Service()


@dataclass(frozen=True)
class Suggestion:
    role: RoleName
    candidate: Candidate | None
    service: Service
    reason: str

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def user_id(self) -> int | None:
        return self.candidate.user_id if self.candidate else None


def tally(history: Iterable[PastMeeting]) -> dict[RoleName, dict[int, Service]]:
    """Each role's count and last date per person over ``history``."""
    counts: dict[RoleName, dict[int, Service]] = {role: {} for role in ROLES}
    for meeting in history:
        for role in ROLES:
            holder = meeting.holder(role)
            if holder is None:
                continue
            before = counts[role].get(holder, NEVER)
            last = meeting.on if before.last_on is None else max(before.last_on, meeting.on)
            counts[role][holder] = Service(count=before.count + 1, last_on=last)
    return counts


def short_date(day: dt.date, *, reference: dt.date | None = None) -> str:
    """3 Oct; with the year when it is not the reference date's year."""
    text = f"{day.day} {day:%b}"
    if reference is not None and day.year != reference.year:
        text += f" {day.year}"
    return text


def describe(role: RoleName, service: Service, *, reference: dt.date | None = None) -> str:
    """“Has facilitated 1 time, last on 3 Oct” or “Has not yet been recorder”."""
    served, never = _SERVED[role]
    if service.count == 0 or service.last_on is None:
        return never
    times = "time" if service.count == 1 else "times"
    return (
        f"{served} {service.count} {times}, last on "
        f"{short_date(service.last_on, reference=reference)}"
    )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[int, Candidate] = {}
    for candidate in candidates:
        kept = seen.get(candidate.user_id)
        if kept is None or (candidate.is_principal and not kept.is_principal):
            seen[candidate.user_id] = candidate
    return list(seen.values())


def suggest_roles(
    candidates: Iterable[Candidate],
    history: Iterable[PastMeeting],
    *,
    on: dt.date | None = None,
) -> list[Suggestion]:
    """One suggestion per role, in :data:`ROLES` order. ``history`` is the team's held
    meetings before this one (any order); ``on`` is this meeting's date (for reasons)."""
    people = _unique(candidates)
    past = sorted(history, key=lambda m: (m.on, m.meeting_id))
    previous = past[-1] if past else None
    served = tally(past)
    taken: set[int] = set()
    suggestions: list[Suggestion] = []
    for role in ROLES:
        suggestion = _suggest_one(role, people, served[role], previous, taken, on)
        if suggestion.candidate is not None:
            taken.add(suggestion.candidate.user_id)
        suggestions.append(suggestion)
    return suggestions


def _suggest_one(
    role: RoleName,
    people: Sequence[Candidate],
    served: Mapping[int, Service],
    previous: PastMeeting | None,
    taken: set[int],
    on: dt.date | None,
) -> Suggestion:
    free = [c for c in people if c.user_id not in taken]
    if not free:
        reason = (
            "No members are expected at this meeting."
            if not people
            else "Everyone expected at this meeting already has a role."
        )
        return Suggestion(role=role, candidate=None, service=NEVER, reason=reason)
    notes: list[str] = []
    pool = free
    if role == "facilitator":
        others = [c for c in pool if not c.is_principal]
        if others:
            pool = others
        else:
            notes.append("No one else expected is free to facilitate.")
    last_holder = previous.holder(role) if previous else None
    fresh = [c for c in pool if c.user_id != last_holder]
    if fresh:
        pool = fresh
    else:
        notes.append("Also held this role at the last meeting: no one else is free.")

    def key(c: Candidate) -> tuple[tuple[int, int, dt.date], tuple[str, int]]:
        return (served.get(c.user_id, NEVER).rank(), c.name_key)

    ranked = sorted(pool, key=key)
    best = ranked[0]
    service = served.get(best.user_id, NEVER)
    tied = [c for c in ranked[1:] if served.get(c.user_id, NEVER).rank() == service.rank()]
    if tied:
        names = _and_list([c.name for c in tied[:2]] + (["others"] if len(tied) > 2 else []))
        notes.append(f"Tied with {names}: ties go alphabetically by name.")
    reason = " ".join([describe(role, service, reference=on) + ".", *notes])
    return Suggestion(role=role, candidate=best, service=service, reason=reason)


def _and_list(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# Gathering from the database ------------------------------------------------------------


def _local_date(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def expected_candidates(meeting: Meeting) -> list[Candidate]:
    """Members expected at ``meeting``: on the team on its date, not community members,
    not recorded as an excused absence. One query."""
    on = meeting.date
    excused = Attendance.objects.filter(
        meeting_id=meeting.pk, user_id=OuterRef("user_id"), status=AttendanceStatus.EXCUSED
    )
    rows = (
        TeamMembership.objects.active_on(on)
        .filter(team_id=meeting.team_id, user__is_active=True)
        .exclude(role=MemberRole.COMMUNITY)
        .annotate(excused=Exists(excused), principal=_is_principal(meeting.team, on))
        .filter(excused=False)
        .values_list("user_id", "user__full_name", "user__email", "principal")
    )
    return _unique(
        Candidate(user_id=user_id, name=name or email, is_principal=bool(principal))
        for user_id, name, email, principal in rows
    )


def _is_principal(team: Team, on: dt.date) -> Exists | Value:
    if team.school_id is None:
        return Value(False)
    return Exists(
        Membership.objects.active_on(on).filter(
            user_id=OuterRef("user_id"), school_id=team.school_id, role=Role.PRINCIPAL
        )
    )


def past_meetings(meeting: Meeting) -> list[PastMeeting]:
    """The team's held meetings before ``meeting``, oldest first. One query."""
    rows = (
        Meeting.objects.filter(
            team_id=meeting.team_id,
            status=MeetingStatus.HELD,
            scheduled_start__lt=meeting.scheduled_start,
        )
        .exclude(pk=meeting.pk)
        .order_by("scheduled_start", "pk")
        .values_list("pk", "scheduled_start", "facilitator_id", "recorder_id", "timekeeper_id")
    )
    zone = meeting.zone
    return [
        PastMeeting(
            meeting_id=pk,
            on=_local_date(start, zone),
            facilitator_id=f,
            recorder_id=r,
            timekeeper_id=t,
        )
        for pk, start, f, r, t in rows
    ]


@dataclass(frozen=True)
class Rotation:
    """What the roles page shows: who is expected, and the suggestion for each role."""

    candidates: list[Candidate]
    suggestions: list[Suggestion]
    history: list[PastMeeting]

    @property
    def previous(self) -> PastMeeting | None:
        return self.history[-1] if self.history else None

    def suggested_ids(self) -> dict[RoleName, int | None]:
        return {s.role: s.user_id for s in self.suggestions}


def rotation_for(meeting: Meeting) -> Rotation:
    """Suggestions for ``meeting`` from its team's history: two queries."""
    candidates = sorted(expected_candidates(meeting), key=lambda c: c.name_key)
    history = past_meetings(meeting)
    return Rotation(
        candidates=candidates,
        suggestions=suggest_roles(candidates, history, on=meeting.date),
        history=history,
    )


# A team's role history ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRoles:
    """One person's record in each role on a team."""

    user_id: int
    name: str
    on_team: bool
    is_principal: bool
    services: dict[RoleName, Service] = field(default_factory=dict)

    def service(self, role: RoleName) -> Service:
        return self.services.get(role, NEVER)

    @property
    def cells(self) -> list[tuple[RoleName, Service]]:
        return [(role, self.service(role)) for role in ROLES]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.services.values())


@dataclass(frozen=True)
class RoleHistory:
    held: int
    first_on: dt.date | None
    last_on: dt.date | None
    # Held meetings with a facilitator recorded, and how many of those the principal led.
    facilitated: int
    principal_facilitated: int
    members: list[MemberRoles]

    @property
    def principal_share(self) -> int | None:
        """Percent of facilitated meetings the school's principal led (None: none yet)."""
        if not self.facilitated:
            return None
        return round(100 * self.principal_facilitated / self.facilitated)

    @property
    def facilitators(self) -> int:
        return sum(1 for m in self.members if m.service("facilitator").count)


def role_history_for(team: Team, *, today: dt.date) -> RoleHistory:
    """Each member's times and last date in each role over the team's held meetings, and
    the share of them the principal (of the school, on each meeting's date) facilitated.
    Four queries, however long the history."""
    zone = zoneinfo.ZoneInfo(team.time_zone)
    rows = (
        Meeting.objects.filter(team_id=team.pk, status=MeetingStatus.HELD)
        .order_by("scheduled_start", "pk")
        .values_list("pk", "scheduled_start", "facilitator_id", "recorder_id", "timekeeper_id")
    )
    history = [
        PastMeeting(
            meeting_id=pk,
            on=_local_date(start, zone),
            facilitator_id=f,
            recorder_id=r,
            timekeeper_id=t,
        )
        for pk, start, f, r, t in rows
    ]
    served = tally(history)
    principal_spans: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    if team.school_id is not None:
        for user_id, start, end in Membership.objects.filter(
            school_id=team.school_id, role=Role.PRINCIPAL
        ).values_list("user_id", "start_date", "end_date"):
            principal_spans.setdefault(user_id, []).append((start, end))

    def principal_on(user_id: int | None, day: dt.date) -> bool:
        return any(
            start <= day and (end is None or end >= day)
            for start, end in principal_spans.get(user_id or 0, [])
        )

    facilitated = [m for m in history if m.facilitator_id is not None]
    by_principal = sum(1 for m in facilitated if principal_on(m.facilitator_id, m.on))

    names: dict[int, str] = {}
    on_team: set[int] = set()
    for user_id, name, email in (
        TeamMembership.objects.active_on(today)
        .filter(team_id=team.pk)
        .values_list("user_id", "user__full_name", "user__email")
    ):
        names[user_id] = name or email
        on_team.add(user_id)
    served_ids = {uid for by_person in served.values() for uid in by_person}
    missing = served_ids - set(names)
    if missing:
        for user_id, name, email in User.objects.filter(pk__in=missing).values_list(
            "pk", "full_name", "email"
        ):
            names[user_id] = name or email
    members = [
        MemberRoles(
            user_id=user_id,
            name=name,
            on_team=user_id in on_team,
            is_principal=principal_on(user_id, today),
            services={role: served[role][user_id] for role in ROLES if user_id in served[role]},
        )
        for user_id, name in names.items()
    ]
    members.sort(key=lambda m: (not m.on_team, m.name.casefold(), m.user_id))
    return RoleHistory(
        held=len(history),
        first_on=history[0].on if history else None,
        last_on=history[-1].on if history else None,
        facilitated=len(facilitated),
        principal_facilitated=by_principal,
        members=members,
    )
