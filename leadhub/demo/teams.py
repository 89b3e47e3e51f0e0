"""Teams for every demo school, with two school years of meetings.

Each school gets an Instructional Leadership Team, instructional teams (grade levels at
elementary schools, subject areas at middle and high schools), an administrative team
when it has an assistant principal, and at some schools a School Improvement Team with
parents (and a student at high schools). Memberships are dated: some ILT seats change
hands between the two years, and members record the instructional team or special
program they represent.

Each school has a health profile (:func:`health_profile`) that sets how well its teams
work over the two years: healthy, mixed, struggling, improving or declining. A few
schools' ILTs are composed badly on purpose (:data:`QUIRKS`), so the composition panel
has gaps to show.

Only schools without any team get teams, so running ``seed_demo`` again adds nothing.
Rows are written in bulk, a batch of schools at a time, with the dates they would have
been created on (``created_at`` is historical, not the day of the build).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from leadhub.demo.meetings import Cadence, Loop, Records, Span, TeamRun, TeamSetup
from leadhub.demo.names import rng_for
from leadhub.demo.organizations import ELEMENTARY, HIGH, MIDDLE, organization_tree
from leadhub.demo.records import MembershipRecord, SchoolRecord
from leadhub.demo.scales import DEMO, TINY
from leadhub.meetings.recurrence import SchoolCalendar
from leadhub.orgs.models import ROLE_LEVEL, Level, Role, SpecialProgram
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.teams.models import (
    InstructionalGrouping,
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)

if TYPE_CHECKING:
    from leadhub.demo.team_writer import TeamsWriter

ILT_SIZE = (8, 15)
TOO_SMALL_SIZE, TOO_LARGE_SIZE = 6, 21

# -- health profiles -----------------------------------------------------------------------


@dataclass(frozen=True)
class HealthProfile:
    """How well a school's teams work, from 0 (the guide's least effective ILTs) to 1
    (its effective ones), at the start of last school year and at the end of this one."""

    name: str
    first: float
    last: float

    def quality(self, day: dt.date, start: dt.date, end: dt.date) -> float:
        share = min(1.0, max(0.0, (day - start).days / max(1, (end - start).days)))
        return self.first + (self.last - self.first) * share


HEALTHY = HealthProfile("healthy", 0.9, 0.92)
MIXED = HealthProfile("mixed", 0.55, 0.58)
STRUGGLING = HealthProfile("struggling", 0.15, 0.18)
IMPROVING = HealthProfile("improving", 0.2, 0.9)
DECLINING = HealthProfile("declining", 0.85, 0.4)
PROFILES = (HEALTHY, MIXED, STRUGGLING, IMPROVING, DECLINING)
PROFILE_WEIGHTS = (32, 30, 20, 12, 6)
# The tiny scale's four schools, in order: the sign-in school's ILT is turning around.
TINY_PROFILES = (IMPROVING, STRUGGLING, HEALTHY, MIXED)


@functools.cache
def _tiny_school_ids() -> tuple[str, ...]:
    return tuple(school.record.state_id for school in organization_tree(TINY).schools)


def health_profile(school_state_id: str) -> HealthProfile:
    """The profile of a demo school, the same at every scale and in every build."""
    tiny = _tiny_school_ids()
    if school_state_id in tiny:
        return TINY_PROFILES[tiny.index(school_state_id)]
    rng = rng_for("team-health", school_state_id)
    return rng.choices(PROFILES, weights=PROFILE_WEIGHTS)[0]


def has_improvement_team(school: SchoolRecord) -> bool:
    """Every high school, the sign-in school and about a third of the others."""
    if school.level == HIGH or school.state_id == _tiny_school_ids()[0]:
        return True
    return rng_for("improvement-team", school.state_id).random() < 0.35


# -- the people of a school ------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    email: str
    role: str
    title: str
    start: dt.date
    end: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class SchoolStaff:
    principal: Person | None = None
    assistants: list[Person] = field(default_factory=list)
    coaches: list[Person] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)

    @property
    def everyone(self) -> list[Person]:
        leaders = [self.principal] if self.principal else []
        return [*leaders, *self.assistants, *self.coaches, *self.teachers]

    def add(self, person: Person) -> None:
        if person.role == Role.PRINCIPAL:
            self.principal = self.principal or person
        elif person.role == Role.ASSISTANT_PRINCIPAL:
            self.assistants.append(person)
        elif person.role == Role.INSTRUCTIONAL_COACH:
            self.coaches.append(person)
        else:
            self.teachers.append(person)


def school_staff(
    memberships: Iterable[MembershipRecord], *, since: dt.date
) -> dict[str, SchoolStaff]:
    """Each school's staff (by state identifier) from the plan, as of ``since`` or later."""
    staff: dict[str, SchoolStaff] = {}
    for m in memberships:
        if ROLE_LEVEL[m.role] != Level.SCHOOL:
            continue
        if m.end_date is not None and m.end_date < since:
            continue
        person = Person(m.email, m.role, m.title, m.start_date, m.end_date)
        staff.setdefault(m.org_key, SchoolStaff()).add(person)
    return staff


