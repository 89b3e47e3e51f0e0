"""The student pages as people use them: the list and its filters, downloads, a class,
a student's record, and a school's figures at a glance."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leadhub.orgs.tests.factories import SchoolFactory
from leadhub.students.tests.factories import (
    SectionFactory,
    SectionStudentFactory,
    StudentEnrollmentFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's words, tags and extra spaces removed."""
    html = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def listed(response) -> list:
    return [row.student for row in response.context["students"]]


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- The list ----------------------------------------------------------------------------


def test_pages_of_student_rows_are_never_cached(client_for, world) -> None:
    client = client_for("principal")
    for url in (
        reverse("students:student_list"),
        reverse("students:student_detail", args=[world.objects["student"].pk]),
        reverse("students:section_detail", args=[world.objects["section"].pk]),
        reverse("students:student_export_csv"),
        reverse("students:student_export_xlsx"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


def test_every_page_of_rows_says_that_access_is_recorded(client_for, world) -> None:
    client = client_for("teacher")
    for url in (
        reverse("students:student_list"),
        reverse("students:student_detail", args=[world.objects["student"].pk]),
        reverse("students:section_detail", args=[world.objects["section"].pk]),
    ):
        assert "LeadHub notes each time you open or download them" in text(client.get(url))


def test_a_teacher_sees_their_students_class_by_class(client_for, world) -> None:
    response = client_for("teacher").get(reverse("students:student_list"))
    page = text(response)
    assert "My students" in page
    section = world.objects["section"]
    assert f'id="class-{section.pk}-heading"' in response.content.decode()
    assert "12 students in your classes" in page
    student = world.objects["student"]
    assert f"{student.family_name}, {student.given_name}" in page
    assert reverse("students:section_detail", args=[section.pk]) in response.content.decode()


def test_the_principal_lists_the_school_by_name_with_grades_and_programs(client_for, world) -> None:
    response = client_for("principal").get(reverse("students:student_list"))
    page = text(response)
    assert "Students at Lincoln Elementary" in page
    assert "26 students." in page
    names = [(s.family_name.lower(), s.given_name.lower()) for s in listed(response)]
    assert names == sorted(names)
    el_row = next(
        r for r in response.context["students"] if r.student == world.objects["el_student"]
    )
    assert [g.label for g in el_row.programs] == ["English learners"]
    assert el_row.grade == "Grade 3"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "el"}, 3),
        ({"group": "hispanic"}, 11),
        ({"grade": "05"}, 14),
        ({"grade": "05", "group": "black"}, 3),
        ({"section": "section"}, 12),
        ({"section": "section", "group": "el"}, 3),
    ],
)
def test_the_principal_narrows_the_list(client_for, world, query, expected) -> None:
    if query.get("section") == "section":
        query = {**query, "section": world.objects["section"].pk}
    response = client_for("principal").get(reverse("students:student_list"), query)
    assert len(listed(response)) == expected
    assert "match" in text(response)
    assert "Clear the filters" in text(response)


def test_the_list_finds_a_student_by_name_or_state_id(client_for, world) -> None:
    client = client_for("principal")
    student = world.objects["student"]
    url = reverse("students:student_list")
    by_name = listed(client.get(url, {"q": f"{student.given_name[:3]} {student.family_name}"}))
    assert student in by_name
    assert all(s.family_name == student.family_name for s in by_name)
    assert listed(client.get(url, {"q": student.state_student_id})) == [student]
    nobody = client.get(url, {"q": "Zzyzx"})
    assert listed(nobody) == []
    assert "No student matches what you chose" in text(nobody)


def test_a_class_from_another_school_is_dropped_from_the_filters(client_for, world) -> None:
    response = client_for("district_leader").get(
        reverse("students:student_list"),
        {"school": world.sibling_school.pk, "section": world.objects["section"].pk},
    )
    assert len(listed(response)) == 5
    assert not response.context["form"].errors


def test_a_long_list_comes_in_pages(client_for, world) -> None:
    for _ in range(30):
        StudentEnrollmentFactory(
            school=world.school, school_year=world.objects["school_year"], grade="04"
        )
    url = reverse("students:student_list")
    client = client_for("principal")
    first = client.get(url, {"group": ""})
    assert len(listed(first)) == 50
    assert "page 1 of 2" in text(first)
    second = client.get(url, {"page": 2})
    assert len(listed(second)) == 6
    assert not {s.pk for s in listed(first)} & {s.pk for s in listed(second)}


