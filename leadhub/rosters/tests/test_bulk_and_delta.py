"""Bulk and delta packages of a district's own roster: matching, re-imports without
duplicates, removals, the deactivation guard, checks that change nothing, and a failure
halfway that leaves everything as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.models import Membership, School
from leadhub.orgs.selectors import current_school_year
from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
from leadhub.rosters.models import (
    STAGING_MODELS,
    ImportStatus,
    RosterImport,
    RosterMembership,
    RosterPerson,
)
from leadhub.rosters.tests.helpers import counts, problems, warnings
from leadhub.rosters.tests.packages import Roster, package, row
from leadhub.students import groups
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)
from leadhub.students.services import built_in_groups_ensure
from leadhub.students.tests.factories import StudentFactory, StudentGroupMembershipFactory

pytestmark = pytest.mark.django_db


def active_students(district) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        Student.objects.filter(district=district, active=True).values_list("sourced_id", flat=True)
    )


def everything(district) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Every roster-made row of the district, as values, to compare before and after."""
    return {
        "students": list(Student.objects.filter(district=district).order_by("pk").values()),
        "sections": list(Section.objects.filter(district=district).order_by("pk").values()),
        "section_students": list(
            SectionStudent.objects.filter(district=district).order_by("pk").values()
        ),
        "section_teachers": list(
            SectionTeacher.objects.filter(district=district).order_by("pk").values()
        ),
        "enrollments": list(
            StudentEnrollment.objects.filter(district=district).order_by("pk").values()
        ),
        "groups": list(
            StudentGroupMembership.objects.filter(district=district).order_by("pk").values()
        ),
        "memberships": list(Membership.objects.filter(district=district).order_by("pk").values()),
        "schools": list(School.objects.filter(district=district).order_by("pk").values()),
        "people": list(RosterPerson.objects.filter(district=district).order_by("pk").values()),
        "users": list(User.objects.filter(email__endswith="@roster.test").order_by("pk").values()),
    }


def test_a_bulk_package_brings_the_whole_roster_in(run_package, district) -> None:
    roster = Roster(race={1: "hispanicOrLatinoEthnicity", 2: "white", 3: "asian"})

    roster_import = run_package(roster.bulk())

    assert roster_import.status == ImportStatus.IMPORTED, problems(roster_import)
    assert roster_import.warning_count == 0
    assert counts(roster_import, "students") == {"created": 10}
    assert counts(roster_import, "staff") == {"created": 2}
    assert counts(roster_import, "staff_roles") == {"created": 2}
    assert counts(roster_import, "school_enrollments") == {"created": 10}
    assert counts(roster_import, "class_students") == {"created": 10}
    assert counts(roster_import, "student_groups") == {"created": 3}
    school = School.objects.get(district=district, state_id="R-0001")
    roles = dict(Membership.objects.filter(school=school).values_list("user__email", "role"))
    assert roles == {"tia.one@roster.test": "teacher", "paz.one@roster.test": "principal"}
    assert set(
        StudentEnrollment.objects.filter(school=school).values_list("grade", "school_year_id")
    ) == {("04", roster.year)}
    codes = set(
        StudentGroupMembership.objects.filter(district=district).values_list(
            "student__sourced_id", "group__code"
        )
    )
    assert codes == {("stu-1", groups.HISPANIC), ("stu-2", groups.WHITE), ("stu-3", groups.ASIAN)}


def test_importing_the_same_package_again_changes_and_duplicates_nothing(
    run_package, district
) -> None:
    roster = Roster(race={1: "white"})
    run_package(roster.bulk())
    before = everything(district)

    again = run_package(roster.bulk())

    assert again.status == ImportStatus.IMPORTED
    kinds = again.summary["kinds"]
    assert all(set(actions) <= {"unchanged", "linked"} for actions in kinds.values()), kinds
    assert counts(again, "students") == {"unchanged": 10}
    after = everything(district)
    for key in ("students", "sections"):
        for row_ in before[key] + after[key]:
            row_.pop("updated_at")
    assert after == before


