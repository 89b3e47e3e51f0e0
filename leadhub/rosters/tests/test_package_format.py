"""The container and the CSV format: ZIP guards, the manifest, headers and values.

Problems name the file, line and column, and quote the bad value only for codes,
dates and flags: never a name or an identifier of a person.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from leadhub.rosters.models import ImportStatus, IssueSeverity, RosterIssue
from leadhub.rosters.tests.helpers import problems, warnings
from leadhub.rosters.tests.packages import (
    HEADERS,
    Roster,
    csv_text,
    manifest,
    package,
    row,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


def roster_files(**replace: str | bytes) -> dict[str, str | bytes]:
    """The test roster as ZIP members (bulk), with some members replaced or added."""
    files = Roster(students=[1, 2]).files()
    members: dict[str, str | bytes] = {
        "manifest.csv": manifest({name: "bulk" for name in files}),
        **{f"{name}.csv": csv_text(name, rows) for name, rows in files.items()},
    }
    members.update(replace)
    return {k: v for k, v in members.items() if v != ""}


# The ZIP ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../users.csv", "/etc/users.csv", "C:/users.csv", "a\\..\\b.csv"])
def test_a_path_leaving_the_package_refuses_it(run_package, name) -> None:
    roster_import = run_package(zip_bytes(roster_files(**{name: "x"})))

    assert roster_import.status == ImportStatus.REFUSED
    assert [p[3] for p in problems(roster_import)] == ["zip_unsafe_path"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(run_package) -> None:
    bomb = b"0" * (20 * 1024 * 1024)  # 20 MB of zeros pack into a few kilobytes
    roster_import = run_package(zip_bytes(roster_files(**{"users.csv": bomb})))

    assert roster_import.status == ImportStatus.REFUSED
    assert problems(roster_import) == [("users.csv", None, "", "zip_too_large")]


def test_the_whole_package_is_limited_too(run_package, settings) -> None:
    settings.LEADHUB_ROSTER_MAX_UNCOMPRESSED_BYTES = 2000
    roster_import = run_package(Roster().bulk())

    assert roster_import.status == ImportStatus.REFUSED
    assert [p[3] for p in problems(roster_import)] == ["zip_too_large"]


def test_a_directory_that_lies_about_sizes_is_not_believed(run_package) -> None:
    """A member claiming to unpack to 100 bytes is read to 100 bytes at most: the rest,
    and the checksum that then fails, refuse the package."""
    data = lie_about_size(zip_bytes(roster_files()), "users.csv", 100)

    roster_import = run_package(data)

    assert roster_import.status == ImportStatus.REFUSED
    assert ("users.csv", None, "", "zip_damaged") in problems(roster_import)


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The ZIP with ``name``'s uncompressed size rewritten in both of its headers."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    patched[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", size)
    central = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack("<H", patched[central + 28 : central + 30])[0]
        if bytes(patched[central + 46 : central + 46 + name_length]).decode() == name:
            patched[central + 24 : central + 28] = struct.pack("<I", size)
            return bytes(patched)
        extra, comment = struct.unpack("<HH", patched[central + 30 : central + 34])
        central += 46 + name_length + extra + comment


def test_too_many_files_refuse_the_package(run_package) -> None:
    extra = {f"notes-{n}.txt": "x" for n in range(70)}
    roster_import = run_package(zip_bytes(roster_files(**extra)))

    assert [p[3] for p in problems(roster_import)] == ["zip_too_many_files"]


def test_files_in_a_folder_are_refused_with_advice(run_package) -> None:
    members = {f"export/{k}": v for k, v in roster_files().items()}
    roster_import = run_package(zip_bytes(members))

    assert [p[3] for p in problems(roster_import)] == ["zip_nested"]
    assert "not inside a folder" in roster_import.issues.get().message


def test_something_other_than_a_zip_is_refused(run_package) -> None:
    roster_import = run_package(b"sourcedId,name\r\n1,Not a zip\r\n")

    assert problems(roster_import) == [("", None, "", "zip_unreadable")]


def test_a_package_without_manifest_is_refused(run_package) -> None:
    roster_import = run_package(zip_bytes(roster_files(**{"manifest.csv": ""})))

    assert problems(roster_import) == [("manifest.csv", None, "", "manifest_missing")]


def test_macos_leftovers_and_byte_order_marks_are_fine(run_package) -> None:
    members = roster_files()
    members = {k: "\ufeff" + v if isinstance(v, str) else v for k, v in members.items()}
    members["__MACOSX/._users.csv"] = b"\x00\x05\x16\x07"
    members[".DS_Store"] = b"\x00\x00\x00\x01Bud1"

    roster_import = run_package(zip_bytes(members))

    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.warning_count == 0


# The manifest -------------------------------------------------------------------------


def test_a_1_1_package_built_here_is_refused_too(run_package) -> None:
    roster_import = run_package(package({"orgs": ("bulk", Roster().org_rows())}, version="1.1"))

    assert problems(roster_import) == [
        ("manifest.csv", 3, "oneroster.version", "version_unsupported")
    ]


def test_a_declared_file_missing_from_the_zip_is_a_problem(run_package) -> None:
    roster_import = run_package(zip_bytes(roster_files(**{"classes.csv": ""})))

    assert problems(roster_import) == [("classes.csv", None, "", "file_missing")]


def test_a_bad_file_mode_is_a_problem_and_a_lower_case_file_name_a_warning(run_package) -> None:
    members = roster_files()
    members["manifest.csv"] = str(members["manifest.csv"]).replace(
        "file.roles,bulk", "file.roles,full"
    )
    members["academicsessions.csv"] = members.pop("academicSessions.csv")

    roster_import = run_package(zip_bytes(members))

    assert problems(roster_import) == [("manifest.csv", 9, "file.roles", "value_invalid")]
    assert roster_import.issues.get(severity=IssueSeverity.PROBLEM).value == "full"
    assert ("academicsessions.csv", "", "file_name_case") in warnings(roster_import)


# Headers ------------------------------------------------------------------------------


def test_the_older_23_column_users_header_is_accepted(run_package) -> None:
    header = HEADERS["users"].replace(
        "userMasterIdentifier,", "userMasterIdentifier,resourceSourcedIds,"
    )
    files = Roster(students=[1, 2]).files()
    users = [line.replace(",,,,sch-1,", ",,,,,sch-1,") for line in files["users"]]
    members = roster_files(**{"users.csv": csv_text("users", users, header=header)})

    roster_import = run_package(zip_bytes(members))

    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.warning_count == 0


def test_header_slips_are_read_with_warnings(run_package) -> None:
    header = (
        HEADERS["users"]
        .replace("givenName", "GivenName")
        .replace("dateLastModified", "dataLastModified")
        + ",metadata.ext.homeroom,favouriteColour"
    )
    users = [line + ",Rm 4,blue" for line in Roster(students=[1, 2]).files()["users"]]

    roster_import = run_package(
        zip_bytes(roster_files(**{"users.csv": csv_text("users", users, header=header)}))
    )

    assert roster_import.status == ImportStatus.IMPORTED
    assert warnings(roster_import) == {
        ("users.csv", "GivenName", "header_case"),
        ("users.csv", "dataLastModified", "header_spelling"),
        ("users.csv", "metadata.ext.homeroom", "metadata_columns"),
        ("users.csv", "favouriteColour", "column_unknown"),
    }


def test_a_missing_column_leadhub_needs_refuses_the_file(run_package) -> None:
    header = HEADERS["users"].replace(",familyName", "")
    users = [
        ",".join(c for i, c in enumerate(line.split(",")) if i != 7)
        for line in Roster(students=[1, 2]).files()["users"]
    ]
    roster_import = run_package(
        zip_bytes(roster_files(**{"users.csv": csv_text("users", users, header=header)}))
    )

    assert problems(roster_import) == [("users.csv", 1, "familyName", "column_missing")]


# Values -------------------------------------------------------------------------------


def test_bad_required_dates_and_codes_are_problems_quoting_the_value(run_package) -> None:
    files = Roster(students=[1, 2]).files()
    files["academicSessions"] = [
        row(
            "academicSessions",
            sourcedId="y1",
            title="Year",
            type="schoolYear",
            startDate="1/05/2025",
            endDate="2026-06-10",
            schoolYear="2026",
        )
    ]
    files["classes"] = [
        row(
            "classes",
            sourcedId="cls-1",
            title="Math 4 - A",
            courseSourcedId="crs-1",
            classType="lecture",
            schoolSourcedId="sch-1",
            termSourcedIds="y1",
        )
    ]
    files["roles"][2] = files["roles"][2].replace(",student,", ",pupil,")
    files["enrollments"] = files["enrollments"][:1]

    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert roster_import.status == ImportStatus.REFUSED
    found = {
        (i.file, i.line, i.column, i.code, i.value)
        for i in RosterIssue.objects.filter(
            roster_import=roster_import, severity=IssueSeverity.PROBLEM
        )
    }
    assert found == {
        ("academicSessions.csv", 2, "startDate", "value_invalid", "1/05/2025"),
        ("classes.csv", 2, "classType", "value_invalid", "lecture"),
        ("roles.csv", 4, "role", "value_invalid", "pupil"),
    }


def test_a_delta_row_needs_its_status_and_date(run_package) -> None:
    rows = [
        Roster().student_row(1, status="active", dateLastModified="14/03/2026"),
        Roster().student_row(2, status="deleted", dateLastModified="2026-03-14T08:00:00Z"),
    ]
    roster_import = run_package(package({"users": ("delta", rows)}))

    found = {(i.line, i.column, i.value) for i in roster_import.issues.filter(severity="problem")}
    assert found == {(2, "dateLastModified", "14/03/2026"), (3, "status", "deleted")}


def test_short_rows_are_read_when_what_is_missing_is_not_needed(run_package) -> None:
    files = Roster(students=[1, 2]).files()
    files["enrollments"] = [line.rsplit(",", 2)[0] for line in files["enrollments"]]
    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert roster_import.status == ImportStatus.IMPORTED
    assert ("enrollments.csv", "", "short_rows") in warnings(roster_import)


def test_a_short_row_missing_a_needed_value_is_a_problem(run_package) -> None:
    files = Roster(students=[1, 2]).files()
    files["classes"] = [files["classes"][0].split(",sch-1,")[0]]
    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert ("classes.csv", 2, "schoolSourcedId", "value_missing") in problems(roster_import)


def test_a_reference_to_someone_nowhere_is_a_problem_that_names_nobody(run_package) -> None:
    files = Roster(students=[1, 2]).files()
    files["users"].append(Roster().student_row(3, givenName="Zebediah", identifier="ZX-991"))
    files["enrollments"].append(
        row(
            "enrollments",
            sourcedId="enr-x",
            classSourcedId="cls-1",
            schoolSourcedId="sch-1",
            userSourcedId="stu-404",
            role="student",
        )
    )
    files["roles"].append(
        row(
            "roles",
            sourcedId="rol-x",
            userSourcedId="stu-3",
            roleType="primary",
            role="student",
            orgSourcedId="sch-9",
        )
    )
    files["users"].append(Roster().student_row(4, givenName="Zebediah", identifier="ZX-991"))
    files["roles"].append(
        row(
            "roles",
            sourcedId="rol-4",
            userSourcedId="stu-4",
            roleType="primary",
            role="student",
            orgSourcedId="sch-1",
        )
    )

    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert set(problems(roster_import)) == {
        ("enrollments.csv", 5, "userSourcedId", "reference_missing"),
        ("roles.csv", 6, "orgSourcedId", "reference_missing"),
        ("users.csv", 7, "identifier", "duplicate_identifier"),
    }
    text = " ".join(f"{i.message} {i.value}" for i in roster_import.issues.all())
    for personal in ("Zebediah", "ZX-991", "stu-404", "stu-3", "Dent"):
        assert personal not in text


def test_duplicate_sourced_ids_are_problems(run_package) -> None:
    files = Roster(students=[1, 2]).files()
    files["classes"].append(files["classes"][0])
    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert problems(roster_import) == [("classes.csv", 3, "sourcedId", "duplicate_sourced_id")]


def test_a_school_of_another_district_is_a_problem(run_package, world) -> None:
    roster_import = run_package(Roster(school_code=world.other_school.state_id).bulk())

    assert problems(roster_import) == [("orgs.csv", 3, "identifier", "school_in_other_district")]


def test_passwords_and_birth_dates_are_never_kept(run_package, district) -> None:
    from django.core import serializers

    from leadhub.accounts.models import User
    from leadhub.rosters.models import RosterImport, RosterPerson
    from leadhub.students.models import Student, StudentGroupMembership

    files = Roster(students=[1]).files()
    files["users"] = [
        line.replace(",,,,,,,sch-1", ",,,,,S3cret-Pa55,,,,sch-1") if False else line
        for line in files["users"]
    ]
    files["users"][0] = files["users"][0]
    staff = row(
        "users",
        sourcedId="tch-9",
        enabledUser="true",
        username="t9",
        givenName="Ty",
        familyName="Nine",
        email="ty.nine@roster.test",
        password="S3cret-Pa55",
    )
    files["users"].append(staff)
    files["roles"].append(
        row(
            "roles",
            sourcedId="rol-9",
            userSourcedId="tch-9",
            roleType="primary",
            role="teacher",
            orgSourcedId="sch-1",
        )
    )
    files["demographics"] = [
        row(
            "demographics",
            sourcedId="stu-1",
            birthDate="2015-02-03",
            sex="female",
            white="true",
            cityOfBirth="Springfield",
        )
    ]

    roster_import = run_package(package({name: ("bulk", rows) for name, rows in files.items()}))

    assert roster_import.status == ImportStatus.IMPORTED
    kept = serializers.serialize(
        "json",
        [
            *User.objects.filter(email__endswith="@roster.test"),
            *Student.objects.filter(district=district),
            *StudentGroupMembership.objects.filter(district=district),
            *RosterPerson.objects.filter(district=district),
            *RosterImport.objects.filter(district=district),
            *RosterIssue.objects.filter(roster_import=roster_import),
        ],
    )
    for secret in ("S3cret-Pa55", "2015-02-03", "female", "Springfield"):
        assert secret not in kept
    assert not User.objects.get(email="ty.nine@roster.test").check_password("S3cret-Pa55")
