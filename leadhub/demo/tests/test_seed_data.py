"""seed_demo's students, assessment results, measures and surveys, at tiny scale."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.assessments.models import Assessment, AssessmentResult, Window
from leadhub.demo.assessments import BENCHMARK, STATE_TEST, SchoolOutlook, given_windows
from leadhub.demo.measures import ATTENDANCE, COMPUTED_MEASURES, ENTERED_MEASURES, EXIT_TICKETS
from leadhub.demo.plan import build_plan
from leadhub.demo.records import ParticipationRecord
from leadhub.demo.scales import TINY
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.students import COHORT_SIZES, grade_span, school_cohort
from leadhub.demo.surveys import survey_rounds
from leadhub.measures.models import (
    AnnotationKind,
    ChartSetting,
    Measure,
    MeasureAnnotation,
    MeasureLevel,
    MeasureValue,
)
from leadhub.measures.spc import Point, Rule, analyse
from leadhub.orgs.models import GRADE_ORDER, Role, School, SchoolProfile
from leadhub.orgs.schoolyears import school_year_of
from leadhub.students import groups
from leadhub.students.access import students_visible_to
from leadhub.students.models import (
    GroupCategory,
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)
from leadhub.surveys.models import Administration, Invitation, Phase, Response
from leadhub.surveys.results import MINIMUM_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--scale", "tiny", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def this_year() -> int:
    return school_year_of(timezone.localdate())


def demo_schools() -> list[School]:
    state_ids = [school.state_id for school in build_plan(TINY, this_year()).schools]
    return list(School.objects.filter(state_id__in=state_ids).order_by("pk"))


def signin_school() -> School:
    principal = User.objects.get(email=KNOWN_BY_ROLE[Role.PRINCIPAL].email)
    return School.objects.get(
        memberships__user=principal, memberships__role=Role.PRINCIPAL, memberships__end_date=None
    )


# Students ---------------------------------------------------------------------------------


def test_every_school_has_students_in_every_grade_of_every_year() -> None:
    years = range(this_year() - 3, this_year() + 1)
    size = COHORT_SIZES["tiny"]
    for school in demo_schools():
        profile = SchoolProfile.objects.filter(school=school).latest("school_year")
        span = set(grade_span(profile.lowest_grade, profile.highest_grade))
        enrollments = StudentEnrollment.objects.filter(school=school)
        by_year = dict(enrollments.values_list("school_year").annotate(n=Count("pk")).order_by())
        assert set(by_year) == set(years)
        for count in by_year.values():
            assert size.least <= count <= size.most + 5  # a few arrive above the target
        assert set(enrollments.values_list("grade", flat=True)) == span
    assert not StudentEnrollment.objects.exclude(district_id=F("school__district_id")).exists()


def test_students_move_up_a_grade_and_some_leave_or_arrive() -> None:
    school = signin_school()
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for student, year, grade in StudentEnrollment.objects.filter(school=school).values_list(
        "student_id", "school_year_id", "grade"
    ):
        grades[student][year] = grade
    moved = 0
    for by_year in grades.values():
        years = sorted(by_year)
        assert years == list(range(years[0], years[-1] + 1)), "no gap years"
        for earlier, later in zip(years, years[1:], strict=False):
            assert GRADE_ORDER.index(by_year[later]) == GRADE_ORDER.index(by_year[earlier]) + 1
            moved += 1
    assert moved > 0
    left = [s for s, by_year in grades.items() if max(by_year) < this_year()]
    arrived = [s for s, by_year in grades.items() if min(by_year) > this_year() - 3]
    assert left and arrived
    assert not Student.objects.filter(pk__in=left, active=True).exists()
    ids = list(Student.objects.filter(district=school.district).values_list("state_student_id"))
    assert len(ids) == len(set(ids))


def test_each_student_has_one_race_group_a_year_and_program_groups_follow_the_profile() -> None:
    school = signin_school()
    year = this_year()
    enrolled = StudentEnrollment.objects.filter(school=school, school_year_id=year)
    memberships = StudentGroupMembership.objects.filter(
        school_year_id=year, student_id__in=enrolled.values("student_id")
    )
    races = Counter(
        memberships.filter(group__category=GroupCategory.RACE_ETHNICITY).values_list(
            "student_id", flat=True
        )
    )
    assert len(races) == enrolled.count() and set(races.values()) == {1}
    profile = SchoolProfile.objects.get(school=school, school_year_id=year)
    low_income = memberships.filter(group__code=groups.LOW_INCOME).count()
    assert abs(100 * low_income / enrolled.count() - float(profile.pct_low_income)) < 20
    assert memberships.filter(group__code=groups.SWD).exists()


def test_the_demo_teacher_has_this_years_grade_3_class() -> None:
    teacher = User.objects.get(email=KNOWN_BY_ROLE[Role.TEACHER].email)
    taught = SectionTeacher.objects.filter(user=teacher, active=True, section__active=True)
    section = Section.objects.get(pk__in=taught.values("section_id"))
    assert section.school_year_id == this_year()
    assert section.grades == "03" and section.title.startswith("Grade 3")
    roster = set(
        SectionStudent.objects.filter(section=section).values_list("student_id", flat=True)
    )
    assert len(roster) >= 10
    in_grade = StudentEnrollment.objects.filter(
        school=section.school, school_year_id=this_year(), grade="03"
    )
    assert roster == set(in_grade.values_list("student_id", flat=True))
    # "My students": the teacher reaches this year's class and no one else.
    assert set(students_visible_to(teacher).values_list("pk", flat=True)) == roster
    assert (
        not Section.objects.filter(active=True)
        .exclude(school_year_id=this_year())
        .filter(school__in=demo_schools())
        .exists()
    )


# Assessment results -------------------------------------------------------------------------


def test_three_school_years_of_results_with_fall_winter_and_spring() -> None:
    benchmark = Assessment.objects.get(code=BENCHMARK.code)
    state_test = Assessment.objects.get(code=STATE_TEST.code)
    assert (benchmark.level_count, benchmark.proficient_level) == (4, 3) and benchmark.is_interim
    assert (state_test.level_count, state_test.proficient_level) == (5, 4)
    school = signin_school()
    results = AssessmentResult.objects.filter(school=school)
    past_years = range(this_year() - 3, this_year())
    windows = set(
        results.filter(assessment=benchmark).values_list("school_year_id", "window", "subject")
    )
    for year in past_years:
        for window in (Window.FALL, Window.WINTER, Window.SPRING):
            assert {(year, window, "ela"), (year, window, "math")} <= windows
    state_rows = results.filter(assessment=state_test)
    assert set(state_rows.values_list("grade", flat=True)) <= STATE_TEST.grades
    assert set(state_rows.values_list("window", flat=True)) == {Window.SPRING}
    assert {year for year in past_years} <= set(state_rows.values_list("school_year_id", flat=True))
    assert set(results.values_list("performance_level", flat=True)) <= {1, 2, 3, 4, 5}
    # This year, only the windows that have already been given.
    given = {window for _, window in given_windows(this_year(), timezone.localdate())}
    assert set(results.filter(school_year_id=this_year()).values_list("window", flat=True)) <= given
    # Every result is from a year the student was enrolled in that grade at that school.
    matching = results.filter(
        student__enrollments__school_id=F("school_id"),
        student__enrollments__school_year_id=F("school_year_id"),
        student__enrollments__grade=F("grade"),
    )
    assert matching.count() == results.count()


def test_results_show_gaps_by_group_and_growth_within_the_year() -> None:
    benchmark = Assessment.objects.get(code=BENCHMARK.code)
    results = AssessmentResult.objects.filter(
        assessment=benchmark, school__in=demo_schools(), school_year_id__lt=this_year()
    )

    def share(rows: Any) -> float:
        return sum(level >= 3 for level in rows) / len(rows)

    by_window = {
        window: share(results.filter(window=window).values_list("performance_level", flat=True))
        for window in (Window.FALL, Window.SPRING)
    }
    assert by_window[Window.SPRING] > by_window[Window.FALL]
    with_iep = results.filter(
        student__group_years__school_year_id=F("school_year_id"),
        student__group_years__group__code=groups.SWD,
    )
    iep_levels = list(with_iep.values_list("performance_level", flat=True))
    others = list(
        results.exclude(pk__in=with_iep.values("pk")).values_list("performance_level", flat=True)
    )
    assert share(iep_levels) < share(others) - 0.1


def test_a_school_in_the_program_gains_a_little_each_year() -> None:
    joined = [ParticipationRecord("x", "hub", 2025, None, "universal")]
    inside = SchoolOutlook("06-001-0001-26-2001", joined, first_year=2024)
    outside = SchoolOutlook("06-001-0001-26-2001", [], first_year=2024)
    assert inside.standing(2024) == outside.standing(2024)
    gains = [inside.standing(year) - outside.standing(year) for year in (2025, 2026, 2027)]
    assert gains[0] > 0 and gains[0] < gains[1] < gains[2]


def test_cohorts_are_the_same_in_every_build() -> None:
    plan = build_plan(TINY, 2026)
    first = plan.schools[0].state_id
    profiles = {p.year: p for p in plan.profiles if p.school_state_id == first}
    one = school_cohort(first, profiles, COHORT_SIZES["tiny"])
    two = school_cohort(first, profiles, COHORT_SIZES["tiny"])
    assert one == two


# Measures ---------------------------------------------------------------------------------


def test_computed_measures_have_values_by_window_and_group() -> None:
    school = signin_school()
    for definition in COMPUTED_MEASURES:
        measure = Measure.objects.get(name=definition.name, district__isnull=True)
        values = MeasureValue.objects.filter(measure=measure, school=school)
        everyone = values.filter(group_code="")
        windows = set(everyone.values_list("school_year_id", "window"))
        assert len({year for year, _ in windows}) >= 3
        assert values.exclude(group_code="").exists()
        for value in everyone:
            assert value.value == round(100 * value.numerator / value.denominator, 1)


def test_every_school_keeps_monthly_measures_and_a_grade_team_keeps_its_own() -> None:
    schools = demo_schools()
    for school in schools:
        for definition in ENTERED_MEASURES:
            measure = Measure.objects.get(
                name=definition.name, district=school.district, school__isnull=True
            )
            values = MeasureValue.objects.filter(measure=measure, scope_key=f"school:{school.pk}")
            assert 12 <= values.count() <= 24
    team_measure = Measure.objects.get(
        name=EXIT_TICKETS.name, level=MeasureLevel.TEAM, team__school=signin_school()
    )
    assert MeasureValue.objects.filter(measure=team_measure, team=team_measure.team).count() >= 12
    kinds = set(MeasureAnnotation.objects.values_list("kind", flat=True))
    assert {AnnotationKind.PDSA, AnnotationKind.PLAN_ACTION} <= kinds
    assert ChartSetting.objects.filter(baseline_start__isnull=False).exists()
    # The natural key's derived columns are filled in, as save() would.
    assert not MeasureValue.objects.filter(scope_key="").exists()
    assert (
        not MeasureValue.objects.filter(student_group__isnull=False)
        .exclude(group_code=F("student_group__code"))
        .exists()
    )


def test_the_signin_schools_attendance_shifts_after_its_pdsa_began() -> None:
    school = signin_school()
    measure = Measure.objects.get(name=ATTENDANCE.name, district=school.district)
    scope = f"school:{school.pk}"
    values = MeasureValue.objects.filter(measure=measure, scope_key=scope).order_by("period_start")
    points = [Point(v.period_label, v.period_start, v.value) for v in values]
    reading = analyse(points, rule_set="ihi", direction=measure.direction)
    assert Rule.SHIFT in {signal.rule for signal in reading.signals}
    note = MeasureAnnotation.objects.get(measure=measure, scope_key=scope)
    assert note.kind == AnnotationKind.PDSA
    assert points[0].date < note.date < points[-1].date


# Surveys ----------------------------------------------------------------------------------


def test_every_school_sent_the_pulse_before_and_has_one_open_now() -> None:
    now = timezone.now()
    for school in demo_schools():
        phases = Counter(a.phase(now) for a in Administration.objects.filter(school=school))
        assert phases[Phase.OPEN] == 1
        assert phases[Phase.CLOSED] >= 2
    for administration in Administration.objects.filter(school__in=demo_schools()):
        invitations = Invitation.objects.filter(administration=administration)
        responses = Response.objects.filter(administration=administration).count()
        assert invitations.filter(responded=True).count() == responses
        assert not invitations.filter(token_hash__isnull=False).exists()


def test_results_show_at_the_signin_school_and_stay_hidden_where_few_answered() -> None:
    now = timezone.now()
    closed = [
        a
        for a in Administration.objects.filter(school__in=demo_schools(), team__isnull=True)
        if a.phase(now) == Phase.CLOSED
    ]
    answered = {a.pk: Response.objects.filter(administration=a).count() for a in closed}
    at_signin = [a for a in closed if a.school_id == signin_school().pk]
    assert len(at_signin) == 3
    assert all(answered[a.pk] >= MINIMUM_ANSWERS for a in at_signin)
    assert any(count < MINIMUM_ANSWERS for count in answered.values())
    teacher = User.objects.get(email=KNOWN_BY_ROLE[Role.TEACHER].email)
    waiting = Invitation.objects.get(user=teacher, administration__closes_at__gt=now)
    assert not waiting.responded


def test_survey_rounds_are_past_except_the_open_one() -> None:
    today = dt.date(2026, 11, 22)
    rounds = survey_rounds(2027, today)
    assert [r.is_open for r in rounds] == [False, False, False, True]
    assert all(r.last_day < today for r in rounds[:3])
    assert rounds[3].first_day <= today <= rounds[3].last_day
    assert rounds[0].title == "Culture of inquiry pulse, spring 2025"
