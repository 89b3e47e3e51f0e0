"""The shared packages (../shared/testdata/oneroster/): what LeadHub does with each.

Four of them come from a public plugin's fixtures and break the rules the way real
exports do. The outcomes below are decisions, explained where they are not obvious:

- OneRoster 1.1 packages are refused at the manifest, before anything else is read:
  their files have other columns, so nothing in them could be judged as 1.2.
- A school org needs its state code (``identifier``) unless LeadHub already knows the
  org: schools are matched, and created, by it.
- A department stands for its school; one whose school is neither in the package nor
  in LeadHub leaves the classes, roles and enrollments placed in it with nowhere to go.
- In a bulk file, a filled ``status`` is a warning; ``tobedeleted`` is still read as a
  removal, and rows pointing at a removed class are removed with it (a warning).
"""

from __future__ import annotations

from collections import Counter

import pytest

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership, School
from leadhub.orgs.tests.factories import SchoolFactory
from leadhub.rosters.models import ImportStatus, IssueSeverity, RosterOrg, RosterPerson
from leadhub.rosters.tests.helpers import counts, problems, shared
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)

pytestmark = pytest.mark.django_db


def warning_rows(roster_import):  # type: ignore[no-untyped-def]
    return Counter(
        (i.file, i.line, i.column, i.code, i.value, i.occurrences)
        for i in roster_import.issues.filter(severity=IssueSeverity.WARNING)
    )


def roster_rows(district):  # type: ignore[no-untyped-def]
    return (
        Student.objects.filter(district=district).count(),
        Section.objects.filter(district=district).count(),
        School.objects.filter(district=district).count(),
        Membership.objects.filter(district=district).count(),
        RosterPerson.objects.filter(district=district).count(),
    )


@pytest.mark.parametrize(
    "name", ["messy_Test_full_data_set.zip", "messy_Test_minimal_data_set.zip"]
)
def test_a_oneroster_1_1_package_is_refused_saying_1_2_is_needed(
    run_package, district, name
) -> None:
    roster_import = run_package(shared(name))

    assert roster_import.status == ImportStatus.REFUSED
    assert problems(roster_import) == [
        ("manifest.csv", 3, "oneroster.version", "version_unsupported")
    ]
    problem = roster_import.issues.get()
    assert problem.value == "1.1"
    assert "LeadHub reads OneRoster 1.2 CSV packages only" in problem.message
    assert roster_import.warning_count == 0
    assert roster_rows(district) == (0, 0, 0, 0, 0)


def test_the_minimal_valid_package_imports_without_a_warning(run_package, district) -> None:
    roster_import = run_package(shared("minimal_valid_v1p2.zip"))

    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.problem_count == roster_import.warning_count == 0
    assert roster_import.school_year == 2026  # the schoolYear session, 2025–26
    assert roster_import.summary["kinds"] == {
        kind: {"created": 1}
        for kind in (
            "schools",
            "staff",
            "students",
            "classes",
            "staff_roles",
            "school_enrollments",
            "class_students",
            "class_teachers",
        )
    }
    school = School.objects.get(district=district)
    assert (school.name, school.state_id) == ("Lincoln ES", "0601")
    assert roster_import.created_schools == [
        {"id": school.pk, "name": "Lincoln ES", "state_id": "0601"}
    ]
    teacher = User.objects.get(email="ana@d.example")
    assert teacher.full_name == "Ana Teach"
    assert not teacher.has_usable_password()
    assert Membership.objects.get(user=teacher).role == "teacher"
    student = Student.objects.get(district=district)
    assert (student.state_student_id, student.sourced_id) == ("S1", "u2")
    enrollment = StudentEnrollment.objects.get(student=student)
    assert (enrollment.school, enrollment.school_year_id, enrollment.grade) == (school, 2026, "03")
    section = Section.objects.get(district=district)
    assert (section.title, section.course_title, section.school_year_id) == (
        "Math 3 - A",
        "Grade 3 Math",
        2026,
    )
    assert SectionTeacher.objects.get(section=section).user == teacher
    assert SectionStudent.objects.get(section=section).student == student


