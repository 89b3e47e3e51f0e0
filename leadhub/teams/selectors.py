"""Reads for team pages: the team list, who may join a team, and the ILT's composition.

Callers gate first (``leadhub.teams.access``); these functions answer for records the
person may already see. The few rules about *creating* and *archiving* teams live here
too (:func:`team_places_for`, :func:`team_may_create`, :func:`team_can_archive`): they
depend on the organization tree, not on a team the person can already reach.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlencode

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.meetings.models import MeetingStatus
from leadhub.orgs.models import (
    Grade,
    HubServiceArea,
    Level,
    Membership,
    Role,
    School,
    SchoolProfile,
    SpecialProgram,
)
from leadhub.orgs.schoolyears import school_year_of
from leadhub.teams.access import (
    Person,
    team_places_for,
    team_roles_for,
    teams_visible_to,
)
from leadhub.teams.models import (
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)

# The guide's numbers: fewer than 20 members, 8 to 15 preferred.
PREFERRED_MIN = 8
PREFERRED_MAX = 15
TOO_LARGE_AT = 20
HIGH_SCHOOL_GRADES = frozenset({Grade.G9, Grade.G10, Grade.G11, Grade.G12})
ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}


# ---------------------------------------------------------------------------------------
# The team list


@dataclass(frozen=True)
class TeamRow:
    team: Team
    member_count: int
    next_meeting: dt.datetime | None  # in the team's time zone
    your_role: str = ""  # the person's role on the team, as a label, when they are on it


@dataclass
class TeamGroup:
    """Teams of one school, district or hub."""

    level: str
    label: str
    url: str
    rows: list[TeamRow] = field(default_factory=list)


@dataclass
class TeamList:
    yours: list[TeamRow]
    groups: list[TeamGroup]
    archived: list[TeamRow]

    @property
    def count(self) -> int:
        return len(self.yours) + sum(len(g.rows) for g in self.groups) + len(self.archived)


def _current_member_count(day: dt.date) -> Coalesce:
    members = (
        TeamMembership.objects.active_on(day)
        .filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def teams_with_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    """``member_count`` (current members) and ``next_meeting_start`` (the next scheduled
    meeting, UTC) on every team, in the one query."""
    now = timezone.now()
    return teams.select_related("school__district", "district", "hub__state").annotate(
        member_count=_current_member_count(timezone.localdate()),
        next_meeting_start=Min(
            "meetings__scheduled_start",
            filter=Q(meetings__status=MeetingStatus.SCHEDULED, meetings__scheduled_start__gte=now),
        ),
    )


def _row(team: Team, roles: dict[int, str]) -> TeamRow:
    start = getattr(team, "next_meeting_start", None)
    local = start.astimezone(zoneinfo.ZoneInfo(team.time_zone)) if start else None
    role = roles.get(team.pk, "")
    return TeamRow(
        team=team,
        member_count=getattr(team, "member_count", 0),
        next_meeting=local,
        your_role=MemberRole(role).label if role else "",
    )


LEVEL_ORDER = {TeamLevel.SCHOOL: 0, TeamLevel.DISTRICT: 1, TeamLevel.HUB: 2}


def team_list_rows(user: Person, *, school: School | None = None, kind: str = "") -> TeamList:
    """The teams the person can read: their own first, then by school, district and hub;
    archived teams apart. Optionally only one school's teams, or one kind."""
    teams = teams_visible_to(user)
    if school is not None:
        teams = teams.filter(school=school)
    if kind:
        teams = teams.filter(kind=kind)
    roles = team_roles_for(user)
    yours: list[TeamRow] = []
    archived: list[TeamRow] = []
    groups: dict[tuple[str, int], TeamGroup] = {}
    for team in teams_with_counts(teams).order_by("name", "pk"):
        row = _row(team, roles)
        if team.archived_on is not None:
            archived.append(row)
        elif team.pk in roles:
            yours.append(row)
        else:
            group = _group_for(team, groups)
            group.rows.append(row)
    ordered = sorted(
        groups.values(), key=lambda g: (LEVEL_ORDER[TeamLevel(g.level)], g.label.lower())
    )
    return TeamList(yours=yours, groups=ordered, archived=archived)


