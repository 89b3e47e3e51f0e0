"""Write the demo's teams and meetings: read what the build needs in a few queries, build
a batch of schools in memory (``leadhub.demo.teams``), write the batch, repeat.

Only schools without any team get teams, so running ``seed_demo`` again adds nothing,
like the rest of the demo builder.

Meetings are by far the largest part of the demo (millions of rows at state scale), so
their rows are built and written by ``leadhub.demo.rows`` rather than ``bulk_create``:
set-based all the same, in batches, with history rows where the scale keeps history.
The new people a team needs (support staff, community members) go through the
builder's own ``RowWriter``.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
import zoneinfo
from typing import TYPE_CHECKING

from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.demo.meetings import Records
from leadhub.demo.names import NamePool, email_local_part, rng_for
from leadhub.demo.organizations import HIGH
from leadhub.demo.records import SchoolRecord
from leadhub.demo.rows import FastInserter
from leadhub.demo.staff import DISTRICT_LEADER_SLOTS, SLOTS_PER_SCHOOL, joined_at
from leadhub.demo.teams import (
    SUPPORT_TITLES,
    TOO_LARGE,
    TOO_LARGE_SIZE,
    Person,
    Program,
    SchoolContext,
    SchoolStaff,
    SchoolTeams,
    composition_quirks,
    has_improvement_team,
    school_staff,
)
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    IntakeItem,
    Meeting,
    MeetingSeries,
    ReportBack,
)
from leadhub.meetings.recurrence import SchoolCalendar
from leadhub.orgs.models import (
    DistrictCalendar,
    Level,
    Membership,
    NonInstructionalDay,
    Role,
    SpecialProgram,
)
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.teams.models import CommunityKind, Team, TeamLevel, TeamMembership

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter

logger = logging.getLogger(__name__)

# Build this many rows in memory before writing them.
FLUSH_ROWS = 100_000
DEMO_EMAIL_DOMAIN = "leadhub.demo"
# At state scale only ILTs keep two full school years; the other teams started using
# LeadHub this many weeks ago, which keeps the build within minutes.
RECENT_WEEKS_BY_SCALE: dict[str, int | None] = {"tiny": None, "demo": None, "state": 4}


class TeamsWriter:
    def __init__(self, writer: DemoWriter, user_pks: dict[str, int]) -> None:
        self.writer = writer
        self.plan = writer.plan
        self.rows = writer.rows
        self.user_pks = user_pks
        self.fast = FastInserter(writer.rows)
        self.now = timezone.now()
        self.today = timezone.localdate()
        anchor = self.plan.anchor_year
        self.years = (anchor - 1, anchor)
        self.window_start = school_year_bounds(anchor - 1)[0]
        self.window_end = school_year_bounds(anchor)[1]
        weeks = RECENT_WEEKS_BY_SCALE.get(self.plan.scale.name)
        self.recent_from = None if weeks is None else self.today - dt.timedelta(weeks=weeks)
        self.zones: dict[str, zoneinfo.ZoneInfo] = {}

    def team_created(self, rng: random.Random) -> dt.date:
        """Teams were set up in the summer before the first of the two school years, or up
        to three years earlier."""
        return school_year_bounds(self.years[0] - rng.randint(0, 3))[0] + dt.timedelta(days=30)

    def write(self) -> None:
        started = time.perf_counter()
        before = sum(self.rows.created.values())
        contexts = self.school_contexts()
        records = Records(self.fast.make)
        teams: list[Team] = []
        memberships: list[TeamMembership] = []
        for ctx in contexts:
            SchoolTeams(ctx, self, teams, memberships, records).build()
            if records.row_count() + len(memberships) >= FLUSH_ROWS:
                self.flush(teams, memberships, records)
                records, teams, memberships = Records(self.fast.make), [], []
        self.flush(teams, memberships, records)
        self.fast.finish()
        added = sum(self.rows.created.values()) - before
        logger.info(
            "Teams and meetings for %s schools: %s rows in %.1f s.",
            f"{len(contexts):,}",
            f"{added:,}",
            time.perf_counter() - started,
        )

    def flush(self, teams: list[Team], memberships: list[TeamMembership], records: Records) -> None:
        self.fast.write(
            [
                (Team, teams),
                (TeamMembership, memberships),
                (MeetingSeries, records.series),
                (Meeting, records.meetings),
                (Attendance, records.attendance),
                (AgendaItem, records.items),
                (Decision, records.decisions),
                (Decision.affected_teams.through, records.decision_teams),
                (ActionItem, records.actions),
                (ReportBack, records.report_backs),
                (IntakeItem, records.intake),
            ]
        )

    # -- what the build reads ---------------------------------------------------------------

    def school_contexts(self) -> list[SchoolContext]:
        plan = self.plan
        with_teams = set(
            Team.objects.filter(level=TeamLevel.SCHOOL).values_list("school_id", flat=True)
        )
        school_pks = self.writer.school_pks
        schools = [
            s
            for s in plan.schools
            if s.state_id in school_pks and school_pks[s.state_id][0] not in with_teams
        ]
        if not schools:
            return []
        staff = self.school_staff()
        programs = self.programs()
        calendars = self.calendars()
        quirks = composition_quirks(staff, {sid: len(p) for sid, p in programs.items()})
        self.add_support_staff(schools, staff, quirks)
        community = self.add_community([s for s in schools if has_improvement_team(s)])
        names = {
            self.user_pks[p.email]: p.full_name for p in plan.people if p.email in self.user_pks
        }
        districts = {d.state_id: d for d in plan.districts}
        contexts = []
        for school in schools:
            school_pk, district_pk = school_pks[school.state_id]
            zone_name = districts[school.district_state_id].time_zone
            zone = self.zones.setdefault(zone_name, zoneinfo.ZoneInfo(zone_name))
            contexts.append(
                SchoolContext(
                    record=school,
                    school_pk=school_pk,
                    district_pk=district_pk,
                    zone=zone,
                    staff=staff.get(school.state_id, SchoolStaff()),
                    programs=programs.get(school.state_id, []),
                    calendars=calendars.get(district_pk, []),
                    community=community.get(school.state_id, []),
                    quirk=quirks.get(school.state_id),
                    names=names,
                )
            )
        return contexts

    def school_staff(self) -> dict[str, SchoolStaff]:
        return school_staff(self.plan.memberships, since=self.window_start)

    def programs(self) -> dict[str, list[Program]]:
        by_pk = {pk: state_id for state_id, (pk, _d) in self.writer.school_pks.items()}
        found: dict[str, list[Program]] = {}
        rows = SpecialProgram.objects.order_by("pk").values_list("pk", "school_id", "kind", "name")
        for pk, school_id, kind, name in rows:
            if school_id in by_pk:
                found.setdefault(by_pk[school_id], []).append(Program(pk, kind, name))
        return found

    def calendars(self) -> dict[int, list[SchoolCalendar]]:
        closed: dict[int, dict[dt.date, str]] = {}
        days = NonInstructionalDay.objects.filter(calendar__school_year_id__in=self.years)
        for calendar_id, start, end, label in days.values_list(
            "calendar_id", "start_date", "end_date", "label"
        ):
            day = start
            while day <= end:
                closed.setdefault(calendar_id, {})[day] = label
                day += dt.timedelta(days=1)
        found: dict[int, list[SchoolCalendar]] = {}
        rows = DistrictCalendar.objects.filter(school_year_id__in=self.years).order_by(
            "school_year_id"
        )
        for pk, district_id, year, first, last in rows.values_list(
            "pk", "district_id", "school_year_id", "first_day", "last_day"
        ):
            found.setdefault(district_id, []).append(
                SchoolCalendar(year, first, last, closed.get(pk, {}))
            )
        return found

    # -- people the teams need that the staff roster does not have ----------------------------

    def new_user(self, email: str, full_name: str, start: dt.date, rng: random.Random) -> User:
        if self.plan.scale.demo_passwords:
            password = self.writer.password_hash()
        else:
            password = f"!{rng.getrandbits(160):040x}"  # unusable, as in the builder
        return User(
            email=email,
            full_name=full_name,
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            date_joined=joined_at(start),
            password=password,
        )

    def add_support_staff(
        self, schools: list[SchoolRecord], staff: dict[str, SchoolStaff], quirks: dict[str, str]
    ) -> None:
        """Staff for the school whose ILT is too large, where it has too few people for
        one: counselors, specialists and the like, named from the top of the school's
        block of names so they never take a generated teacher's name."""
        domains = {d.state_id: d.email_domain for d in self.plan.districts}
        index_in_district: dict[str, int] = {}
        counts: dict[str, int] = {}
        for school in self.plan.schools:
            index_in_district[school.state_id] = counts.get(school.district_state_id, 0)
            counts[school.district_state_id] = index_in_district[school.state_id] + 1
        users: list[User] = []
        memberships: list[Membership] = []
        for school in schools:
            if quirks.get(school.state_id) != TOO_LARGE:
                continue
            people = staff[school.state_id]
            domain = domains[school.district_state_id]
            pool = NamePool(domain)
            base = DISTRICT_LEADER_SLOTS + index_in_district[school.state_id] * SLOTS_PER_SCHOOL
            rng = rng_for("support-staff", school.state_id)
            school_pk, district_pk = self.writer.school_pks[school.state_id]
            for index in range(max(0, TOO_LARGE_SIZE - len(people.everyone))):
                first, last = pool.name_at(base + SLOTS_PER_SCHOOL - 1 - index)
                email = f"{email_local_part(first, last)}@{domain}"
                start = school_year_bounds(self.years[0] - rng.randint(1, 6))[0]
                title = SUPPORT_TITLES[index % len(SUPPORT_TITLES)]
                people.teachers.append(Person(email, Role.TEACHER, title, start))
                if email in self.user_pks:
                    continue
                users.append(self.new_user(email, f"{first} {last}", start, rng))
                memberships.append(
                    Membership(
                        user=users[-1],
                        role=Role.TEACHER,
                        level=Level.SCHOOL,
                        title=title,
                        start_date=start,
                        school_id=school_pk,
                        district_id=district_pk,
                    )
                )
        self.save_users(users)
        self.rows.insert(Membership, memberships)

    def add_community(self, schools: list[SchoolRecord]) -> dict[str, list[tuple[Person, str]]]:
        """Parents on a School Improvement Team (and at high schools a student: one last
        year, another this year). They can sign in like other demo users but belong to
        no school, only to the team."""
        users: list[User] = []
        found: dict[str, list[tuple[Person, str]]] = {}
        last_year_end = school_year_bounds(self.years[0])[1]
        this_year_start = school_year_bounds(self.years[1])[0]
        for school in schools:
            rng = rng_for("community", school.state_id)
            pool = NamePool(f"community:{school.state_id}")
            seats: list[tuple[str, dt.date | None, dt.date | None]]
            seats = [(CommunityKind.PARENT, None, None)] * rng.randint(1, 2)
            if school.level == HIGH:
                seats += [
                    (CommunityKind.STUDENT, None, last_year_end),
                    (CommunityKind.STUDENT, this_year_start, None),
                ]
            for position, (kind, start, end) in enumerate(seats):
                first, last = pool.name_at(position)
                email = f"{email_local_part(first, last)}.{school.nces_id}@{DEMO_EMAIL_DOMAIN}"
                joined = start or self.window_start - dt.timedelta(days=rng.randint(60, 400))
                found.setdefault(school.state_id, []).append(
                    (Person(email, "", "", joined, end), kind)
                )
                if email not in self.user_pks:
                    users.append(self.new_user(email, f"{first} {last}", joined, rng))
        self.save_users(users)
        return found

    def save_users(self, users: list[User]) -> None:
        for user in self.rows.insert(User, users):
            self.user_pks[user.email] = user.pk


def write_teams(writer: DemoWriter, user_pks: dict[str, int]) -> None:
    """Teams, memberships and meetings for every demo school that has no team yet."""
    TeamsWriter(writer, user_pks).write()
