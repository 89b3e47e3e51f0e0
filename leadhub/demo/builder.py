"""Write a demo plan into the database, adding only what is missing.

Rows are matched on natural keys (a state's code, a hub's slug, a district's or
school's state identifier, a person's email, a school and year for a profile), read
in bulk up front. Existing rows are never changed, so running the build again on
the same day writes nothing, and whatever people have edited since stays as it is.

Rows that only make sense with their parent (a calendar's closures, a school's
programs, a district's service areas) are added when the parent is added, so a
closure someone deleted from a calendar does not come back.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history

from leadhub.accounts.models import User
from leadhub.demo.health_writer import write_health
from leadhub.demo.measure_writer import write_measures
from leadhub.demo.plan import DemoPlan
from leadhub.demo.plan_writer import write_plans
from leadhub.demo.staff import joined_at
from leadhub.demo.student_writer import write_students
from leadhub.demo.survey_writer import write_surveys
from leadhub.demo.team_writer import write_teams
from leadhub.orgs.models import (
    ROLE_LEVEL,
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    Level,
    Membership,
    NonInstructionalDay,
    ProgramParticipation,
    School,
    SchoolProfile,
    SchoolYear,
    SpecialProgram,
    State,
)

BATCH_SIZE = 2000
CHANGE_REASON = "demo seed"
ModelT = TypeVar("ModelT", bound=models.Model)


class RowWriter:
    """Bulk inserts, with a history row for each new row of a model with history when the
    scale keeps history."""

    def __init__(self, *, record_history: bool) -> None:
        self.record_history = record_history
        self.created: Counter[type[models.Model]] = Counter()

    def insert(self, model: type[ModelT], rows: list[ModelT]) -> list[ModelT]:
        if not rows:
            return []
        if self.record_history and hasattr(model, "history"):
            saved = bulk_create_with_history(
                rows, model, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
            )
        else:
            saved = model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
        # Both SQLite and PostgreSQL hand back the new primary keys; later rows need them.
        if saved[0].pk is None:
            raise RuntimeError(f"The database did not return keys for new {model.__name__} rows.")
        self.created[model] += len(saved)
        return saved


def _missing[RecordT](
    records: Iterable[RecordT], key: Callable[[RecordT], object], existing: Iterable[object]
) -> list[RecordT]:
    """The records whose natural key is not among the ``existing`` keys."""
    present = set(existing)
    return [record for record in records if key(record) not in present]


class DemoWriter:
    def __init__(self, plan: DemoPlan, password_hash: Callable[[], str]) -> None:
        self.plan = plan
        self.rows = RowWriter(record_history=plan.scale.record_history)
        self.password_hash = password_hash
        self.state_pk = 0
        self.hub_pks: dict[str, int] = {}
        self.district_pks: dict[str, int] = {}
        self.school_pks: dict[str, tuple[int, int]] = {}  # state id -> (school, district)
        self.new_districts: set[str] = set()
        self.new_schools: set[str] = set()

    def write(self) -> Counter[type[models.Model]]:
        self.write_state()
        self.write_school_years()
        self.write_hubs()
        self.write_districts()
        self.write_service_areas()
        self.write_schools()
        self.write_school_programs()
        self.write_profiles()
        self.write_calendars()
        user_pks = self.write_people()
        self.write_memberships(user_pks)
        write_teams(self, user_pks)  # ILTs, instructional teams and their meetings
        # Students, classes and assessment results, then measures for those schools.
        write_measures(self, user_pks, write_students(self, user_pks))
        write_surveys(self, user_pks)  # the culture pulse, sent and answered
        write_plans(self)  # strategic and improvement plans, before health reads their goals
        write_health(self)  # snapshots of every team's health, self-assessments
        return self.rows.created

    def write_state(self) -> None:
        record = self.plan.state
        state = State.objects.filter(code=record.code).first()
        if state is None:
            state = State(code=record.code, name=record.name, time_zone=record.time_zone)
            self.rows.insert(State, [state])
        self.state_pk = state.pk

    def write_school_years(self) -> None:
        existing = set(SchoolYear.objects.values_list("year", flat=True))
        for year in self.plan.school_years:
            if year not in existing:
                SchoolYear.ensure(year)
                self.rows.created[SchoolYear] += 1

    def write_hubs(self) -> None:
        self.hub_pks = dict(Hub.objects.values_list("slug", "pk"))
        missing = _missing(self.plan.hubs, lambda hub: hub.slug, self.hub_pks)
        rows = [
            Hub(
                state_id=self.state_pk,
                name=hub.name,
                slug=hub.slug,
                host_organization=hub.host_organization,
            )
            for hub in missing
        ]
        self.hub_pks.update((hub.slug, hub.pk) for hub in self.rows.insert(Hub, rows))

    def write_districts(self) -> None:
        self.district_pks = dict(District.objects.values_list("state_id", "pk"))
        missing = _missing(self.plan.districts, lambda d: d.state_id, self.district_pks)
        rows = [
            District(
                parent_state_id=self.state_pk,
                name=district.name,
                state_id=district.state_id,
                nces_id=district.nces_id,
                time_zone=district.time_zone,
            )
            for district in missing
        ]
        for district in self.rows.insert(District, rows):
            self.district_pks[district.state_id] = district.pk
            self.new_districts.add(district.state_id)

    def write_service_areas(self) -> None:
        rows = [
            HubServiceArea(
                district_id=self.district_pks[area.district_state_id],
                hub_id=self.hub_pks[area.hub_slug],
                start_date=area.start_date,
                end_date=area.end_date,
            )
            for area in self.plan.service_areas
            if area.district_state_id in self.new_districts
        ]
        self.rows.insert(HubServiceArea, rows)

    def write_schools(self) -> None:
        self.school_pks = {
            state_id: (pk, district_pk)
            for state_id, pk, district_pk in School.objects.values_list(
                "state_id", "pk", "district_id"
            )
        }
        missing = _missing(self.plan.schools, lambda s: s.state_id, self.school_pks)
        rows = [
            School(
                district_id=self.district_pks[school.district_state_id],
                name=school.name,
                state_id=school.state_id,
                nces_id=school.nces_id,
                city=school.city,
            )
            for school in missing
        ]
        for school in self.rows.insert(School, rows):
            self.school_pks[school.state_id] = (school.pk, school.district_id)
            self.new_schools.add(school.state_id)

    def write_school_programs(self) -> None:
        programs = []
        for program in self.plan.special_programs:
            if program.school_state_id in self.new_schools:
                school_pk, district_pk = self.school_pks[program.school_state_id]
                programs.append(
                    SpecialProgram(
                        school_id=school_pk,
                        district_id=district_pk,
                        kind=program.kind,
                        name=program.name,
                    )
                )
        self.rows.insert(SpecialProgram, programs)
        participations = []
        for taking_part in self.plan.participations:
            if taking_part.school_state_id in self.new_schools:
                school_pk, district_pk = self.school_pks[taking_part.school_state_id]
                participations.append(
                    ProgramParticipation(
                        school_id=school_pk,
                        district_id=district_pk,
                        hub_id=self.hub_pks[taking_part.hub_slug],
                        start_year_id=taking_part.start_year,
                        end_year_id=taking_part.end_year,
                        support_tier=taking_part.support_tier,
                    )
                )
        self.rows.insert(ProgramParticipation, participations)

    def write_profiles(self) -> None:
        years = {profile.year for profile in self.plan.profiles}
        existing = SchoolProfile.objects.filter(school_year_id__in=years).values_list(
            "school_id", "school_year_id"
        )
        missing = _missing(
            self.plan.profiles,
            lambda p: (self.school_pks[p.school_state_id][0], p.year),
            existing,
        )
        rows = []
        for profile in missing:
            school_pk, district_pk = self.school_pks[profile.school_state_id]
            rows.append(
                SchoolProfile(
                    school_id=school_pk,
                    district_id=district_pk,
                    school_year_id=profile.year,
                    lowest_grade=profile.lowest_grade,
                    highest_grade=profile.highest_grade,
                    locale=profile.locale,
                    enrollment=profile.enrollment,
                    pct_low_income=profile.pct_low_income,
                    pct_english_learners=profile.pct_english_learners,
                    pct_iep=profile.pct_iep,
                    federal_designation=profile.federal_designation,
                )
            )
        self.rows.insert(SchoolProfile, rows)

    def write_calendars(self) -> None:
        years = {calendar.year for calendar in self.plan.calendars}
        existing = DistrictCalendar.objects.filter(school_year_id__in=years).values_list(
            "district_id", "school_year_id"
        )
        missing = _missing(
            self.plan.calendars,
            lambda c: (self.district_pks[c.district_state_id], c.year),
            existing,
        )
        rows = [
            DistrictCalendar(
                district_id=self.district_pks[calendar.district_state_id],
                school_year_id=calendar.year,
                first_day=calendar.first_day,
                last_day=calendar.last_day,
            )
            for calendar in missing
        ]
        saved = self.rows.insert(DistrictCalendar, rows)
        closures = [
            NonInstructionalDay(
                calendar_id=row.pk,
                district_id=row.district_id,
                start_date=closure.start_date,
                end_date=closure.end_date,
                kind=closure.kind,
                label=closure.label,
            )
            for row, calendar in zip(saved, missing, strict=True)
            for closure in calendar.closures
        ]
        self.rows.insert(NonInstructionalDay, closures)

    def write_people(self) -> dict[str, int]:
        user_pks = dict(User.objects.values_list("email", "pk"))
        missing = _missing(self.plan.people, lambda p: p.email, user_pks)
        demo_hash = self.password_hash() if missing else ""
        # Staff at state scale cannot sign in: an unusable password, as Django writes it
        # ("!" and a random suffix), drawn cheaply instead of hashing 130,000 times.
        unusable = random.Random(f"unusable-passwords:{self.plan.anchor_year}")
        rows = []
        for person in missing:
            signs_in = person.is_known_signin or self.plan.scale.demo_passwords
            rows.append(
                User(
                    email=person.email,
                    full_name=person.full_name,
                    preferred_name=person.preferred_name,
                    public_id=person.public_id,
                    is_staff=person.is_staff,
                    date_joined=joined_at(person.joined),
                    password=demo_hash if signs_in else f"!{unusable.getrandbits(160):040x}",
                )
            )
        user_pks.update((user.email, user.pk) for user in self.rows.insert(User, rows))
        return user_pks

    def membership_scope(self, level: str, org_key: str) -> dict[str, int | None]:
        if level == Level.STATE:
            return {"state_id": self.state_pk}
        if level == Level.HUB:
            return {"hub_id": self.hub_pks[org_key]}
        if level == Level.DISTRICT:
            return {"district_id": self.district_pks[org_key]}
        school_pk, district_pk = self.school_pks[org_key]
        return {"school_id": school_pk, "district_id": district_pk}

    def write_memberships(self, user_pks: dict[str, int]) -> None:
        existing: set[tuple[object, ...]] = set(
            Membership.objects.values_list(
                "user_id", "role", "state_id", "hub_id", "district_id", "school_id"
            )
        )
        rows = []
        for membership in self.plan.memberships:
            level = ROLE_LEVEL[membership.role]
            scope = self.membership_scope(level, membership.org_key)
            user_pk = user_pks[membership.email]
            key = (
                user_pk,
                membership.role,
                scope.get("state_id"),
                scope.get("hub_id"),
                scope.get("district_id"),
                scope.get("school_id"),
            )
            if key in existing:
                continue
            existing.add(key)
            rows.append(
                Membership(
                    user_id=user_pk,
                    role=membership.role,
                    level=level,
                    title=membership.title,
                    start_date=membership.start_date,
                    end_date=membership.end_date,
                    **scope,
                )
            )
        self.rows.insert(Membership, rows)


def write_plan(plan: DemoPlan, *, password_hash: Callable[[], str]) -> Counter[type[models.Model]]:
    """Insert whatever of ``plan`` is missing; returns how many rows of each model were added.

    ``password_hash`` is called at most once, and only if someone new needs a password.
    """
    return DemoWriter(plan, password_hash).write()