def _group_for(team: Team, groups: dict[tuple[str, int], TeamGroup]) -> TeamGroup:
    org = team.school or team.district or team.hub
    assert org is not None  # noqa: S101 - the scope constraint guarantees one
    key = (team.level, org.pk)
    if key not in groups:
        groups[key] = TeamGroup(level=team.level, label=str(org), url=org.get_absolute_url())
    return groups[key]


def team_list_schools(user: Person) -> QuerySet[School]:
    """Schools to filter the list by: those with teams the person reads, and those where
    they may start one."""
    with_teams = teams_visible_to(user).filter(school__isnull=False).values("school_id")
    creatable = [s.pk for s in team_places_for(user).schools]
    return School.objects.filter(Q(pk__in=with_teams) | Q(pk__in=creatable)).order_by("name")


# ---------------------------------------------------------------------------------------
# Who may join a team


def eligible_members(team: Team, *, on: dt.date | None = None) -> QuerySet[Membership]:
    """Current roles of the people who may join ``team`` (one row per role held).

    A school team draws on the school's current staff, any role; a district team on
    everyone working in the district; a network or collective on the school and district
    staff of the districts its hub serves, and the hub's own staff. Community members of
    a School Improvement Team are added by name and email instead (they need no role).
    """
    day = on or timezone.localdate()
    roles = Membership.objects.active_on(day).filter(user__is_active=True)
    if team.level == TeamLevel.SCHOOL:
        roles = roles.filter(school_id=team.school_id)
    elif team.level == TeamLevel.DISTRICT:
        roles = roles.filter(district_id=team.district_id)
    else:
        served = HubServiceArea.objects.active_on(day).filter(hub_id=team.hub_id)
        roles = roles.filter(
            Q(
                level__in=[Level.SCHOOL, Level.DISTRICT],
                district_id__in=served.values("district_id"),
            )
            | Q(level=Level.HUB, hub_id=team.hub_id)
        )
    return roles.select_related("user", "school", "district", "hub").order_by(
        "user__full_name", "pk"
    )


def eligible_user_ids(team: Team, *, on: dt.date | None = None) -> set[int]:
    return set(eligible_members(team, on=on).values_list("user_id", flat=True))


ROLE_PLURALS = {
    Role.STATE_ADMIN: "State administrators",
    Role.EVALUATOR: "Evaluators",
    Role.HUB_DIRECTOR: "Hub directors",
    Role.HUB_COACH: "Hub coaches",
    Role.NETWORK_FACILITATOR: "Network facilitators",
    Role.DISTRICT_LEADER: "District leaders",
    Role.PRINCIPAL: "Principals",
    Role.ASSISTANT_PRINCIPAL: "Assistant principals",
    Role.TEACHER: "Teachers",
    Role.INSTRUCTIONAL_COACH: "Instructional coaches",
}

PersonChoices = list[tuple[str, list[tuple[int, str]]]]


def grouped_people(memberships: Iterable[Membership], *, show_place: bool) -> PersonChoices:
    """(role label, [(user pk, label)]) in the order of Role, each person once (under the
    first of their roles); the label names their school where the team spans several."""
    seen: set[int] = set()
    by_role: dict[str, list[tuple[int, str]]] = {}
    for m in sorted(memberships, key=lambda m: (ROLE_ORDER[m.role], m.user.full_name.lower())):
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        label = m.user.full_name
        if show_place and m.organization is not None:
            label = f"{label} ({m.organization})"
        by_role.setdefault(m.role, []).append((m.user_id, label))
    return [(ROLE_PLURALS[Role(role)], people) for role, people in by_role.items()]


def members_of(team: Team) -> tuple[list[TeamMembership], list[TeamMembership]]:
    """(current, past) memberships, current ones leads first, past ones latest first.
    Memberships that start later count as current (they are planned)."""
    today = timezone.localdate()
    rows = list(
        team.memberships.select_related("user", "represents_team", "represents_program").order_by(
            "start_date", "pk"
        )
    )
    current = [m for m in rows if m.end_date is None or m.end_date >= today]
    past = [m for m in rows if m.end_date is not None and m.end_date < today]
    rank = {MemberRole.LEAD: 0, MemberRole.MEMBER: 1, MemberRole.COMMUNITY: 2}
    current.sort(key=lambda m: (rank[MemberRole(m.role)], m.user.full_name.lower()))
    past.sort(key=lambda m: m.end_date or today, reverse=True)
    return current, past