def test_a_corrected_re_import_updates_in_place(run_package, district) -> None:
    roster = Roster(race={1: "white"})
    run_package(roster.bulk())
    files = roster.files()
    files["users"][2] = roster.student_row(1, givenName="Stella", grades="05")
    files["demographics"] = [row("demographics", sourcedId="stu-1", asian="true")]

    again = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert counts(again, "students") == {"updated": 1, "unchanged": 9}
    assert counts(again, "school_enrollments") == {"updated": 1, "unchanged": 9}
    assert counts(again, "student_groups") == {"created": 1, "deactivated": 1}
    student = Student.objects.get(district=district, sourced_id="stu-1")
    assert student.given_name == "Stella"
    assert StudentEnrollment.objects.get(student=student).grade == "05"
    assert list(
        StudentGroupMembership.objects.filter(student=student).values_list("group__code", flat=True)
    ) == [groups.ASIAN]
    assert Student.objects.filter(district=district).count() == 10


def test_people_leadhub_already_has_are_matched_not_doubled(run_package, district, world) -> None:
    """A student an assessment file brought in (no sourcedId) is found by identifier; a
    teacher with a LeadHub account is found by email, and a role they hold is linked."""
    school = SchoolFactory(district=district, state_id="R-0001")
    known = StudentFactory(district=district, state_student_id="S1", sourced_id="")
    tia = UserFactory(email="tia.one@roster.test", full_name="Tia One-Known")
    held = MembershipFactory(user=tia, role="teacher", school=school, district=district)

    roster_import = run_package(Roster().bulk())

    assert roster_import.status == ImportStatus.IMPORTED
    assert counts(roster_import, "schools") == {"linked": 1}
    assert counts(roster_import, "students") == {"created": 9, "updated": 1}
    known.refresh_from_db()
    assert known.sourced_id == "stu-1"
    assert counts(roster_import, "staff") == {"created": 1, "linked": 1}
    assert User.objects.filter(email="tia.one@roster.test").count() == 1
    tia.refresh_from_db()
    assert tia.full_name == "Tia One-Known"  # an account LeadHub had keeps its name
    assert counts(roster_import, "staff_roles") == {"created": 1, "linked": 1}
    assert RosterMembership.objects.get(sourced_id="rol-tch-1").membership == held
    assert Membership.objects.filter(user=tia).count() == 1