def test_the_grade_menu_offers_the_grades_the_students_are_in(client_for, world) -> None:
    form = client_for("principal").get(reverse("students:student_list")).context["form"]
    assert [value for value, _ in form.fields["grade"].choices] == ["", "03", "05"]


def test_students_of_an_earlier_year_are_not_listed_as_this_years(client_for, world) -> None:
    from leadhub.orgs.tests.factories import SchoolYearFactory

    StudentEnrollmentFactory(
        school=world.school, school_year=SchoolYearFactory(year=world.year - 1), grade="02"
    )
    assert len(listed(client_for("principal").get(reverse("students:student_list")))) == 26


def test_a_school_without_students_says_so(client_for, world) -> None:
    school = SchoolFactory(district=world.district, name="Garfield Elementary")
    response = client_for("district_leader").get(
        reverse("students:student_list"), {"school": school.pk}
    )
    assert "No students on record at Garfield Elementary yet" in text(response)


# --- Downloads ---------------------------------------------------------------------------


def test_the_csv_holds_the_list_as_filtered_with_stable_column_names(client_for, world) -> None:
    response = client_for("principal").get(
        reverse("students:student_export_csv"), {"group": "el", "page": 1}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="Lincoln-Elementary-students-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == 3
    assert list(rows[0]) == [
        "student_state_id",
        "student_sourced_id",
        "family_name",
        "given_name",
        "preferred_name",
        "school_state_id",
        "school_name",
        "school_year",
        "grade",
        "class_sourced_id",
        "class_title",
        "student_group_codes",
    ]
    el = world.objects["el_student"]
    row = next(r for r in rows if r["student_state_id"] == el.state_student_id)
    assert row["student_sourced_id"] == el.sourced_id
    assert row["school_state_id"] == world.school.state_id
    assert row["grade"] == "03"
    assert row["school_year"] == f"{world.year - 1}-{world.year % 100:02d}"
    assert set(row["student_group_codes"].split(";")) == {"el", "white"}


def test_a_teachers_download_names_the_class(client_for, world) -> None:
    rows = csv_rows(client_for("teacher").get(reverse("students:student_export_csv")))
    section = world.objects["section"]
    assert {r["class_title"] for r in rows} == {section.title}
    assert {r["class_sourced_id"] for r in rows} == {section.sourced_id}


def test_the_workbook_holds_every_student_of_the_list(client_for, world) -> None:
    response = client_for("principal").get(reverse("students:student_export_xlsx"))
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.values)
    assert values[0][0] == "State student identifier"
    assert len(values) == 27


def test_a_district_leader_who_has_not_chosen_a_school_is_asked_to(client_for, world) -> None:
    response = client_for("district_leader").get(reverse("students:student_export_csv"))
    assert response.status_code == 302
    assert response["Location"] == reverse("students:student_list")


# --- A class -----------------------------------------------------------------------------


def test_the_class_page_shows_the_roster_and_the_latest_results(client_for, world) -> None:
    response = client_for("teacher").get(
        reverse("students:section_detail", args=[world.objects["section"].pk])
    )
    page = text(response)
    results = response.context["results"]
    assert results.administration.window == "winter"
    assert results.previous.window == "fall"
    assert "How the class did: Math benchmark, Mathematics: Winter" in page
    assert "Taught by Teacher." in page
    assert len(results.rows) == 12
    student = world.objects["student"]
    row = next(r for r in results.rows if r.listed.student == student)
    # The world's second Grade 3 student: level 2 in the fall, 3 in the winter.
    assert (row.previous.performance_level, row.latest.performance_level) == (2, 3)


def test_the_class_by_level_hides_every_group_under_ten_but_shows_the_total(
    client_for, world
) -> None:
    response = client_for("teacher").get(
        reverse("students:section_detail", args=[world.objects["section"].pk])
    )
    levels = {row.key: row for row in response.context["results"].levels}
    # Winter, Grade 3: levels 1–4 are 0, 5, 6 and 1 of 12.
    for key in ("level-1", "level-2", "level-3", "level-4", "below", "meets"):
        assert levels[key].count.suppressed and levels[key].share.suppressed, key
    assert levels["total"].count.display == "12"
    assert levels["total"].share.display == "100%"
    html = response.content.decode()
    assert html.count("data-suppressed") == 12


