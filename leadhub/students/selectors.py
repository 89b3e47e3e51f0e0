"""Reads for the student pages: the list, a class, a student, a school's figures.

Callers gate first (``leadhub.students.access`` for rows, ``leadhub.orgs.access`` for a
school's figures); these functions answer for what the person may already see. Every
figure computed from student records leaves here as a suppressed :class:`Cell`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from leadhub.assessments.models import WINDOW_ORDER, Assessment, AssessmentResult, Subject, Window
from leadhub.lib.suppression import (
    Cell,
    Figure,
    Kind,
    hidden_cell,
    share,
    suppress_lines,
    suppress_one,
)
from leadhub.orgs.models import Grade, School
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.selectors import current_school_year
from leadhub.students.access import (
    Person,
    active_sections_taught_by,
    school_student_rows_visible,
    student_reach,
    students_visible_to,
)
from leadhub.students.models import (
    GroupCategory,
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroup,
    StudentGroupMembership,
)

NOT_REPORTED = "not_reported"


def grade_label(code: str) -> str:
    return Grade(code).label if code in Grade.values else ""


def window_rank(window: str) -> int:
    return WINDOW_ORDER.index(Window(window)) if window in Window.values else len(WINDOW_ORDER)


# ---------------------------------------------------------------------------------------
# The student list


class ListMode(StrEnum):
    SCHOOL = "school"  # every student enrolled at the school this year
    CLASSES = "classes"  # the students of the person's own classes there


def schools_with_student_rows(user: Person) -> QuerySet[School]:
    """Schools whose students (all of them, or those of the person's classes) they may list."""
    reach = student_reach(user)
    if not reach.any:
        return School.objects.none()
    condition = Q(district_id__in=reach.district_ids) | Q(pk__in=reach.school_ids)
    if reach.teaches:
        condition |= Q(pk__in=active_sections_taught_by(user).values("school_id"))
    return School.objects.filter(condition).select_related("district").order_by("name", "pk")


def list_mode(user: Person, school: School) -> ListMode:
    return ListMode.SCHOOL if school_student_rows_visible(user, school) else ListMode.CLASSES


def enrollment_year(school: School) -> int | None:
    """The school year to show: the current one, or the latest the school has students in."""
    enrollments = StudentEnrollment.objects.filter(school=school)
    current = current_school_year()
    latest: int | None = enrollments.filter(school_year__lte=current).aggregate(
        year=Max("school_year")
    )["year"]
    if latest is None:
        latest = enrollments.aggregate(year=Max("school_year"))["year"]
    return latest


def list_sections(
    user: Person, school: School, mode: ListMode, year: int | None
) -> QuerySet[Section]:
    """The classes the list can be narrowed to."""
    if mode is ListMode.CLASSES:
        sections = active_sections_taught_by(user).filter(school=school)
    else:
        sections = Section.objects.filter(school=school, active=True, school_year_id=year)
    return sections.order_by("title", "pk")


@dataclass(frozen=True)
class ListFilters:
    section: Section | None = None
    grade: str = ""
    group: StudentGroup | None = None
    search: str = ""

    @property
    def any(self) -> bool:
        return bool(self.section or self.grade or self.group or self.search)


@dataclass(frozen=True)
class StudentList:
    school: School
    mode: ListMode
    year: int | None
    # StudentEnrollment (school mode) or SectionStudent (classes mode) rows, each
    # annotated with ``grade_code`` and ``year_id`` and with its student selected.
    rows: QuerySet[Any]

    @property
    def year_label(self) -> str:
        return school_year_label(self.year) if self.year else ""


def student_list(user: Person, school: School) -> StudentList:
    """Every student the person may list at the school, before any filter."""
    mode = list_mode(user, school)
    year = enrollment_year(school)
    rows: QuerySet[Any]
    if mode is ListMode.SCHOOL:
        rows = (
            StudentEnrollment.objects.filter(school=school, school_year_id=year, active=True)
            .annotate(grade_code=F("grade"), year_id=F("school_year_id"))
            .order_by("student__family_name", "student__given_name", "student__pk")
        )
    else:
        rows = (
            SectionStudent.objects.filter(
                active=True, section__in=active_sections_taught_by(user).filter(school=school)
            )
            .select_related("section")
            .annotate(
                grade_code=Coalesce(
                    Subquery(
                        StudentEnrollment.objects.filter(
                            student=OuterRef("student"),
                            school=OuterRef("section__school"),
                            school_year=OuterRef("section__school_year"),
                        ).values("grade")[:1]
                    ),
                    Value(""),
                ),
                year_id=F("section__school_year_id"),
            )
            .order_by(
                "section__title", "section__pk", "student__family_name", "student__given_name"
            )
        )
    # Never wider than the gate, whatever the roster says.
    rows = rows.filter(student__in=students_visible_to(user)).select_related("student")
    return StudentList(school=school, mode=mode, year=year, rows=rows)


def filter_list(listing: StudentList, filters: ListFilters) -> StudentList:
    rows = listing.rows
    if filters.section is not None:
        if listing.mode is ListMode.CLASSES:
            rows = rows.filter(section=filters.section)
        else:
            rows = rows.filter(
                Exists(
                    SectionStudent.objects.filter(
                        section=filters.section, student=OuterRef("student"), active=True
                    )
                )
            )
    if filters.grade:
        rows = rows.filter(grade_code=filters.grade)
    if filters.group is not None:
        rows = rows.filter(
            Exists(
                StudentGroupMembership.objects.filter(
                    student=OuterRef("student"),
                    school_year=OuterRef("year_id"),
                    group=filters.group,
                )
            )
        )
    for word in filters.search.split():
        rows = rows.filter(
            Q(student__given_name__icontains=word)
            | Q(student__family_name__icontains=word)
            | Q(student__preferred_name__icontains=word)
            | Q(student__state_student_id__iexact=word)
            | Q(student__sourced_id__iexact=word)
        )
    return replace(listing, rows=rows)


def list_grades(listing: StudentList) -> list[str]:
    """The grades the list's students are in, in grade order (for the grade filter)."""
    codes = set(listing.rows.values_list("grade_code", flat=True))
    return [code for code in Grade.values if code in codes]


@dataclass(frozen=True)
class ListedStudent:
    student: Student
    grade_code: str
    year: int | None
    section: Section | None
    groups: tuple[StudentGroup, ...]

    @property
    def grade(self) -> str:
        return grade_label(self.grade_code)

    @property
    def programs(self) -> list[StudentGroup]:
        """Groups other than race and ethnicity: what a list needs beside a name."""
        return [g for g in self.groups if g.category != GroupCategory.RACE_ETHNICITY]


def listed_students(rows: Iterable[Any]) -> list[ListedStudent]:
    """List rows with each student's groups for the row's school year (one query)."""
    rows = list(rows)
    groups = groups_by_student_year(
        {row.student_id for row in rows}, {row.year_id for row in rows if row.year_id}
    )
    return [
        ListedStudent(
            student=row.student,
            grade_code=row.grade_code or "",
            year=row.year_id,
            section=row.section if isinstance(row, SectionStudent) else None,
            groups=tuple(groups.get((row.student_id, row.year_id), ())),
        )
        for row in rows
    ]


def groups_by_student_year(
    student_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], list[StudentGroup]]:
    found: dict[tuple[int, int], list[StudentGroup]] = defaultdict(list)
    memberships = (
        StudentGroupMembership.objects.filter(
            student_id__in=list(student_ids), school_year_id__in=list(years)
        )
        .select_related("group")
        .order_by("group__sort_order", "group__label")
    )
    for membership in memberships:
        found[(membership.student_id, membership.school_year_id)].append(membership.group)
    return found