# ILT quirks: a few schools whose ILT the composition panel flags.
TOO_SMALL, TOO_LARGE, NO_COACH, MISSING_REPRESENTATIVE = (
    "too_small",
    "too_large",
    "no_coach",
    "missing_representative",
)
QUIRKS = (TOO_LARGE, TOO_SMALL, NO_COACH, MISSING_REPRESENTATIVE)
# People who sit on a large ILT without teaching a class (added where a school is short).
SUPPORT_TITLES = (
    "School counselor",
    "School social worker",
    "Library media specialist",
    "Math interventionist",
    "Speech-language pathologist",
    "English learner specialist",
    "School psychologist",
    "Instructional technology specialist",
)


@functools.cache
def _demo_school_order() -> tuple[str, ...]:
    tiny = set(_tiny_school_ids())
    return tuple(
        s.record.state_id for s in organization_tree(DEMO).schools if s.record.state_id not in tiny
    )


def composition_quirks(staff: dict[str, SchoolStaff], programs: dict[str, int]) -> dict[str, str]:
    """Which schools get which quirk: the first demo schools (beyond tiny's) that suit
    each, so the same schools have them at demo and at state scale."""
    quirks: dict[str, str] = {}
    wanted = list(QUIRKS)
    for state_id in _demo_school_order():
        if not wanted or state_id not in staff:
            continue
        people = staff[state_id]
        quirk = wanted[0]
        suits = {
            TOO_LARGE: bool(people.assistants),
            TOO_SMALL: len(people.teachers) >= 6,
            NO_COACH: bool(people.coaches),
            MISSING_REPRESENTATIVE: programs.get(state_id, 0) > 0 and len(people.teachers) >= 6,
        }[quirk]
        if suits:
            quirks[state_id] = wanted.pop(0)
    return quirks


# -- instructional teams ---------------------------------------------------------------------

GRADE_NAMES = ["Kindergarten"] + [f"Grade {n}" for n in range(1, 13)]
ELEMENTARY_SPECIALS = ("Music", "Art", "Physical education")
MIDDLE_SUBJECTS = {
    "math": "Math",
    "science": "Science",
    "English language arts": "English language arts",
    "social studies": "Social studies",
}
HIGH_DEPARTMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("English", ("English",)),
    ("World languages", ("Spanish",)),
    ("Social studies", ("U.S. history", "Economics")),
    ("Mathematics", ("Algebra", "Geometry")),
    ("Science", ("Biology", "Chemistry", "Physics")),
    ("Career and technical education", ("Health sciences", "Agriculture", "Computer science")),
    ("Fine arts", ("Art", "Choir")),
    ("Physical education", ("Physical education",)),
)


