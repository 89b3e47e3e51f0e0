"""Write the demo's students: enrollments, group memberships, classes and assessment
results for every demo school that has no students yet, one batch of schools at a time.

The students of a school and their results are planned as plain values
(``leadhub.demo.students``, ``leadhub.demo.assessments``), turned into rows by
``leadhub.demo.rows`` and written with ``executemany``, a batch at a time, so memory
stays flat at state scale. Only schools without any enrollment get students, so running
``seed_demo`` again adds nothing.

Classes are per grade and school year, taught by the school's demo teachers (a teacher
whose title names the grade or subject teaches it; the rest share the other classes),
so the demo teacher sign-in has this year's Grade 3 class. Only this year's classes
are active: a teacher reaches this year's students, not last year's.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from leadhub.assessments.models import Assessment, AssessmentResult, Subject
from leadhub.demo.assessments import (
    ASSESSMENTS,
    WINDOW_DAYS,
    SchoolOutlook,
    cohort_results,
    grade_number,
    window_day,
)
from leadhub.demo.organizations import (
    ELEMENTARY,
    MIDDLE,
    demo_scale_school_ids,
    organization_tree,
)
from leadhub.demo.records import MembershipRecord, ParticipationRecord, ProfileRecord, SchoolRecord
from leadhub.demo.rows import FastInserter
from leadhub.demo.school_details import SchoolTraits, profile
from leadhub.demo.staff import joined_at
from leadhub.demo.students import COHORT_SIZES, SchoolCohort, school_cohort, student_state_id
from leadhub.demo.teams import GRADE_NAMES
from leadhub.orgs.models import Role
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)
from leadhub.students.services import built_in_groups_ensure

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter

logger = logging.getLogger(__name__)

FLUSH_ROWS = 100_000
HIGH_SCHOOL_MATH = {"09": "Algebra I", "10": "Geometry", "11": "Algebra II", "12": "Precalculus"}
SUBJECT_NAMES: dict[str, str] = {Subject.ELA: "English language arts", Subject.MATH: "Mathematics"}
HOMEROOM = "homeroom"  # an elementary class: every subject, one teacher
ROSTER = StudentGroupMembership.Source.ROSTER.value


@dataclass(frozen=True)
class ClassPlan:
    grade: str
    subject: str  # HOMEROOM, or the subject a middle or high school class teaches
    title: str
    course_title: str


def class_plans(level: str, grades: tuple[str, ...]) -> list[ClassPlan]:
    plans = []
    for position, grade in enumerate(grades):
        name = "Pre-K" if grade == "PK" else GRADE_NAMES[grade_number(grade)]
        if level == ELEMENTARY:
            plans.append(ClassPlan(grade, HOMEROOM, f"{name}, Room {101 + position}", name))
        elif level == MIDDLE:
            for subject in (Subject.ELA, Subject.MATH):
                label = "English language arts" if subject == Subject.ELA else "math"
                course = f"{SUBJECT_NAMES[subject]} {int(grade)}"
                plans.append(ClassPlan(grade, subject, f"{name} {label}", course))
        else:
            english = f"English {int(grade)}"
            plans.append(ClassPlan(grade, Subject.ELA, english, english))
            math = HIGH_SCHOOL_MATH[grade]
            plans.append(ClassPlan(grade, Subject.MATH, f"{math} ({name})", math))
    return plans


def teaches(level: str, title: str, plan: ClassPlan) -> bool:
    """Whether a teacher's title names this class's grade (elementary) or subject."""
    if level == ELEMENTARY:
        if plan.grade == "PK":
            return False
        grade_title = "Kindergarten" if plan.grade == "KG" else f"Grade {int(plan.grade)}"
        return title == f"{grade_title} teacher"
    if level == MIDDLE:
        subject = "English language arts" if plan.subject == Subject.ELA else "math"
        return title == f"Grade {int(plan.grade)} {subject} teacher"
    if plan.subject == Subject.ELA:
        return title == "English teacher"
    return title in {"Algebra teacher", "Geometry teacher"}


def assign_teachers(
    level: str, plans: list[ClassPlan], teachers: list[MembershipRecord]
) -> dict[ClassPlan, MembershipRecord]:
    """Each class to a teacher whose title fits it; the other classes to the teachers whose
    titles fit none, then to anyone, always the one with the fewest classes so far."""
    load: dict[str, int] = defaultdict(int)
    fitting = {plan: [t for t in teachers if teaches(level, t.title, plan)] for plan in plans}
    fitted = {t.email for candidates in fitting.values() for t in candidates}
    spare = [t for t in teachers if t.email not in fitted] or teachers
    assigned: dict[ClassPlan, MembershipRecord] = {}
    for plan in plans:
        candidates = fitting[plan] or spare
        if not candidates:
            continue
        chosen = min(candidates, key=lambda t: load[t.email])  # min keeps the first of ties
        load[chosen.email] += 1
        assigned[plan] = chosen
    return assigned


# The largest tables go in as plain tuples of these columns (nothing points at their rows).
ENROLLMENT_COLUMNS = ("district_id", "student_id", "school_id", "school_year_id", "grade", "active")
MEMBERSHIP_COLUMNS = ("district_id", "student_id", "school_year_id", "group_id", "source")
ROSTER_COLUMNS = ("district_id", "section_id", "student_id", "sourced_id", "active")
RESULT_COLUMNS = (
    "district_id",
    "student_id",
    "school_id",
    "assessment_id",
    "subject",
    "grade",
    "school_year_id",
    "window",
    "scale_score",
    "performance_level",
    "updated_at",
)
Row = tuple[Any, ...]


@dataclass
class Batch:
    students: list[Student] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    section_teachers: list[SectionTeacher] = field(default_factory=list)
    enrollments: list[Row] = field(default_factory=list)
    memberships: list[Row] = field(default_factory=list)
    section_students: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(rows) for rows in vars(self).values())

    def write(self, fast: FastInserter) -> None:
        # Parents first: foreign keys are checked at commit, but not every database defers.
        fast.write(
            [
                (Student, self.students),
                (Section, self.sections),
                (SectionTeacher, self.section_teachers),
            ]
        )
        fast.insert_values(StudentEnrollment, ENROLLMENT_COLUMNS, self.enrollments)
        fast.insert_values(StudentGroupMembership, MEMBERSHIP_COLUMNS, self.memberships)
        fast.insert_values(SectionStudent, ROSTER_COLUMNS, self.section_students)
        fast.insert_values(AssessmentResult, RESULT_COLUMNS, self.results)


@dataclass(frozen=True)
class SchoolInputs:
    record: SchoolRecord
    school_pk: int
    district_pk: int
    profiles: dict[int, ProfileRecord]
    participations: list[ParticipationRecord]
    teachers: list[MembershipRecord]


class StudentWriter:
    def __init__(self, writer: DemoWriter, user_pks: dict[str, int]) -> None:
        self.writer = writer
        self.plan = writer.plan
        self.user_pks = user_pks
        self.fast = FastInserter(writer.rows)
        self.make = self.fast.make
        self.today = timezone.localdate()
        self.current_year = self.plan.anchor_year
        self.size = COHORT_SIZES[self.plan.scale.name]
        self.group_pks: dict[str, int] = {}
        self.assessment_pks: dict[str, int] = {}

    def write(self) -> list[SchoolInputs]:
        started = time.perf_counter()
        before = sum(self.writer.rows.created.values())
        schools = self.school_inputs()
        if not schools:
            return []
        self.group_pks = {code: group.pk for code, group in built_in_groups_ensure().items()}
        self.assessment_pks = self.ensure_assessments()
        batch = Batch()
        for school in schools:
            self.add_school(batch, school)
            if batch.size() >= FLUSH_ROWS:
                batch.write(self.fast)
                batch = Batch()
        batch.write(self.fast)
        self.fast.finish()
        logger.info(
            "Students for %s schools: %s rows in %.1f s.",
            f"{len(schools):,}",
            f"{sum(self.writer.rows.created.values()) - before:,}",
            time.perf_counter() - started,
        )
        return schools

    # -- what the build reads ---------------------------------------------------------------

    def school_inputs(self) -> list[SchoolInputs]:
        with_students = set(
            StudentEnrollment.objects.values_list("school_id", flat=True).distinct()
        )
        school_pks = self.writer.school_pks
        wanted = [
            s
            for s in self.plan.schools
            if s.state_id in school_pks and school_pks[s.state_id][0] not in with_students
        ]
        if self.plan.scale.is_state:
            wanted = [s for s in wanted if s.state_id in demo_scale_school_ids()]
        if not wanted:
            return []
        # Profiles for every year with students, also those the scale does not store.
        blueprints = {s.record.state_id: s for s in organization_tree(self.plan.scale).schools}
        participations: dict[str, list[ParticipationRecord]] = defaultdict(list)
        for taking_part in self.plan.participations:
            participations[taking_part.school_state_id].append(taking_part)
        teachers: dict[str, list[MembershipRecord]] = defaultdict(list)
        for membership in self.plan.memberships:
            if membership.role == Role.TEACHER:
                teachers[membership.org_key].append(membership)
        inputs = []
        for record in wanted:
            blueprint = blueprints[record.state_id]
            traits = SchoolTraits(blueprint)
            school_pk, district_pk = school_pks[record.state_id]
            inputs.append(
                SchoolInputs(
                    record=record,
                    school_pk=school_pk,
                    district_pk=district_pk,
                    profiles={
                        year: profile(blueprint, traits, year) for year in self.plan.school_years
                    },
                    participations=participations[record.state_id],
                    teachers=teachers[record.state_id],
                )
            )
        return inputs

    def ensure_assessments(self) -> dict[str, int]:
        found = dict(Assessment.objects.values_list("code", "pk"))
        missing = [
            Assessment(
                code=spec.code,
                name=spec.name,
                level_count=spec.level_count,
                proficient_level=spec.proficient_level,
                is_interim=spec.is_interim,
            )
            for spec in ASSESSMENTS
            if spec.code not in found
        ]
        for assessment in self.writer.rows.insert(Assessment, missing):
            found[assessment.code] = assessment.pk
        return found

    # -- one school -----------------------------------------------------------------------

    def add_school(self, batch: Batch, school: SchoolInputs) -> None:
        cohort = school_cohort(school.record.state_id, school.profiles, self.size)
        students = self.add_students(batch, school, cohort)
        self.add_classes(batch, school, cohort, students)
        outlook = SchoolOutlook(school.record.state_id, school.participations, cohort.years[0])
        district, school_pk = school.district_pk, school.school_pk
        tested_on = {
            (year, window): joined_at(window_day(year, window))
            for year in cohort.years
            for window in WINDOW_DAYS
        }
        batch.results += [
            (
                district,
                students[pupil.serial].pk,
                school_pk,
                self.assessment_pks[result.spec.code],
                result.subject,
                result.grade,
                result.year,
                result.window,
                result.scale_score,
                result.level,
                tested_on[(result.year, result.window)],
            )
            for pupil, result in cohort_results(cohort, outlook, self.today)
        ]

    def add_students(
        self, batch: Batch, school: SchoolInputs, cohort: SchoolCohort
    ) -> dict[int, Student]:
        make, district = self.make, school.district_pk
        students: dict[int, Student] = {}
        for pupil in cohort.pupils:
            arrived = joined_at(school_year_bounds(min(pupil.grades))[0] + dt.timedelta(days=40))
            student = make(
                Student,
                district_id=district,
                state_student_id=student_state_id(school.record.state_id, pupil.serial),
                given_name=pupil.given_name,
                family_name=pupil.family_name,
                active=self.current_year in pupil.grades,
                created_at=arrived,
                updated_at=arrived,
            )
            students[pupil.serial] = student
            batch.students.append(student)
            for year, grade in pupil.grades.items():
                batch.enrollments.append(
                    (district, student.pk, school.school_pk, year, grade, True)
                )
                batch.memberships += [
                    (district, student.pk, year, self.group_pks[code], ROSTER)
                    for code in pupil.group_years[year]
                ]
        return students

    def add_classes(
        self, batch: Batch, school: SchoolInputs, cohort: SchoolCohort, students: dict[int, Student]
    ) -> None:
        make, district, level = self.make, school.district_pk, school.record.level
        plans = class_plans(level, cohort.grades)
        for year in cohort.years:
            start = school_year_bounds(year)[0]
            teachers = [
                t
                for t in school.teachers
                if t.start_date <= start
                and (t.end_date is None or t.end_date >= start)
                and t.email in self.user_pks
            ]
            assigned = assign_teachers(level, plans, teachers)
            current = year == self.current_year
            stamp = joined_at(start + dt.timedelta(days=30))
            by_grade: dict[str, list[int]] = defaultdict(list)
            for pupil in cohort.enrolled(year):
                by_grade[pupil.grades[year]].append(students[pupil.serial].pk)
            for plan in plans:
                if not by_grade[plan.grade]:
                    continue
                subjects = (
                    "English language arts, Mathematics"
                    if plan.subject == HOMEROOM
                    else SUBJECT_NAMES[plan.subject]
                )
                section = make(
                    Section,
                    district_id=district,
                    school_id=school.school_pk,
                    school_year_id=year,
                    title=plan.title,
                    course_title=plan.course_title,
                    grades=plan.grade,
                    subjects=subjects,
                    active=current,
                    created_at=stamp,
                    updated_at=stamp,
                )
                batch.sections.append(section)
                teacher = assigned.get(plan)
                if teacher is not None:
                    batch.section_teachers.append(
                        make(
                            SectionTeacher,
                            district_id=district,
                            section_id=section.pk,
                            user_id=self.user_pks[teacher.email],
                            active=current,
                        )
                    )
                batch.section_students += [
                    (district, section.pk, student_pk, "", current)
                    for student_pk in by_grade[plan.grade]
                ]


def write_students(writer: DemoWriter, user_pks: dict[str, int]) -> list[SchoolInputs]:
    """Students, classes and results for every demo school that has no students yet;
    returns those schools."""
    return StudentWriter(writer, user_pks).write()