def representable_teams(team: Team) -> QuerySet[Team]:
    """Instructional teams of the team's school that a member may speak for."""
    if team.school_id is None:
        return Team.objects.none()
    return Team.objects.active().filter(school_id=team.school_id, kind=TeamKind.INSTRUCTIONAL)


def representable_programs(team: Team) -> QuerySet[SpecialProgram]:
    if team.school_id is None:
        return SpecialProgram.objects.none()
    return SpecialProgram.objects.filter(school_id=team.school_id)


def program_label(program: SpecialProgram) -> str:
    """``Special education program``; names that already say "program" stay as they are."""
    label = str(program)
    return label if label.lower().endswith("program") else f"{label} program"


def school_serves_high_school(school: School, *, on: dt.date | None = None) -> bool | None:
    """Whether the school teaches any of grades 9–12 this school year (None: not known,
    because this year's characteristics are not recorded)."""
    year = school_year_of(on or timezone.localdate())
    profile = SchoolProfile.objects.filter(school=school, school_year_id=year).first()
    if profile is None:
        return None
    order = [g.value for g in Grade]
    served = order[order.index(profile.lowest_grade) : order.index(profile.highest_grade) + 1]
    return bool(HIGH_SCHOOL_GRADES & set(served))


def grade_span(school: School, *, on: dt.date | None = None) -> str:
    year = school_year_of(on or timezone.localdate())
    profile = SchoolProfile.objects.filter(school=school, school_year_id=year).first()
    return profile.grades_label if profile else ""


# ---------------------------------------------------------------------------------------
# The ILT's composition


class SizeBand(StrEnum):
    TOO_SMALL = "too_small"
    PREFERRED = "preferred"
    ABOVE_PREFERRED = "above_preferred"
    TOO_LARGE = "too_large"


def size_band(size: int) -> SizeBand:
    if size < PREFERRED_MIN:
        return SizeBand.TOO_SMALL
    if size <= PREFERRED_MAX:
        return SizeBand.PREFERRED
    if size < TOO_LARGE_AT:
        return SizeBand.ABOVE_PREFERRED
    return SizeBand.TOO_LARGE


@dataclass(frozen=True)
class Fix:
    label: str
    url: str


@dataclass(frozen=True)
class Gap:
    """Something the ILT lacks, in a sentence, with the links that fix it."""

    key: str
    text: str
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True)
class Represented:
    """An instructional team or special program and who speaks for it on the ILT."""

    kind: str  # "team" or "program"
    pk: int
    name: str
    representatives: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.representatives)


@dataclass(frozen=True)
class ILTComposition:
    team: Team
    on: dt.date
    size: int
    band: SizeBand
    principal_member: bool
    principals: tuple[str, ...]
    # None where the school has no instructional coach (nothing to check).
    coach_member: bool | None
    coaches: tuple[str, ...]
    instructional_teams: tuple[Represented, ...]
    programs: tuple[Represented, ...]
    gaps: tuple[Gap, ...]
    add_url: str

    @property
    def size_flagged(self) -> bool:
        return self.band in (SizeBand.TOO_SMALL, SizeBand.TOO_LARGE)

    @property
    def size_sentence(self) -> str:
        members = f"{self.size} member{'s' if self.size != 1 else ''}"
        preferred = f"{PREFERRED_MIN} to {PREFERRED_MAX}"
        if self.band == SizeBand.TOO_SMALL:
            return (
                f"{members}: smaller than the preferred {preferred}. A team this small "
                "cannot speak for every instructional team and program."
            )
        if self.band == SizeBand.PREFERRED:
            return f"{members}: within the preferred size of {preferred}."
        if self.band == SizeBand.ABOVE_PREFERRED:
            return (
                f"{members}: above the preferred size of {preferred}, still under {TOO_LARGE_AT}."
            )
        return (
            f"{members}: too large. Keep the team under {TOO_LARGE_AT} ({preferred} is "
            "preferred) so it can work efficiently."
        )

    @property
    def complete(self) -> bool:
        return not self.gaps and self.band == SizeBand.PREFERRED


def _add_url(team: Team, **params: object) -> str:
    url = reverse("teams:member_add", args=[team.pk])
    return f"{url}?{urlencode(params)}" if params else url