@dataclass
class Group:
    """An instructional team before it is a row: its name and its teachers."""

    key: str
    name: str
    grouping: str
    label: str  # how texts refer to it
    teachers: list[Person] = field(default_factory=list)
    support: list[Person] = field(default_factory=list)


def _grade_of(title: str) -> int | None:
    if title.startswith("Kindergarten"):
        return 0
    if title.startswith("Grade "):
        return int(title.split()[1])
    return None


def _grade_band_name(grades: list[int]) -> str:
    low, high = min(grades), max(grades)
    if low == high:
        return f"{GRADE_NAMES[low]} team"
    first = "K" if low == 0 else str(low)
    return f"Grades {first}–{high} team"


def _merge_small(groups: list[Group], most: int = 8, least: int = 3) -> list[Group]:
    """Fold one-teacher groups into a neighbour while more than ``least`` groups remain
    (a small school's grade-level team may be one teacher and the specialists who
    support them), and keep at most ``most`` groups."""
    groups = [g for g in groups if g.teachers]
    while len(groups) > 1:
        small = [i for i, g in enumerate(groups) if len(g.teachers) < 2]
        if len(groups) <= most and (not small or len(groups) <= least):
            break
        index = (
            small[0] if small else min(range(len(groups)), key=lambda i: len(groups[i].teachers))
        )
        neighbour = index - 1 if index > 0 else index + 1
        if 0 < index < len(groups) - 1:
            after, before = groups[index + 1], groups[index - 1]
            neighbour = index + 1 if len(after.teachers) < len(before.teachers) else index - 1
        first, second = sorted((index, neighbour))
        a, b = groups[first], groups[second]
        merged = Group(
            key=f"{a.key}+{b.key}",
            name=_joined_name(a, b),
            grouping=a.grouping if a.grouping == b.grouping else InstructionalGrouping.CLUSTER,
            label=a.label,
            teachers=a.teachers + b.teachers,
        )
        groups[first : second + 1] = [merged]
    return groups


def _joined_name(a: Group, b: Group) -> str:
    if a.grouping == InstructionalGrouping.GRADE_LEVEL == b.grouping:
        grades = [int(k) for k in f"{a.key}+{b.key}".replace("grade-", "").split("+")]
        return _grade_band_name(grades)
    first, second = a.name.removesuffix(" team"), b.name.removesuffix(" team")
    return f"{first} and {second[0].lower() + second[1:]} team"


def instructional_groups(level: str, teachers: list[Person]) -> list[Group]:
    """Grade-level teams at elementary schools, subject areas at middle and high schools;
    support teachers (special education, English learners, interventionists) join the
    team with the fewest members."""
    groups: list[Group] = []
    support: list[Person] = []
    if level == ELEMENTARY:
        by_grade: dict[int, list[Person]] = {}
        specials: list[Person] = []
        for person in teachers:
            grade = _grade_of(person.title)
            if grade is not None:
                by_grade.setdefault(grade, []).append(person)
            elif person.title.startswith(ELEMENTARY_SPECIALS):
                specials.append(person)
            else:
                support.append(person)
        for grade in sorted(by_grade):
            name = _grade_band_name([grade])
            label = GRADE_NAMES[grade].lower()
            groups.append(
                Group(
                    f"grade-{grade}",
                    name,
                    InstructionalGrouping.GRADE_LEVEL,
                    label,
                    by_grade[grade],
                )
            )
        groups = _merge_small(groups, most=6)
        if len(specials) >= 2:
            groups.append(
                Group("specials", "Specials team", InstructionalGrouping.CLUSTER, "", specials)
            )
        else:
            support += specials
    elif level == MIDDLE:
        by_subject: dict[str, list[Person]] = {}
        arts: list[Person] = []
        for person in teachers:
            subject = next((s for s in MIDDLE_SUBJECTS if f" {s} teacher" in person.title), None)
            if subject is not None:
                by_subject.setdefault(subject, []).append(person)
            elif person.title.startswith(("Band", "Physical education")):
                arts.append(person)
            else:
                support.append(person)
        for subject, label in MIDDLE_SUBJECTS.items():
            if subject in by_subject:
                key = "subject-" + subject.split()[0].lower()
                groups.append(
                    Group(
                        key,
                        f"{label} team",
                        InstructionalGrouping.SUBJECT_AREA,
                        "",
                        by_subject[subject],
                    )
                )
        if arts:
            groups.append(
                Group("related-arts", "Related arts team", InstructionalGrouping.CLUSTER, "", arts)
            )
        groups = _merge_small(groups)
    else:
        for index, (department, prefixes) in enumerate(HIGH_DEPARTMENTS):
            members = [p for p in teachers if p.title.startswith(prefixes)]
            if members:
                groups.append(
                    Group(
                        f"department-{index}",
                        f"{department} team",
                        InstructionalGrouping.SUBJECT_AREA,
                        "",
                        members,
                    )
                )
        placed = {p.email for g in groups for p in g.teachers}
        support = [p for p in teachers if p.email not in placed]
        groups = _merge_small(groups)
    if not groups and support:
        groups = [Group("all", "Teaching team", InstructionalGrouping.CLUSTER, "", support)]
        support = []
    for person in support:
        smallest = min(groups, key=lambda g: len(g.teachers) + len(g.support))
        smallest.support.append(person)
    return groups