def group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The canonical groups by category, for a grouped menu."""
    by_category: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for group in StudentGroup.objects.order_by("sort_order", "label"):
        by_category[group.category].append((group.code, group.label))
    return [
        (GroupCategory(category).label, by_category[category])
        for category in GroupCategory.values
        if by_category.get(category)
    ]


# ---------------------------------------------------------------------------------------
# Suppressed counts with their shares


@dataclass(frozen=True)
class CountRow:
    """One line of a table of counts: the count and its share of the total, suppressed."""

    key: str
    label: str
    count: Cell
    share: Cell
    is_total: bool = False


def count_rows(
    labels: Mapping[str, str],
    counts: Mapping[str, int],
    lines: Sequence[tuple[str | None, Sequence[str]]],
    *,
    total_key: str,
) -> list[CountRow]:
    """Counts suppressed together (small cells, then complementary along ``lines``), each
    with its share of the total; a share is hidden wherever its count is, since the
    total beside it would give the count back."""
    cells = suppress_lines({key: _count(n) for key, n in counts.items()}, lines)
    total = counts[total_key]
    rows = []
    for key, label in labels.items():
        if key == total_key and not cells[key].suppressed:
            # The whole of itself: no student behind it to hide, and no range to code.
            rows.append(CountRow(key, label, cells[key], suppress_one(Figure(1.0, None)), True))
        else:
            share_of = _with_share(cells[key], counts[key], total)
            rows.append(CountRow(key, label, *share_of, is_total=key == total_key))
    return rows


def _count(n: int) -> Figure:
    return Figure(value=n, n=n, kind=Kind.COUNT)


def _with_share(cell: Cell, n: int, total: int) -> tuple[Cell, Cell]:
    if cell.suppressed:
        return cell, hidden_cell(Kind.SHARE, cell.reason)
    return cell, suppress_one(share(n, total))


# ---------------------------------------------------------------------------------------
# A class


def section_roster(user: Person, section: Section) -> list[ListedStudent]:
    rows = (
        SectionStudent.objects.filter(
            section=section, active=True, student__in=students_visible_to(user)
        )
        .select_related("student", "section")
        .annotate(
            grade_code=Coalesce(
                Subquery(
                    StudentEnrollment.objects.filter(
                        student=OuterRef("student"),
                        school=section.school_id,
                        school_year=section.school_year_id,
                    ).values("grade")[:1]
                ),
                Value(""),
            ),
            year_id=Value(section.school_year_id),
        )
        .order_by("student__family_name", "student__given_name", "student__pk")
    )
    return listed_students(rows)


def section_teachers(section: Section) -> list[str]:
    return list(
        SectionTeacher.objects.filter(section=section, active=True)
        .order_by("-primary", "user__full_name")
        .values_list("user__full_name", flat=True)
    )


@dataclass(frozen=True)
class Administration:
    """One sitting of an assessment: which, in which subject, year and window."""

    assessment: Assessment
    subject: str
    school_year: int
    window: str

    @property
    def window_label(self) -> str:
        return f"{Window(self.window).label} {school_year_label(self.school_year)}"

    @property
    def label(self) -> str:
        return f"{self.assessment.name}, {Subject(self.subject).label}: {self.window_label}"

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.school_year, window_rank(self.window), self.assessment.name, self.subject)


@dataclass(frozen=True)
class ResultRow:
    listed: ListedStudent
    latest: AssessmentResult | None
    previous: AssessmentResult | None


@dataclass(frozen=True)
class ClassResults:
    administration: Administration
    previous: Administration | None
    rows: list[ResultRow]
    levels: list[CountRow]


def section_results(roster: list[ListedStudent]) -> ClassResults | None:
    """The class's latest assessment results, per student and by performance level."""
    student_ids = [listed.student.pk for listed in roster]
    results = AssessmentResult.objects.filter(student_id__in=student_ids)
    sittings = results.values("assessment", "subject", "school_year", "window").distinct()
    assessments = Assessment.objects.in_bulk({s["assessment"] for s in sittings})
    administrations = sorted(
        (
            Administration(
                assessments[s["assessment"]], s["subject"], s["school_year"], s["window"]
            )
            for s in sittings
        ),
        key=lambda a: a.sort_key,
    )
    if not administrations:
        return None
    latest = administrations[-1]
    earlier = [
        a
        for a in administrations[:-1]
        if (a.assessment.pk, a.subject) == (latest.assessment.pk, latest.subject)
    ]
    previous = earlier[-1] if earlier else None
    latest_by_student = _results_of(results, latest)
    previous_by_student = _results_of(results, previous) if previous else {}
    rows = [
        ResultRow(
            listed,
            latest_by_student.get(listed.student.pk),
            previous_by_student.get(listed.student.pk),
        )
        for listed in roster
    ]
    levels = [r.performance_level for r in latest_by_student.values()]
    return ClassResults(latest, previous, rows, level_counts(latest.assessment, levels))