def ilt_composition(team: Team, *, on: dt.date | None = None) -> ILTComposition:
    """How the ILT measures up, on ``on`` (today by default), to the guide: size, the
    principal, an instructional coach where the school has one, and a representative
    of every instructional team and special program of the school."""
    day = on or timezone.localdate()
    school_id = team.school_id
    if school_id is None:
        raise ValueError("Composition is measured for a school's ILT.")
    members = list(
        TeamMembership.objects.active_on(day)
        .filter(team=team)
        .select_related("user")
        .order_by("user__full_name")
    )
    member_ids = {m.user_id for m in members}
    staff = list(
        Membership.objects.active_on(day)
        .filter(school_id=school_id, role__in=[Role.PRINCIPAL, Role.INSTRUCTIONAL_COACH])
        .select_related("user")
        .order_by("user__full_name")
    )
    principals = _unique_users(m for m in staff if m.role == Role.PRINCIPAL)
    coaches = _unique_users(m for m in staff if m.role == Role.INSTRUCTIONAL_COACH)
    gaps: list[Gap] = []

    principal_member = any(u.pk in member_ids for u in principals)
    if not principals:
        gaps.append(
            Gap(
                "principal",
                "LeadHub has no current principal for this school, so the team cannot "
                "include one yet.",
            )
        )
    elif not principal_member:
        names = " or ".join(u.full_name for u in principals)
        gaps.append(
            Gap(
                "principal",
                f"The principal ({names}) is not on the team. The principal convenes the ILT.",
                tuple(Fix(f"Add {u.full_name}", _add_url(team, user=u.pk)) for u in principals),
            )
        )

    coach_member: bool | None = None
    if coaches:
        coach_member = any(u.pk in member_ids for u in coaches)
        if not coach_member:
            gaps.append(
                Gap(
                    "coach",
                    "No instructional coach is on the team, though the school has "
                    f"{'one' if len(coaches) == 1 else len(coaches)}.",
                    tuple(Fix(f"Add {u.full_name}", _add_url(team, user=u.pk)) for u in coaches),
                )
            )

    team_reps: dict[int, list[str]] = {}
    program_reps: dict[int, list[str]] = {}
    for m in members:
        if m.represents_team_id:
            team_reps.setdefault(m.represents_team_id, []).append(m.user.full_name)
        if m.represents_program_id:
            program_reps.setdefault(m.represents_program_id, []).append(m.user.full_name)

    instructional = (
        Team.objects.filter(school_id=school_id, kind=TeamKind.INSTRUCTIONAL)
        .filter(Q(archived_on__isnull=True) | Q(archived_on__gt=day))
        .order_by("name", "pk")
    )
    teams = tuple(
        Represented("team", t.pk, t.name, tuple(team_reps.get(t.pk, []))) for t in instructional
    )
    for t in teams:
        if not t.covered:
            gaps.append(
                Gap(
                    f"team-{t.pk}",
                    f"Nobody on the team represents the {t.name}.",
                    (
                        Fix(
                            f"Add a representative of the {t.name}",
                            _add_url(team, represents_team=t.pk),
                        ),
                    ),
                )
            )
    programs = tuple(
        Represented("program", p.pk, program_label(p), tuple(program_reps.get(p.pk, [])))
        for p in SpecialProgram.objects.filter(school_id=school_id).order_by("kind", "name")
    )
    for p in programs:
        if not p.covered:
            gaps.append(
                Gap(
                    f"program-{p.pk}",
                    f"Nobody on the team represents the {p.name}.",
                    (
                        Fix(
                            f"Add a representative of the {p.name}",
                            _add_url(team, represents_program=p.pk),
                        ),
                    ),
                )
            )

    size = len(member_ids)
    return ILTComposition(
        team=team,
        on=day,
        size=size,
        band=size_band(size),
        principal_member=principal_member,
        principals=tuple(u.full_name for u in principals),
        coach_member=coach_member,
        coaches=tuple(u.full_name for u in coaches),
        instructional_teams=teams,
        programs=programs,
        gaps=tuple(gaps),
        add_url=_add_url(team),
    )


def _unique_users(memberships: Iterable[Membership]) -> list[User]:
    seen: dict[int, User] = {}
    for m in memberships:
        seen.setdefault(m.user_id, m.user)
    return list(seen.values())