PROGRAM_TITLES: dict[str, tuple[str, ...]] = {
    SpecialProgram.Kind.SPECIAL_EDUCATION: ("Special education",),
    SpecialProgram.Kind.BILINGUAL: ("ESL", "Spanish", "English learner"),
    SpecialProgram.Kind.EARLY_CHILDHOOD: ("Kindergarten",),
    SpecialProgram.Kind.ARTS: ("Music", "Art", "Band", "Choir"),
    SpecialProgram.Kind.CAREER_TECHNICAL: ("Health sciences", "Agriculture", "Computer science"),
}


# -- one school's teams ----------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A place on the ILT in one school year."""

    represents: str | None = None  # a group key
    program: int | None = None  # a special program's primary key
    lead: bool = False


@dataclass
class Program:
    pk: int
    kind: str
    name: str


@dataclass
class SchoolContext:
    record: SchoolRecord
    school_pk: int
    district_pk: int
    zone: zoneinfo.ZoneInfo
    staff: SchoolStaff
    programs: list[Program]
    calendars: list[SchoolCalendar]
    community: list[tuple[Person, str]]  # (person, community kind) for a SIT
    quirk: str | None
    names: dict[int, str]


class SchoolTeams:
    """Builds one school's teams, memberships and meetings into ``records``."""

    def __init__(
        self,
        ctx: SchoolContext,
        writer: TeamsWriter,
        teams: list[Team],
        memberships: list[TeamMembership],
        records: Records,
    ) -> None:
        self.ctx = ctx
        self.w = writer
        self.teams_out = teams
        self.memberships_out = memberships
        self.records = records
        self.rng = rng_for("teams", ctx.record.state_id)
        self.profile = health_profile(ctx.record.state_id)

    def principal(self) -> Person:
        if self.ctx.staff.principal is None:
            raise ValueError(f"{self.ctx.record.name} has no principal.")
        return self.ctx.staff.principal

    def uid(self, person: Person) -> int:
        return self.w.user_pks[person.email]

    def quality(self, offset: float = 0.0) -> Callable[[dt.date], float]:
        profile, start, end = self.profile, self.w.window_start, self.w.window_end
        return lambda day: profile.quality(day, start, end) + offset

    def team(self, kind: str, name: str, purpose: str, created: dt.date, **extra: Any) -> Team:
        ctx = self.ctx
        team = self.records.make(
            Team,
            kind=kind,
            level=TeamLevel.SCHOOL,
            name=name,
            purpose=purpose,
            school_id=ctx.school_pk,
            district_id=ctx.district_pk,
            **extra,
        )
        moment = dt.datetime.combine(created, dt.time(9), tzinfo=ctx.zone)
        team.created_at = team.updated_at = moment
        self.teams_out.append(team)
        return team

    def member(
        self,
        team: Team,
        user_id: int,
        start: dt.date,
        end: dt.date | None = None,
        *,
        role: str = MemberRole.MEMBER,
        **extra: Any,
    ) -> TeamMembership:
        row = self.records.make(
            TeamMembership,
            team=team,
            district_id=self.ctx.district_pk,
            user_id=user_id,
            role=role,
            start_date=start,
            end_date=end,
            **extra,
        )
        moment = dt.datetime.combine(start, dt.time(8), tzinfo=self.ctx.zone)
        row.created_at = row.updated_at = min(moment, self.w.now)
        self.memberships_out.append(row)
        return row

    def spans(self, rows: list[TeamMembership]) -> list[Span]:
        return [Span(r.user_id, r.start_date, r.end_date) for r in rows]

    def setup(
        self,
        team: Team,
        rows: list[TeamMembership],
        key: str,
        leader: int,
        cadence: dict[int, Cadence],
        offset: float,
        label: str = "",
        recent: bool = False,
    ) -> TeamSetup:
        history_from = self.w.recent_from if recent else None
        return TeamSetup(
            team=team,
            key=f"{self.ctx.record.state_id}:{key}",
            kind=team.kind,
            level=self.ctx.record.level,
            label=label,
            district_id=self.ctx.district_pk,
            zone=self.ctx.zone,
            members=self.spans(rows),
            leader_id=leader,
            approver_id=leader,
            quality=self.quality(offset),
            cadence=cadence,
            created=team.created_at,
            history_from=history_from,
        )

    def year_quality(self, year: int, offset: float = 0.0) -> float:
        first = school_year_bounds(year)[0] + dt.timedelta(days=45)
        return self.profile.quality(first, self.w.window_start, self.w.window_end) + offset

    # -- the build -----------------------------------------------------------------------

    def build(self) -> None:
        ctx, rng = self.ctx, self.rng
        principal = ctx.staff.principal
        if principal is None or not ctx.calendars:
            return
        created = self.w.team_created(rng)
        recent = self.w.recent_from is not None
        classroom = [t for t in ctx.staff.teachers if t.title not in SUPPORT_TITLES]
        groups = instructional_groups(ctx.record.level, classroom)
        # At state scale the other teams were entered in LeadHub recently; their members
        # have worked together as long as at any other school.
        listed = self.w.recent_from or created
        runs: list[TeamSetup] = []
        group_teams: list[tuple[Group, Team, list[TeamMembership]]] = []
        ilt_day = rng.choice([1, 2, 3, 3])
        for group in groups:
            grouping = group.grouping
            team = self.team(
                TeamKind.INSTRUCTIONAL,
                group.name,
                "Plans instruction together, looks at student work and results, and brings "
                "teachers' questions to the ILT.",
                listed,
                grouping=grouping,
            )
            rows = self.group_members(team, group, created)
            group_teams.append((group, team, rows))
            lead = next((r.user_id for r in rows if r.role == MemberRole.LEAD), self.uid(principal))
            offset = rng.gauss(0, 0.08)
            cadence = {
                year: self.team_cadence(ilt_day, self.year_quality(year, offset), rng)
                for year in self.w.years
            }
            runs.append(
                self.setup(team, rows, group.key, lead, cadence, offset, group.label, recent)
            )
        if ctx.staff.assistants:
            runs.append(self.administrative_team(listed, created, recent))
        if has_improvement_team(ctx.record):
            runs.append(self.improvement_team(listed, created, recent))
        ilt, ilt_rows = self.ilt(group_teams, created)
        held: dict[int, list[dt.date]] = {}
        for setup in runs:
            run = TeamRun(setup, self.records, today=self.w.today, now=self.w.now)
            run.run(ctx.calendars)
            held[id(setup.team)] = run.held_days
        loop = Loop(
            teams=[(team, group.label, self.spans(rows)) for group, team, rows in group_teams],
            report_back_to=self.report_back_rule(ilt, ilt_rows, group_teams),
            held_days=held,
            names=ctx.names,
        )
        cadence = {
            year: self.ilt_cadence(ilt_day, self.year_quality(year), rng) for year in self.w.years
        }
        setup = self.setup(ilt, ilt_rows, "ilt", self.uid(principal), cadence, 0.0)
        setup.loop = loop
        TeamRun(setup, self.records, today=self.w.today, now=self.w.now).run(ctx.calendars)

    def group_members(self, team: Team, group: Group, created: dt.date) -> list[TeamMembership]:
        ordered = sorted(group.teachers, key=lambda p: (p.start, p.email))
        rows = []
        for index, person in enumerate(ordered + group.support):
            role = MemberRole.LEAD if index == 0 else MemberRole.MEMBER
            rows.append(
                self.member(
                    team, self.uid(person), max(person.start, created), person.end, role=role
                )
            )
        for coach in self.ctx.staff.coaches[:1]:
            if self.rng.random() < 0.5:
                rows.append(self.member(team, self.uid(coach), max(coach.start, created)))
        return rows

    def team_cadence(self, avoid: int, q: float, rng: random.Random) -> Cadence:
        weekday = rng.choice([d for d in range(4) if d != avoid])
        if self.ctx.record.level == ELEMENTARY and rng.random() < 0.6:
            start = rng.choice([dt.time(10, 15), dt.time(12, 45), dt.time(13, 30)])
        else:
            start = rng.choice([dt.time(7, 30), dt.time(15, 30), dt.time(15, 45)])
        return Cadence(
            weekday=weekday,
            start_time=start,
            minutes=60 if q >= 0.5 else 45,
            interval_weeks=1,
            location=f"Room {rng.randint(101, 240)}",
            offset_days=rng.randint(3, 8),
        )

    def ilt_cadence(self, weekday: int, q: float, rng: random.Random) -> Cadence:
        level = self.ctx.record.level
        times = {
            ELEMENTARY: [dt.time(15, 30), dt.time(15, 45)],
            MIDDLE: [dt.time(15, 15), dt.time(15, 30)],
            HIGH: [dt.time(14, 45), dt.time(15, 0)],
        }[level]
        return Cadence(
            weekday=weekday,
            start_time=rng.choice(times),
            minutes=90 if q >= 0.6 else 75 if q >= 0.4 else 60,
            interval_weeks=2,
            location=rng.choice(["Library", "Conference room", "Media center", "Room 112"]),
            offset_days=rng.randint(6, 12),
        )

    def administrative_team(self, listed: dt.date, created: dt.date, recent: bool) -> TeamSetup:
        staff = self.ctx.staff
        principal = self.principal()
        team = self.team(
            TeamKind.ADMINISTRATIVE,
            "Administrative team",
            "Runs the building day to day: schedules, supervision, budget and operations.",
            listed,
        )
        rows = [
            self.member(
                team,
                self.uid(principal),
                max(principal.start, created),
                role=MemberRole.LEAD,
            )
        ]
        for person in [*staff.assistants, *staff.coaches]:
            rows.append(self.member(team, self.uid(person), max(person.start, created), person.end))
        cadence = {
            year: Cadence(0, dt.time(7, 30), 45, 1, None, "Principal's office", 1)
            for year in self.w.years
        }
        return self.setup(team, rows, "admin", rows[0].user_id, cadence, 0.05, "", recent)

    def improvement_team(self, listed: dt.date, created: dt.date, recent: bool) -> TeamSetup:
        ctx, rng = self.ctx, self.rng
        principal = self.principal()
        team = self.team(
            TeamKind.SIT,
            "School Improvement Team",
            "Reviews and approves the school improvement plan with families and the community.",
            listed,
        )
        rows = [
            self.member(
                team, self.uid(principal), max(principal.start, created), role=MemberRole.LEAD
            )
        ]
        teachers = [t for t in ctx.staff.teachers if t.start <= self.w.window_start]
        for person in rng.sample(teachers, min(2, len(teachers))):
            rows.append(self.member(team, self.uid(person), max(person.start, created)))
        for person, kind in ctx.community:
            start, end = max(person.start, created), person.end
            if end is not None and end < start:
                continue
            rows.append(
                self.member(
                    team,
                    self.uid(person),
                    start,
                    end,
                    role=MemberRole.COMMUNITY,
                    community_kind=kind,
                )
            )
        weekday = rng.choice([1, 3])
        cadence = {
            year: Cadence(weekday, dt.time(17, 30), 60, 1, 2, "Library", 14)
            for year in self.w.years
        }
        return self.setup(team, rows, "sit", rows[0].user_id, cadence, 0.0, "", recent)

    # -- the ILT ---------------------------------------------------------------------------

    def ilt(
        self, group_teams: list[tuple[Group, Team, list[TeamMembership]]], created: dt.date
    ) -> tuple[Team, list[TeamMembership]]:
        team = self.team(
            TeamKind.ILT,
            "Instructional Leadership Team",
            "Leads the school's work on teaching and learning: sets the improvement plan's "
            "priorities, monitors its goals, and carries decisions to every instructional team.",
            created,
        )
        seats_by_year: list[dict[str, Seat]] = []
        previous: dict[str, Seat] = {}
        for year in self.w.years:
            previous = self.ilt_seats(year, group_teams, previous)
            seats_by_year.append(previous)
        teams_by_key = {group.key: t for group, t, _rows in group_teams}
        people = {p.email: p for p in self.ctx.staff.everyone}
        first_year, this_year = seats_by_year[0], seats_by_year[-1]
        switch = school_year_bounds(self.w.years[-1])[0]
        rows: list[TeamMembership] = []
        for email in dict.fromkeys([*first_year, *this_year]):
            person = people[email]
            before, now = first_year.get(email), this_year.get(email)
            spans: list[tuple[Seat, dt.date, dt.date | None]] = []
            if before is not None and before == now:
                spans.append((before, max(person.start, created), person.end))
            else:
                if before is not None:
                    spans.append(
                        (before, max(person.start, created), switch - dt.timedelta(days=1))
                    )
                if now is not None:
                    spans.append((now, max(person.start, switch), person.end))
            for seat, start, end in spans:
                if end is not None and end < start:
                    continue
                rows.append(
                    self.member(
                        team,
                        self.uid(person),
                        start,
                        end,
                        role=MemberRole.LEAD if seat.lead else MemberRole.MEMBER,
                        represents_team=teams_by_key.get(seat.represents or ""),
                        represents_program_id=seat.program,
                    )
                )
        return team, rows

    def ilt_seats(
        self,
        year: int,
        group_teams: list[tuple[Group, Team, list[TeamMembership]]],
        previous: dict[str, Seat],
    ) -> dict[str, Seat]:
        """Who sits on the ILT in ``year``: the principal, the other administrators and
        coaches, a teacher from each instructional team, someone for each special program;
        teachers at large to reach the school's size (eight or more), and at most fifteen.
        Then the school's quirk, if it has one."""
        ctx, rng = self.ctx, rng_for("ilt-seats", self.ctx.record.state_id, year)
        day = school_year_bounds(year)[0]
        staff, principal = ctx.staff, self.principal()
        quirk = ctx.quirk
        seats: dict[str, Seat] = {principal.email: Seat(lead=True)}
        for person in [*staff.assistants, *staff.coaches]:
            if person.active_on(day) and not (quirk == NO_COACH and person in staff.coaches):
                seats[person.email] = Seat()
        earlier_rep = {
            seat.represents: email for email, seat in previous.items() if seat.represents
        }
        skipped_group = group_teams[-1][0].key if quirk == MISSING_REPRESENTATIVE else None
        for group, _team, _rows in group_teams:
            by_tenure = sorted(group.teachers, key=lambda p: (p.start, p.email)) + group.support
            members = [p for p in by_tenure if p.active_on(day)]
            if not members or group.key == skipped_group:
                continue
            kept = earlier_rep.get(group.key)
            if kept and any(p.email == kept for p in members) and rng.random() < 0.75:
                chosen = kept
            elif rng.random() < 0.5:
                chosen = members[0].email
            else:
                chosen = rng.choice(members).email
            seats[chosen] = Seat(represents=group.key)
        teachers = [t for t in staff.teachers if t.active_on(day)]
        programs = ctx.programs[1:] if quirk == MISSING_REPRESENTATIVE else ctx.programs
        for program in programs:
            prefixes = PROGRAM_TITLES.get(program.kind, ())
            matching = [t for t in teachers if prefixes and t.title.startswith(prefixes)]
            seated = [t for t in matching if t.email in seats and seats[t.email].program is None]
            unseated = [t for t in matching if t.email not in seats]
            others = [
                t
                for t in teachers
                if t.email in seats and seats[t.email].program is None and not seats[t.email].lead
            ]
            candidates = seated or unseated or others
            if not candidates:
                continue
            choice = candidates[0]
            seat = seats.get(choice.email, Seat())
            seats[choice.email] = Seat(represents=seat.represents, program=program.pk)
        at_large = sorted(
            (t for t in teachers if t.email not in seats), key=lambda t: (t.start, t.email)
        )
        low, high = ILT_SIZE
        # Most schools add a few teachers at large beyond the seats they must fill.
        wanted = max(low, rng_for("ilt-size", ctx.record.state_id).randint(low, high - 3))
        while len(seats) < wanted and at_large:
            seats[at_large.pop(0).email] = Seat()
        leaders = {p.email for p in [*staff.assistants, *staff.coaches]}
        for email in [e for e, s in seats.items() if s == Seat() and e not in leaders][::-1]:
            if len(seats) <= high:
                break
            del seats[email]
        if quirk == TOO_SMALL:
            keep = [e for e in [principal.email, *[c.email for c in staff.coaches]] if e in seats]
            keep = keep[:2]
            reps = [e for e, s in seats.items() if s.represents and e not in keep]
            seats = {e: seats[e] for e in keep + reps[: TOO_SMALL_SIZE - len(keep)]}
        elif quirk == TOO_LARGE:
            for person in staff.everyone:
                if len(seats) >= TOO_LARGE_SIZE:
                    break
                if person.active_on(day) and person.email not in seats:
                    seats[person.email] = Seat()
        return seats

    def report_back_rule(
        self,
        ilt: Team,
        ilt_rows: list[TeamMembership],
        group_teams: list[tuple[Group, Team, list[TeamMembership]]],
    ) -> Any:
        """The rule of ``report_back_assignee``, in memory: the affected team's
        representative on the ILT, else that team's lead, else the principal."""
        principal = self.ctx.staff.principal
        leads = {
            id(team): [r for r in rows if r.role == MemberRole.LEAD]
            for _g, team, rows in group_teams
        }
        order = {id(row): index for index, row in enumerate(ilt_rows)}

        def active(row: TeamMembership, day: dt.date) -> bool:
            return row.start_date <= day and (row.end_date is None or day <= row.end_date)

        def rule(team: Team, day: dt.date) -> tuple[int, bool] | None:
            reps = [r for r in ilt_rows if r.represents_team is team and active(r, day)]
            if reps:
                first = min(reps, key=lambda r: (r.start_date, order[id(r)]))
                return first.user_id, True
            lead = [r for r in leads.get(id(team), []) if active(r, day)]
            if lead:
                return min(lead, key=lambda r: r.start_date).user_id, False
            if principal is not None and principal.active_on(day):
                return self.uid(principal), False
            return None

        return rule
