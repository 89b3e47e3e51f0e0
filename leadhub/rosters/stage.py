"""Reading a package's files into the staging tables, a chunk at a time.

Only what LeadHub keeps is staged. Text longer than LeadHub's fields is shortened (a
warning); grades become LeadHub's grade codes; demographics become the race and
ethnicity group codes of the canonical vocabulary, and nothing else of them is kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import models, transaction

from leadhub.lib.bulk import Values, insert_rows
from leadhub.orgs.models import Grade
from leadhub.rosters.issues import Issues
from leadhub.rosters.models import (
    STAGING_MODELS,
    StagedClass,
    StagedCourse,
    StagedDemographic,
    StagedEnrollment,
    StagedOrg,
    StagedRole,
    StagedSession,
    StagedUser,
)
from leadhub.rosters.package import Package
from leadhub.rosters.reader import Row, read_rows
from leadhub.rosters.spec import FileSpec
from leadhub.students.groups import ONEROSTER_RACE_COLUMNS

CHUNK = 2000
# Rows per INSERT statement: well under SQLite's limit of 32,766 parameters.
GRADES = frozenset(g.value for g in Grade)


class _Stager:
    def __init__(self, run: uuid.UUID, file: str, issues: Issues) -> None:
        self.run, self.file, self.issues = run, file, issues

    def text(self, row: Row, column: str, limit: int) -> str:
        return self._fit(str(row.values.get(column) or ""), row, column, limit)

    def joined(self, row: Row, column: str, limit: int) -> str:
        return self._fit(",".join(row.values.get(column) or []), row, column, limit)

    def _fit(self, value: str, row: Row, column: str, limit: int) -> str:
        if len(value) <= limit:
            return value
        self.issues.warn(
            self.file,
            row.line,
            column,
            "text_shortened",
            f"Longer than the {limit} characters LeadHub keeps; the end was cut off.",
        )
        return value[:limit]

    def base(self, row: Row) -> dict[str, Any]:
        return {
            "run": self.run,
            "line": row.line,
            "sourced_id": row.values["sourcedId"],
            "present": row.present,
        }

    def grade(self, row: Row) -> str:
        for raw in row.values.get("grades") or []:
            code = raw.upper()
            if code in GRADES:
                return code
            if code.isdigit() and 1 <= int(code) <= 12:
                return f"{int(code):02d}"
            self.issues.warn(
                self.file,
                row.line,
                "grades",
                "grade_unknown",
                "LeadHub keeps grades PK, KG and 01 to 12; this grade was left blank.",
                raw,
            )
        return ""


def _org(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row),
        name=s.text(row, "name", 150),
        org_type=row.values["type"] or "",
        identifier=row.values["identifier"][:255],
        parent_sourced_id=row.values["parentSourcedId"],
    )


def _session(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row),
        session_type=row.values["type"] or "",
        school_year=row.values["schoolYear"],
        parent_sourced_id=row.values["parentSourcedId"],
    )


def _course(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row), title=s.text(row, "title", 200), org_sourced_id=row.values["orgSourcedId"]
    )


def _class(s: _Stager, row: Row) -> Values:
    terms = row.values["termSourcedIds"] or []
    return dict(
        **s.base(row),
        title=s.text(row, "title", 200),
        grades=s.joined(row, "grades", 60),
        course_sourced_id=row.values["courseSourcedId"],
        class_code=s.text(row, "classCode", 100),
        school_sourced_id=row.values["schoolSourcedId"],
        term_sourced_id=terms[0] if terms else "",
        subjects=s.joined(row, "subjects", 200),
    )


def _user(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row),
        enabled=row.values["enabledUser"] is not False,
        identifier=row.values["identifier"][:255],
        email=row.values["email"].lower()[:254],
        given_name=s.text(row, "givenName", 100),
        family_name=s.text(row, "familyName", 100),
        preferred_name=s.text(row, "preferredGivenName", 100),
        grade=s.grade(row) if row.present else "",
        primary_org_sourced_id=row.values["primaryOrgSourcedId"],
    )


def _role(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row),
        user_sourced_id=row.values["userSourcedId"],
        role=row.values["role"] or "",
        org_sourced_id=row.values["orgSourcedId"],
        begin_date=row.values["beginDate"],
        end_date=row.values["endDate"],
    )


def _enrollment(s: _Stager, row: Row) -> Values:
    return dict(
        **s.base(row),
        class_sourced_id=row.values["classSourcedId"],
        school_sourced_id=row.values["schoolSourcedId"],
        user_sourced_id=row.values["userSourcedId"],
        role=row.values["role"] or "",
        primary=row.values["primary"],
    )


def _demographic(s: _Stager, row: Row) -> Values:
    codes = [code for column, code in ONEROSTER_RACE_COLUMNS.items() if row.values.get(column)]
    return dict(**s.base(row), groups=",".join(codes))


BUILDERS: dict[str, tuple[type[models.Model], Callable[[_Stager, Row], Values]]] = {
    "orgs": (StagedOrg, _org),
    "academicSessions": (StagedSession, _session),
    "courses": (StagedCourse, _course),
    "classes": (StagedClass, _class),
    "users": (StagedUser, _user),
    "roles": (StagedRole, _role),
    "enrollments": (StagedEnrollment, _enrollment),
    "demographics": (StagedDemographic, _demographic),
}


def stage_file(*, run: uuid.UUID, package: Package, spec: FileSpec, issues: Issues) -> int:
    """Stage one file's rows; returns how many rows were read."""
    pf = package.files[spec.name]
    model, build = BUILDERS[spec.name]
    stager = _Stager(run, pf.member, issues)
    count = 0
    with transaction.atomic():
        for chunk in _chunks(read_rows(package, pf, spec, issues)):
            insert_rows(model, [build(stager, row) for row in chunk])
            count += len(chunk)
    return count


def staging_clear(run: uuid.UUID) -> None:
    for model in STAGING_MODELS:
        model._default_manager.filter(run=run)._raw_delete(model._default_manager.db)


def _chunks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