def _results_of(
    results: QuerySet[AssessmentResult], administration: Administration
) -> dict[int, AssessmentResult]:
    return {
        result.student_id: result
        for result in results.filter(
            assessment=administration.assessment,
            subject=administration.subject,
            school_year_id=administration.school_year,
            window=administration.window,
        ).select_related("assessment")
    }


def level_counts(assessment: Assessment, levels: Iterable[int | None]) -> list[CountRow]:
    """Students by performance level, below and at or above the standard, and in all."""
    tested = [level for level in levels if level is not None]
    proficient = assessment.proficient_level
    level_keys = {f"level-{k}": k for k in range(1, assessment.level_count + 1)}
    below = [key for key, k in level_keys.items() if k < proficient]
    meets = [key for key, k in level_keys.items() if k >= proficient]
    counts = {key: sum(1 for level in tested if level == k) for key, k in level_keys.items()}
    counts["below"] = sum(1 for level in tested if level < proficient)
    counts["meets"] = sum(1 for level in tested if level >= proficient)
    counts["total"] = len(tested)
    labels = {
        key: f"Level {k}" + (" (meets the standard)" if k == proficient else "")
        for key, k in level_keys.items()
    }
    labels["below"] = "Below the standard"
    labels["meets"] = "At or above the standard"
    labels["total"] = "All students tested"
    lines: list[tuple[str | None, Sequence[str]]] = [
        ("total", list(level_keys)),
        ("below", below),
        ("meets", meets),
        ("total", ["below", "meets"]),
    ]
    return count_rows(labels, counts, lines, total_key="total")


# ---------------------------------------------------------------------------------------
# A student


