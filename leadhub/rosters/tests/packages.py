"""Small OneRoster 1.2 packages built in tests: a district roster whose parts a test
can change, and a ZIP writer for packages broken on purpose."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from leadhub.orgs.selectors import current_school_year
from leadhub.rosters.spec import ALL_FILES, READ_FILES

COLUMNS = {spec.name: [c.name for c in spec.columns] for spec in READ_FILES}
HEADERS = {name: ",".join(columns) for name, columns in COLUMNS.items()}


def row(file: str, /, **values: str) -> str:
    """One CSV line of ``file``, by column name; columns not given are blank."""
    unknown = set(values) - set(COLUMNS[file])
    if unknown:
        raise ValueError(f"{file} has no columns {unknown}")
    text = io.StringIO()
    csv.writer(text, lineterminator="").writerow([values.get(c, "") for c in COLUMNS[file]])
    return text.getvalue()


def manifest(modes: dict[str, str], *, version: str = "1.2") -> str:
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    lines += [f"file.{name},{modes.get(name, 'absent')}" for name in ALL_FILES]
    return "\r\n".join(lines) + "\r\n"


def csv_text(name: str, rows: list[str], *, header: str | None = None) -> str:
    return "\r\n".join([header if header is not None else HEADERS[name], *rows]) + "\r\n"


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def package(files: dict[str, tuple[str, list[str]]], *, version: str = "1.2") -> bytes:
    """A package from ``{name: (mode, rows)}``, each file with its standard header."""
    contents: dict[str, str | bytes] = {
        "manifest.csv": manifest({name: mode for name, (mode, _) in files.items()}, version=version)
    }
    for name, (_, rows) in files.items():
        contents[f"{name}.csv"] = csv_text(name, rows)
    return zip_bytes(contents)


@dataclass
class Roster:
    """A district roster: one school, a principal, a teacher, students in one class.

    Students are ``stu-<n>`` with identifiers ``S<n>``. A test leaves some out of a bulk
    package to see them made inactive, or builds a delta from the rows it wants.
    """

    school_code: str = "R-0001"
    students: list[int] = field(default_factory=lambda: list(range(1, 11)))
    race: dict[int, str] = field(default_factory=dict)
    year: int = field(default_factory=current_school_year)

    def org_rows(self) -> list[str]:
        return [
            row("orgs", sourcedId="dist-1", name="Roster District", type="district"),
            row(
                "orgs",
                sourcedId="sch-1",
                name="Roster Elementary",
                type="school",
                identifier=self.school_code,
                parentSourcedId="dist-1",
            ),
        ]

    def student_row(self, n: int, **extra: str) -> str:
        values = {
            "sourcedId": f"stu-{n}",
            "enabledUser": "true",
            "username": f"s{n}",
            "givenName": f"Stu{n}",
            "familyName": "Dent",
            "identifier": f"S{n}",
            "grades": "04",
            "primaryOrgSourcedId": "sch-1",
        }
        return row("users", **(values | extra))

    def files(self) -> dict[str, list[str]]:
        y = self.year
        staff = [
            row(
                "users",
                sourcedId=key,
                enabledUser="true",
                username=key,
                givenName=given,
                familyName="One",
                identifier=key.upper(),
                email=f"{given.lower()}.one@roster.test",
                primaryOrgSourcedId="sch-1",
            )
            for key, given in (("tch-1", "Tia"), ("prn-1", "Paz"))
        ]
        roles = [
            row(
                "roles",
                sourcedId=f"rol-{user}",
                userSourcedId=user,
                roleType="primary",
                role=role,
                orgSourcedId="sch-1",
            )
            for user, role in (("tch-1", "teacher"), ("prn-1", "principal"))
        ] + [
            row(
                "roles",
                sourcedId=f"rol-s{n}",
                userSourcedId=f"stu-{n}",
                roleType="primary",
                role="student",
                orgSourcedId="sch-1",
            )
            for n in self.students
        ]
        enrollments = [
            row(
                "enrollments",
                sourcedId="enr-t1",
                classSourcedId="cls-1",
                schoolSourcedId="sch-1",
                userSourcedId="tch-1",
                role="teacher",
                primary="true",
            )
        ] + [
            row(
                "enrollments",
                sourcedId=f"enr-s{n}",
                classSourcedId="cls-1",
                schoolSourcedId="sch-1",
                userSourcedId=f"stu-{n}",
                role="student",
            )
            for n in self.students
        ]
        return {
            "orgs": self.org_rows(),
            "academicSessions": [
                row(
                    "academicSessions",
                    sourcedId=f"y{y}",
                    title=f"{y - 1}-{y}",
                    type="schoolYear",
                    startDate=f"{y - 1}-08-15",
                    endDate=f"{y}-06-10",
                    schoolYear=str(y),
                )
            ],
            "courses": [
                row("courses", sourcedId="crs-1", title="Grade 4 Math", orgSourcedId="sch-1")
            ],
            "classes": [
                row(
                    "classes",
                    sourcedId="cls-1",
                    title="Math 4 - A",
                    grades="04",
                    courseSourcedId="crs-1",
                    classType="scheduled",
                    schoolSourcedId="sch-1",
                    termSourcedIds=f"y{y}",
                )
            ],
            "users": staff + [self.student_row(n) for n in self.students],
            "roles": roles,
            "enrollments": enrollments,
            "demographics": [
                row("demographics", sourcedId=f"stu-{n}", **{self.race[n]: "true"})
                for n in self.students
                if n in self.race
            ],
        }

    def bulk(self, *, without: tuple[str, ...] = ()) -> bytes:
        files = {k: v for k, v in self.files().items() if k not in without}
        return package({name: ("bulk", rows) for name, rows in files.items()})