def test_the_minimal_package_in_a_district_with_a_roster_asks_before_deactivating(
    run_package, world
) -> None:
    """Every student of the test world came from a roster (they have sourcedIds); a bulk
    package of one student would make nearly all of them inactive."""
    before = Student.objects.filter(district=world.district, active=True).count()

    roster_import = run_package(shared("minimal_valid_v1p2.zip"), into=world.district)

    assert roster_import.status == ImportStatus.NEEDS_CONFIRMATION
    flagged = {item["kind"]: (item["count"], item["active"]) for item in roster_import.deactivation}
    assert flagged["students"] == (before, before)
    assert Student.objects.filter(district=world.district, active=True).count() == before
    assert not School.objects.filter(state_id="0601").exists()


def test_the_delta_with_a_school_without_identifier_is_refused(run_package, district) -> None:
    roster_import = run_package(shared("messy_oneroster_test_data.zip"))

    assert roster_import.status == ImportStatus.REFUSED
    # Only the school's own problem: the class, role and enrollment placed in it are not
    # listed again.
    assert problems(roster_import) == [("orgs.csv", 2, "identifier", "school_identifier_missing")]
    assert warning_rows(roster_import) == Counter(
        {
            ("userProfiles.csv", None, "", "file_not_read", "", 1): 1,
            ("users.csv", 2, "password", "passwords_present", "", 1): 1,
            ("users.csv", 2, "enabledUser", "boolean_case", "TRUE", 1): 1,
        }
    )
    assert roster_rows(district) == (0, 0, 0, 0, 0)


def test_the_same_delta_imports_once_leadhub_knows_its_school(run_package, district) -> None:
    school = SchoolFactory(district=district, name="Gotham High School")
    RosterOrg.objects.create(
        district=district, sourced_id="ORG_1", org_type="school", school=school
    )

    roster_import = run_package(shared("messy_oneroster_test_data.zip"))

    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.problem_count == 0
    assert {w[3] for w in warning_rows(roster_import)} == {
        "file_not_read",
        "passwords_present",
        "boolean_case",
    }
    assert roster_import.school_year == 2023
    student = Student.objects.get(district=district)
    assert (student.state_student_id, student.sourced_id) == ("bruce.wayne", "USER_0")
    section = Section.objects.get(district=district)
    assert (section.sourced_id, section.course_title, section.school_id) == (
        "CLASS_001",
        "Crime Fighting 101",
        school.pk,
    )
    assert SectionStudent.objects.get(section=section).student == student
    assert StudentEnrollment.objects.get(student=student).school_year_id == 2023
    # The demographics row names no race or ethnicity: no group, and the birth date is not kept.
    assert not StudentGroupMembership.objects.filter(student=student).exists()
    assert counts(roster_import, "schools") == {"linked": 1}


V1P2_WARNINGS = Counter(
    {
        ("manifest.csv", 21, "file.scoreScales", "manifest_value", "", 1): 1,
        ("manifest.csv", 22, "file.userProfiles", "manifest_value", "", 1): 1,
        ("manifest.csv", 23, "file.userResources", "manifest_value", "", 1): 1,
        # Lower-case, and holding roles rather than profiles; not read either way.
        ("userprofiles.csv", None, "", "file_not_read", "", 1): 1,
        ("orgs.csv", 2, "status", "bulk_status_filled", "active", 1): 1,
        (
            "orgs.csv",
            2,
            "dateLastModified",
            "bulk_modified_filled",
            "2023-05-01T18:25:43.511Z",
            1,
        ): 1,
        ("orgs.csv", 2, "parentSourcedId", "parent_missing", "", 1): 1,
        ("academicSessions.csv", 2, "status", "bulk_status_filled", "tobedeleted", 5): 1,
        (
            "academicSessions.csv",
            2,
            "dateLastModified",
            "bulk_modified_filled",
            "2023-05-01T18:25:43.511Z",
            5,
        ): 1,
        ("academicSessions.csv", 3, "parentSourcedId", "parent_missing", "", 2): 1,
        ("classes.csv", 2, "status", "bulk_status_filled", "active", 2): 1,
        (
            "classes.csv",
            2,
            "dateLastModified",
            "bulk_modified_filled",
            "2023-05-01T18:25:43.511Z",
            2,
        ): 1,
        ("classes.csv", 2, "classType", "enum_case", "Scheduled", 1): 1,
        ("classes.csv", 2, "courseSourcedId", "course_missing", "", 1): 1,
        ("users.csv", 1, "prefferedGivenName", "header_spelling", "", 1): 1,
        ("users.csv", 1, "prefferedMiddleName", "header_spelling", "", 1): 1,
        ("users.csv", 1, "prefferedFamilyName", "header_spelling", "", 1): 1,
        ("users.csv", 2, "password", "passwords_present", "", 6): 1,
        ("users.csv", 2, "status", "bulk_status_filled", "active", 5): 1,
        # 1/05/2023 is no ISO date, but a bulk file's dateLastModified is not read at all.
        ("users.csv", 2, "dateLastModified", "bulk_modified_filled", "1/05/2023", 5): 1,
        ("users.csv", 2, "enabledUser", "boolean_case", "TRUE", 6): 1,
        # usr-222-987654 teaches and is enrolled as a student.
        ("users.csv", 5, "", "staff_and_student", "", 1): 1,
        ("roles.csv", 1, "dataLastModified", "header_spelling", "", 1): 1,
        ("roles.csv", 1, "", "column_unnamed", "", 1): 2,
        ("roles.csv", 1, "userProfileSourcedId", "column_missing_optional", "", 1): 1,
        # 9 cells under an 11-column header: the missing ones are not needed.
        ("roles.csv", 2, "", "short_rows", "", 7): 1,
        ("roles.csv", 2, "status", "bulk_status_filled", "active", 7): 1,
        ("roles.csv", 2, "dateLastModified", "bulk_modified_filled", "2025-01-01", 7): 1,
        ("enrollments.csv", 2, "status", "bulk_status_filled", "active", 6): 1,
        (
            "enrollments.csv",
            2,
            "dateLastModified",
            "bulk_modified_filled",
            "2023-05-01T18:25:43.511Z",
            6,
        ): 1,
        # Lines 5–7 are in the class the package marks tobedeleted.
        ("enrollments.csv", 5, "classSourcedId", "reference_removed", "", 3): 1,
    }
)