def test_a_delta_removes_what_it_marks_tobedeleted(run_package, district) -> None:
    roster = Roster()
    run_package(roster.bulk())
    when = "2026-03-14T08:00:00Z"
    removed_student = roster.student_row(3, status="tobedeleted", dateLastModified=when)
    added = roster.student_row(11, status="active", dateLastModified=when)
    enrollment_gone = row(
        "enrollments",
        sourcedId="enr-s4",
        status="tobedeleted",
        dateLastModified=when,
    )
    enrollment_new = row(
        "enrollments",
        sourcedId="enr-s11",
        status="active",
        dateLastModified=when,
        classSourcedId="cls-1",
        schoolSourcedId="sch-1",
        userSourcedId="stu-11",
        role="student",
    )
    delta = package(
        {
            "users": ("delta", [removed_student, added]),
            "enrollments": ("delta", [enrollment_gone, enrollment_new]),
        }
    )

    roster_import = run_package(delta)

    assert roster_import.status == ImportStatus.IMPORTED, problems(roster_import)
    assert counts(roster_import, "students") == {"created": 1, "deactivated": 1}
    # enr-s4 by the delta, and stu-3's own class enrollment with them.
    assert counts(roster_import, "class_students") == {"created": 1, "deactivated": 2}
    assert active_students(district) == {f"stu-{n}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11)}
    stu4 = SectionStudent.objects.get(district=district, student__sourced_id="stu-4")
    assert not stu4.active
    stu3 = StudentEnrollment.objects.get(district=district, student__sourced_id="stu-3")
    assert not stu3.active
    # A delta lists only what changed: everyone it does not mention stays.
    assert Student.objects.get(district=district, sourced_id="stu-5").active


def test_a_bulk_package_deactivates_up_to_a_tenth_without_asking(run_package, district) -> None:
    run_package(Roster().bulk())

    roster_import = run_package(Roster(students=list(range(1, 10))).bulk())

    assert roster_import.status == ImportStatus.IMPORTED
    assert counts(roster_import, "students")["deactivated"] == 1
    assert counts(roster_import, "class_students")["deactivated"] == 1
    assert counts(roster_import, "school_enrollments")["deactivated"] == 1
    assert "stu-10" not in active_students(district)
    assert Student.objects.filter(district=district).count() == 10  # never deleted


def test_more_than_a_tenth_stops_for_confirmation_and_confirming_goes_ahead(
    run_package, district
) -> None:
    run_package(Roster().bulk())
    before = everything(district)
    smaller = Roster(students=list(range(1, 9))).bulk()

    stopped = run_package(smaller)

    assert stopped.status == ImportStatus.NEEDS_CONFIRMATION
    assert {(d["kind"], d["count"], d["active"]) for d in stopped.deactivation} == {
        ("students", 2, 10),
        ("class_students", 2, 10),
    }
    assert "Confirm to go ahead" in stopped.message
    assert everything(district) == before

    confirmed = run_package(smaller, confirm=True)

    assert confirmed.status == ImportStatus.IMPORTED
    assert counts(confirmed, "students")["deactivated"] == 2
    assert active_students(district) == {f"stu-{n}" for n in range(1, 9)}


def test_staff_who_leave_lose_their_roles_and_classes(run_package, district) -> None:
    run_package(Roster().bulk())
    # The roles began a while ago (a role that began today would simply be removed).
    Membership.objects.filter(district=district).update(start_date=dt.date(2025, 8, 1))
    files = Roster().files()
    files["users"] = [u for u in files["users"] if not u.startswith("tch-1,")]
    files["roles"] = [r for r in files["roles"] if "tch-1" not in r]
    files["enrollments"] = [e for e in files["enrollments"] if "tch-1" not in e]

    roster_import = run_package(
        package({name: ("bulk", rows) for name, rows in files.items()}), confirm=True
    )

    assert roster_import.status == ImportStatus.IMPORTED
    assert counts(roster_import, "staff")["deactivated"] == 1
    assert counts(roster_import, "staff_roles")["deactivated"] == 1
    assert counts(roster_import, "class_teachers")["deactivated"] == 1
    role = Membership.objects.get(user__email="tia.one@roster.test")
    assert role.end_date == timezone.localdate() - dt.timedelta(days=1)
    assert not role.is_current
    assert not SectionTeacher.objects.get(user__email="tia.one@roster.test").active
    # The account stays (its owner may work elsewhere); only what the roster gave ends.
    assert User.objects.get(email="tia.one@roster.test").is_active


def test_a_role_removed_before_it_began_is_taken_back(run_package, district) -> None:
    run_package(Roster(students=[1]).bulk())
    removal = row(
        "roles",
        sourcedId="rol-tch-1",
        status="tobedeleted",
        dateLastModified="2026-03-14T08:00:00Z",
    )

    roster_import = run_package(package({"roles": ("delta", [removal])}))

    assert counts(roster_import, "staff_roles") == {"deactivated": 1}
    assert not Membership.objects.filter(user__email="tia.one@roster.test").exists()
    assert Membership.objects.filter(user__email="paz.one@roster.test").exists()


def test_a_check_reports_the_same_and_changes_nothing(run_package, district) -> None:
    before = everything(district)

    checked = run_package(Roster().bulk(), dry_run=True)

    assert checked.status == ImportStatus.CHECKED
    assert counts(checked, "students") == {"created": 10}
    assert checked.created_schools[0]["state_id"] == "R-0001"
    assert everything(district) == before
    imported = run_package(Roster().bulk())
    assert imported.summary["kinds"] == {
        kind: {k: v for k, v in actions.items()}
        for kind, actions in checked.summary["kinds"].items()
    }


def test_a_failure_halfway_changes_nothing(run_package, district, monkeypatch) -> None:
    before = everything(district)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr("leadhub.rosters.pipeline.commit_enrollments", broken)
    with pytest.raises(RuntimeError):
        run_package(Roster().bulk())

    assert everything(district) == before
    assert not School.objects.filter(state_id="R-0001").exists()
    assert all(not model._default_manager.exists() for model in STAGING_MODELS)
    assert RosterImport.objects.get(district=district).status == ImportStatus.FAILED


@pytest.mark.parametrize(
    ("option", "role"),
    [("principal", "principal"), ("assistant_principal", "assistant_principal"), ("ignore", None)],
)
def test_site_administrators_become_what_the_district_chose(
    run_package, district, option, role
) -> None:
    files = Roster(students=[]).files()
    files["roles"] = [r.replace(",principal,", ",siteAdministrator,") for r in files["roles"]]

    run_package(
        package({name: ("bulk", rows) for name, rows in files.items()}),
        site_administrator_role=option,
    )

    held = list(
        Membership.objects.filter(user__email="paz.one@roster.test").values_list("role", flat=True)
    )
    assert held == ([role] if role else [])


def test_parents_and_staff_without_email_are_left_out_and_counted(run_package, district) -> None:
    files = Roster(students=[1]).files()
    files["users"] += [
        row(
            "users",
            sourcedId="par-1",
            enabledUser="true",
            username="p",
            givenName="Pat",
            familyName="Rent",
            email="pat@home.test",
        ),
        row(
            "users",
            sourcedId="aid-1",
            enabledUser="true",
            username="a",
            givenName="Al",
            familyName="Aide",
        ),
        row(
            "users",
            sourcedId="tch-2",
            enabledUser="true",
            username="t2",
            givenName="No",
            familyName="Mail",
        ),
    ]
    files["roles"] += [
        row(
            "roles",
            sourcedId="rol-par",
            userSourcedId="par-1",
            roleType="primary",
            role="parent",
            orgSourcedId="sch-1",
        ),
        row(
            "roles",
            sourcedId="rol-aid",
            userSourcedId="aid-1",
            roleType="primary",
            role="aide",
            orgSourcedId="sch-1",
        ),
        row(
            "roles",
            sourcedId="rol-t2",
            userSourcedId="tch-2",
            roleType="primary",
            role="teacher",
            orgSourcedId="sch-1",
        ),
    ]

    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.summary["left_out"] == {
        "guardians": 1,
        "unplaced": 1,
        "other_enrollments": 0,
    }
    assert counts(roster_import, "staff") == {"created": 2, "skipped": 1}
    assert ("users.csv", "email", "staff_email_missing") in warnings(roster_import)
    assert not User.objects.filter(email="pat@home.test").exists()


def test_race_groups_from_other_sources_are_left_alone(run_package, district) -> None:
    built_in_groups_ensure()
    run_package(Roster(students=[1], race={1: "white"}).bulk())
    student = Student.objects.get(district=district, sourced_id="stu-1")
    StudentGroupMembershipFactory(
        student=student,
        school_year_id=current_school_year(),
        group=built_in_groups_ensure()[groups.BLACK],
        source=StudentGroupMembership.Source.MANUAL,
    )

    run_package(Roster(students=[1], race={1: "asian"}).bulk())

    held = dict(
        StudentGroupMembership.objects.filter(student=student).values_list("group__code", "source")
    )
    assert held == {groups.ASIAN: "roster", groups.BLACK: "manual"}