def test_a_class_without_results_lists_its_students(client_for, world) -> None:
    section = SectionFactory(school=world.school, title="Art, Room 3")
    from leadhub.students.tests.factories import SectionTeacherFactory

    SectionTeacherFactory(section=section, user=world.people["teacher"])
    SectionStudentFactory(section=section, student=world.objects["student"])
    response = client_for("teacher").get(reverse("students:section_detail", args=[section.pk]))
    assert response.context["results"] is not None  # the student has results elsewhere
    empty = SectionFactory(school=world.school, title="Choir")
    SectionTeacherFactory(section=empty, user=world.people["teacher"])
    page = text(client_for("teacher").get(reverse("students:section_detail", args=[empty.pk])))
    assert "No students are enrolled in this class yet" in page


# --- A student ---------------------------------------------------------------------------


def test_the_student_page_shows_enrollment_groups_results_and_classes(client_for, world) -> None:
    student = world.objects["el_student"]
    response = client_for("teacher").get(reverse("students:student_detail", args=[student.pk]))
    page = text(response)
    assert student.display_name in page
    assert f"State ID {student.state_student_id}" in page
    assert "Lincoln Elementary" in page
    assert "English learners" in page and "White" in page
    assert [r.window for r in response.context["results"]] == ["winter", "fall"]
    chart = response.context["charts"][0]
    assert chart.title == "Math benchmark, Mathematics"
    assert "rose from 170 in Fall" in chart.description
    assert 'role="img"' in response.content.decode()
    (item,) = response.context["classes"]
    assert item.section == world.objects["section"] and item.may_open


def test_a_class_the_viewer_cannot_open_is_named_without_a_link(client_for, world) -> None:
    student = StudentFactory(district=world.district)
    SectionStudentFactory(section=world.objects["section"], student=student)
    SectionStudentFactory(section=world.objects["sibling_section"], student=student)
    response = client_for("teacher").get(reverse("students:student_detail", args=[student.pk]))
    may_open = {item.section.title: item.may_open for item in response.context["classes"]}
    assert may_open == {"Grade 3, Room 12": True, "Grade 7 Math": False}
    sibling = world.objects["sibling_section"]
    assert reverse("students:section_detail", args=[sibling.pk]) not in response.content.decode()


# --- A school at a glance ----------------------------------------------------------------


def test_the_school_at_a_glance_counts_by_grade_and_group(client_for, world) -> None:
    response = client_for("hub_coach").get(
        reverse("students:school_summary", args=[world.school.pk])
    )
    summary = response.context["summary"]
    grades = {row.label: (row.count.display, row.share.display) for row in summary.grades}
    assert grades == {
        "Grade 3": ("12", "46%"),
        "Grade 5": ("14", "54%"),
        "All students": ("26", "100%"),
    }
    race = {row.key: row.count for row in summary.race}
    assert race["white"].display == "12"
    assert race["black"].reason == "small"
    assert race["hispanic"].reason == "complementary"
    assert race["total"].display == "26"
    (el,) = summary.programs
    assert el.label == "English learners" and el.count.suppressed and el.share.suppressed


def test_a_school_of_fewer_than_ten_students_shows_no_figure(client_for, world) -> None:
    response = client_for("district_leader").get(
        reverse("students:school_summary", args=[world.sibling_school.pk])
    )
    summary = response.context["summary"]
    assert summary.total.count.suppressed
    assert all(row.count.suppressed for row in summary.grades + summary.race)
    assert "Fewer than 10" in text(response)


def test_students_without_race_recorded_are_counted_as_not_reported(client_for, world) -> None:
    for _ in range(15):
        StudentEnrollmentFactory(
            school=world.school, school_year=world.objects["school_year"], grade="04"
        )
    response = client_for("principal").get(
        reverse("students:school_summary", args=[world.school.pk])
    )
    race = {row.key: row for row in response.context["summary"].race}
    assert race["not_reported"].label == "Not reported"
    assert race["not_reported"].count.display == "15"
    # The 3 are hidden, and the next smallest with them: the 11, not the 15.
    assert race["hispanic"].count.reason == "complementary"
    assert race["total"].count.display == "41"


def test_a_school_with_no_students_yet_says_so(client_for, world) -> None:
    school = SchoolFactory(district=world.district)
    response = client_for("district_leader").get(
        reverse("students:school_summary", args=[school.pk])
    )
    assert response.context["summary"] is None
    assert "No students on record yet" in text(response)