@dataclass(frozen=True)
class StudentClass:
    section: Section
    teachers: list[str]
    may_open: bool


def student_classes(user: Person, student: Student) -> list[StudentClass]:
    memberships = (
        SectionStudent.objects.filter(student=student, active=True, section__active=True)
        .select_related("section__school")
        .order_by("-section__school_year", "section__title")
    )
    sections = [membership.section for membership in memberships]
    teachers: dict[int, list[str]] = defaultdict(list)
    for section_id, name in (
        SectionTeacher.objects.filter(section__in=sections, active=True)
        .order_by("-primary", "user__full_name")
        .values_list("section_id", "user__full_name")
    ):
        teachers[section_id].append(name)
    taught = set(active_sections_taught_by(user).values_list("pk", flat=True))
    return [
        StudentClass(
            section,
            teachers[section.pk],
            section.pk in taught or school_student_rows_visible(user, section.school),
        )
        for section in sections
    ]


def student_enrollments(student: Student) -> list[StudentEnrollment]:
    return list(
        StudentEnrollment.objects.filter(student=student)
        .select_related("school")
        .order_by("-school_year", "school__name")
    )


def student_groups_by_year(student: Student) -> list[tuple[str, list[str]]]:
    by_year: dict[int, list[str]] = defaultdict(list)
    for year, label in (
        StudentGroupMembership.objects.filter(student=student)
        .order_by("-school_year", "group__sort_order", "group__label")
        .values_list("school_year", "group__label")
    ):
        by_year[year].append(label)
    return [(school_year_label(year), labels) for year, labels in by_year.items()]


def student_results(student: Student) -> list[AssessmentResult]:
    """Every result of the student, oldest first."""
    results = AssessmentResult.objects.filter(student=student).select_related(
        "assessment", "school"
    )
    return sorted(
        results,
        key=lambda r: (r.school_year_id, window_rank(r.window), r.assessment.name, r.subject),
    )


# ---------------------------------------------------------------------------------------
# A school at a glance (aggregates only)


@dataclass(frozen=True)
class SchoolSummary:
    year: int
    total: CountRow
    grades: list[CountRow]  # each ends with the total its parts add up to
    race: list[CountRow]
    programs: list[CountRow]

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)


def school_summary(school: School) -> SchoolSummary | None:
    """The school's students counted by grade and by group for the year, suppressed."""
    year = enrollment_year(school)
    if year is None:
        return None
    enrolled = StudentEnrollment.objects.filter(school=school, school_year_id=year, active=True)
    total = enrolled.count()
    by_grade = {row["grade"]: row["n"] for row in enrolled.values("grade").annotate(n=Count("pk"))}
    memberships = StudentGroupMembership.objects.filter(
        school_year_id=year, student__in=enrolled.values("student_id")
    )
    by_group = {
        row["group"]: row["n"]
        for row in memberships.values("group").annotate(n=Count("student", distinct=True))
    }
    with_race = (
        memberships.filter(group__category=GroupCategory.RACE_ETHNICITY)
        .values("student")
        .distinct()
        .count()
    )
    groups = [group for group in StudentGroup.objects.all() if by_group.get(group.pk)]

    grade_labels = {
        code: grade_label(code) or "Grade not recorded" for code in _ordered_grades(by_grade)
    }
    grades = _partition(grade_labels, by_grade, total)

    race_groups = [g for g in groups if g.category == GroupCategory.RACE_ETHNICITY]
    race_counts: dict[str, int] = {g.code: by_group[g.pk] for g in race_groups}
    race_labels = {g.code: g.label for g in race_groups}
    if total - with_race > 0:
        race_counts[NOT_REPORTED] = total - with_race
        race_labels[NOT_REPORTED] = "Not reported"
    race = _partition(race_labels, race_counts, total)

    # Program groups overlap (a student can be in several): none is part of a line.
    programs = [
        _standalone(g.code, g.label, by_group[g.pk], total)
        for g in groups
        if g.category != GroupCategory.RACE_ETHNICITY
    ]
    return SchoolSummary(year=year, total=grades[-1], grades=grades, race=race, programs=programs)


def _ordered_grades(by_grade: Mapping[str, int]) -> list[str]:
    return sorted(
        by_grade, key=lambda code: Grade.values.index(code) if code in Grade.values else 99
    )


def _partition(labels: Mapping[str, str], counts: Mapping[str, int], total: int) -> list[CountRow]:
    """Parts that add up to the total, the total last."""
    all_labels = {**labels, "total": "All students"}
    all_counts = {**counts, "total": total}
    return count_rows(all_labels, all_counts, [("total", list(labels))], total_key="total")


def _standalone(key: str, label: str, n: int, total: int) -> CountRow:
    return CountRow(key, label, *_with_share(suppress_one(_count(n)), n, total))
