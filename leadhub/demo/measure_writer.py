"""Write the demo's measures for the schools that just got students: the state-wide
computed measures and their values (worked out by ``leadhub.measures.compute`` from the
results, one district at a time), each district's entered measures with monthly values
for each of those schools, a team measure for a grade-level team, notes where a change
began, and chart settings for some series.

The computed measures are looked up by name before they are added; everything else is
added only for schools that got their students in the same build, so running
``seed_demo`` again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

from leadhub.assessments.models import Assessment
from leadhub.demo.measures import (
    COMPUTED_MEASURES,
    ENTERED_MEASURES,
    EXIT_TICKETS,
    EnteredMeasure,
    SchoolFacts,
    SeriesPlan,
    baseline,
    school_months,
    series_plan,
    team_weeks,
)
from leadhub.demo.rows import FastInserter
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.staff import joined_at
from leadhub.measures.compute import computed_values_refresh
from leadhub.measures.models import (
    ChartSetting,
    Measure,
    MeasureAnnotation,
    MeasureLevel,
    MeasureSource,
    MeasureValue,
    Unit,
    value_scope_key,
)
from leadhub.orgs.models import Role
from leadhub.orgs.schoolyears import school_year_of
from leadhub.teams.models import InstructionalGrouping, Team, TeamKind

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter
    from leadhub.demo.student_writer import SchoolInputs

logger = logging.getLogger(__name__)

PREFERRED_TEAM = "Grade 3 team"


def _month_label(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _week_label(day: dt.date) -> str:
    return f"Week of {day.day} {day:%B %Y}"


class MeasureWriter:
    def __init__(
        self, writer: DemoWriter, user_pks: dict[str, int], schools: Sequence[SchoolInputs]
    ) -> None:
        self.writer = writer
        self.plan = writer.plan
        self.user_pks = user_pks
        self.schools = schools
        self.fast = FastInserter(writer.rows)
        self.make = self.fast.make
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.principals: dict[str, int] = {}
        self.leaders: dict[str, int] = {}
        for membership in self.plan.memberships:
            pk = user_pks.get(membership.email)
            if pk is None or membership.end_date is not None:
                continue
            if membership.role == Role.PRINCIPAL:
                self.principals.setdefault(membership.org_key, pk)
            elif membership.role == Role.DISTRICT_LEADER:
                self.leaders.setdefault(membership.org_key, pk)
        principal = KNOWN_BY_ROLE[Role.PRINCIPAL].email
        self.signin_school = next(
            (m.org_key for m in self.plan.memberships if m.email == principal), ""
        )
        self.values: list[MeasureValue] = []
        self.notes: list[MeasureAnnotation] = []
        self.settings: list[ChartSetting] = []

    def write(self) -> None:
        if not self.schools:
            return
        started = time.perf_counter()
        self.write_computed()
        months = school_months(self.plan.anchor_year, self.today)
        entered = self.entered_measures()
        for school in self.schools:
            facts = self.facts(school)
            scope = value_scope_key(
                school_id=school.school_pk, team_id=None, district_id=school.district_pk
            )
            for definition in ENTERED_MEASURES:
                measure_pk = entered[(school.district_pk, definition.name)]
                plan = series_plan(
                    definition,
                    facts,
                    months,
                    signin_school=school.record.state_id == self.signin_school,
                )
                self.add_series(definition, measure_pk, scope, school, plan, team_pk=None)
        self.write_team_measures()
        self.fast.write(
            [
                (MeasureValue, self.values),
                (MeasureAnnotation, self.notes),
                (ChartSetting, self.settings),
            ]
        )
        self.fast.finish()
        logger.info(
            "Measures for %s schools in %.1f s.", len(self.schools), time.perf_counter() - started
        )

    # -- computed measures ---------------------------------------------------------------

    def write_computed(self) -> None:
        assessments = dict(Assessment.objects.values_list("code", "pk"))
        existing = dict(
            Measure.objects.filter(
                district__isnull=True, source=MeasureSource.COMPUTED
            ).values_list("name", "pk")
        )
        missing = [
            Measure(
                name=definition.name,
                description=definition.description,
                unit=Unit.PERCENT,
                level=MeasureLevel.SCHOOL,
                source=MeasureSource.COMPUTED,
                assessment_id=assessments[definition.spec.code],
                subject=definition.subject,
                at_or_above_level=definition.spec.proficient_level,
                numerator_label="Students at or above the standard",
                denominator_label="Students tested",
            )
            for definition in COMPUTED_MEASURES
            if definition.name not in existing
        ]
        for measure in self.writer.rows.insert(Measure, missing):
            existing[measure.name] = measure.pk
        measure_pks = [existing[definition.name] for definition in COMPUTED_MEASURES]
        values = MeasureValue.objects.filter(measure_id__in=measure_pks)
        before = values.count()
        for district_pk in sorted({school.district_pk for school in self.schools}):
            computed_values_refresh(district_id=district_pk, measure_ids=measure_pks)
        self.writer.rows.created[MeasureValue] += values.count() - before

    # -- entered measures ----------------------------------------------------------------

    def entered_measures(self) -> dict[tuple[int, str], int]:
        """Each district's entered measures, by district and name, added where missing."""
        districts = {school.district_pk: school.record.district_state_id for school in self.schools}
        names = [definition.name for definition in ENTERED_MEASURES]
        found = {
            (district, name): pk
            for district, name, pk in Measure.objects.filter(
                district_id__in=districts, school__isnull=True, team__isnull=True, name__in=names
            ).values_list("district_id", "name", "pk")
        }
        keys = [
            (district_pk, definition)
            for district_pk in sorted(districts)
            for definition in ENTERED_MEASURES
            if (district_pk, definition.name) not in found
        ]
        missing = [
            Measure(
                name=definition.name,
                description=definition.description,
                unit=definition.unit,
                direction=definition.direction,
                level=MeasureLevel.SCHOOL,
                district_id=district_pk,
                owner_id=self.leaders.get(districts[district_pk]),
                numerator_label=definition.numerator_label,
                denominator_label=definition.denominator_label,
                source=MeasureSource.ENTERED,
            )
            for district_pk, definition in keys
        ]
        saved = self.writer.rows.insert(Measure, missing)
        for (district_pk, definition), measure in zip(keys, saved, strict=True):
            found[(district_pk, definition.name)] = measure.pk
        return found

    def facts(self, school: SchoolInputs) -> SchoolFacts:
        profile = school.profiles[self.plan.anchor_year]
        return SchoolFacts(
            state_id=school.record.state_id,
            enrollment=profile.enrollment,
            low_income=float(profile.pct_low_income),
        )

    def add_series(
        self,
        definition: EnteredMeasure,
        measure_pk: int,
        scope: str,
        school: SchoolInputs,
        plan: SeriesPlan,
        *,
        team_pk: int | None,
    ) -> None:
        make, district = self.make, school.district_pk
        entered_by = self.principals.get(school.record.state_id)
        label = _week_label if team_pk else _month_label
        # A school's attendance figures stand on all its students (not the demo's sample).
        students = None
        if team_pk is None and definition.unit == Unit.PERCENT:
            students = school.profiles[self.plan.anchor_year].enrollment
        for point in plan.points:
            entered_at = min(self.now, joined_at(point.period_start + dt.timedelta(days=35)))
            self.values.append(
                make(
                    MeasureValue,
                    district_id=district,
                    measure_id=measure_pk,
                    school_id=None if team_pk else school.school_pk,
                    team_id=team_pk,
                    scope_key=scope,
                    period_start=point.period_start,
                    period_label=label(point.period_start),
                    school_year_id=school_year_of(point.period_start),
                    value=point.value,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    student_count=students,
                    source=MeasureSource.ENTERED,
                    entered_by_id=entered_by,
                    created_at=entered_at,
                    updated_at=entered_at,
                )
            )
        stamp = joined_at(plan.points[0].period_start)
        if plan.note_day is not None:
            self.notes.append(
                make(
                    MeasureAnnotation,
                    district_id=district,
                    measure_id=measure_pk,
                    scope_key=scope,
                    date=plan.note_day,
                    kind=definition.note_kind,
                    label=definition.note,
                    created_by_id=entered_by,
                    created_at=joined_at(plan.note_day),
                    updated_at=joined_at(plan.note_day),
                )
            )
        if plan.charted:
            start, end = baseline(plan)
            self.settings.append(
                make(
                    ChartSetting,
                    district_id=district,
                    measure_id=measure_pk,
                    scope_key=scope,
                    rule_set=definition.rule_set,
                    baseline_start=start,
                    baseline_end=end,
                    updated_by_id=entered_by,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )

    # -- a grade-level team's measure ------------------------------------------------------

    def write_team_measures(self) -> None:
        """One grade-level team per school (Grade 3 where there is one) keeps a weekly
        measure of its own."""
        by_pk = {school.school_pk: school for school in self.schools}
        chosen: dict[int, tuple[int, str]] = {}
        teams = Team.objects.filter(
            school_id__in=by_pk,
            kind=TeamKind.INSTRUCTIONAL,
            grouping=InstructionalGrouping.GRADE_LEVEL,
            archived_on__isnull=True,
        ).order_by("school_id", "name", "pk")
        for team_pk, school_pk, name in teams.values_list("pk", "school_id", "name"):
            if school_pk not in chosen or name == PREFERRED_TEAM:
                chosen[school_pk] = (team_pk, name)
        taken = set(
            Measure.objects.filter(
                team_id__in=[team for team, _ in chosen.values()], name=EXIT_TICKETS.name
            ).values_list("team_id", flat=True)
        )
        wanted = [
            (school_pk, team) for school_pk, team in sorted(chosen.items()) if team[0] not in taken
        ]
        measures = self.writer.rows.insert(
            Measure,
            [
                Measure(
                    name=EXIT_TICKETS.name,
                    description=EXIT_TICKETS.description,
                    unit=EXIT_TICKETS.unit,
                    direction=EXIT_TICKETS.direction,
                    level=MeasureLevel.TEAM,
                    district_id=by_pk[school_pk].district_pk,
                    school_id=school_pk,
                    team_id=team_pk,
                    owner_id=self.principals.get(by_pk[school_pk].record.state_id),
                    source=MeasureSource.ENTERED,
                )
                for school_pk, (team_pk, _name) in wanted
            ],
        )
        weeks = team_weeks(self.today)
        for measure, (school_pk, (team_pk, _name)) in zip(measures, wanted, strict=True):
            school = by_pk[school_pk]
            scope = value_scope_key(school_id=None, team_id=team_pk, district_id=school.district_pk)
            plan = series_plan(
                EXIT_TICKETS,
                self.facts(school),
                weeks,
                signin_school=school.record.state_id == self.signin_school,
                scope=scope,
            )
            self.add_series(EXIT_TICKETS, measure.pk, scope, school, plan, team_pk=team_pk)


def write_measures(
    writer: DemoWriter, user_pks: dict[str, int], schools: Sequence[SchoolInputs]
) -> None:
    """Measures, values, notes and chart settings for the schools that just got students."""
    MeasureWriter(writer, user_pks, schools).write()