def test_the_full_v1p2_package_is_refused_for_its_department_without_a_school(
    run_package, district
) -> None:
    roster_import = run_package(shared("messy_v1p2_full_dataset.zip"))

    assert roster_import.status == ImportStatus.REFUSED
    assert problems(roster_import) == [
        ("classes.csv", 2, "schoolSourcedId", "org_not_school"),
        *[("roles.csv", line, "orgSourcedId", "org_not_school") for line in range(2, 9)],
        *[("enrollments.csv", line, "schoolSourcedId", "org_not_school") for line in (2, 3, 4)],
    ]
    first = roster_import.issues.filter(severity=IssueSeverity.PROBLEM).first()
    assert first.message == (
        "Points at the org on line 2 of orgs.csv, a department that belongs to no school "
        "LeadHub knows."
    )
    assert warning_rows(roster_import) == V1P2_WARNINGS
    assert roster_rows(district) == (0, 0, 0, 0, 0)


def test_the_full_v1p2_package_imports_with_its_warnings_once_its_school_is_known(
    run_package, district
) -> None:
    school = SchoolFactory(district=district, name="Roster High")
    RosterOrg.objects.create(
        district=district, sourced_id="org-sch-222-3456", org_type="school", school=school
    )

    roster_import = run_package(shared("messy_v1p2_full_dataset.zip"))

    assert roster_import.status == ImportStatus.IMPORTED
    expected = V1P2_WARNINGS.copy()
    del expected[("orgs.csv", 2, "parentSourcedId", "parent_missing", "", 1)]
    assert warning_rows(roster_import) == expected
    assert roster_import.school_year == 2023
    # Staff: two teachers and a site administrator (a principal); the guardian role of a
    # teacher is left out. Students: three, the teacher enrolled as a student is not one.
    assert counts(roster_import, "staff") == {"created": 3}
    assert counts(roster_import, "students") == {"created": 3}
    assert counts(roster_import, "staff_roles") == {"created": 3}
    assert counts(roster_import, "classes") == {"created": 1}
    assert counts(roster_import, "class_students") == {"created": 1, "skipped": 1}
    assert counts(roster_import, "class_teachers") == {"created": 1}
    principal = User.objects.get(email="thomas.jones@testemail.com")
    role = Membership.objects.get(user=principal)
    assert (role.role, role.school, str(role.end_date)) == ("principal", school, "2025-09-23")
    assert Section.objects.get(district=district).sourced_id == "cls-222-123456"
    assert not Section.objects.filter(sourced_id="cls-222-123478").exists()
    assert not User.objects.filter(password__contains="Password1").exists()
