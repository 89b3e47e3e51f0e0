# ruff: noqa: S608 (table and column names come from the models; every value is a parameter)
"""The checks of a staged import, each one statement pair over the whole staging table.

A check is a condition on staged rows. :func:`_flag` marks the rows that meet it
(``has_problem``, which the commit skips) with one UPDATE, and records them for the
error report with one INSERT … SELECT, in line order, up to :data:`PROBLEM_LIMIT`
problems per import (the rows are all marked whatever the limit). No row is read into
Python.

The error report repeats the bad value for codes, dates and numbers so a person can
find and fix it; for student identifiers it never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leadhub.assessments.models import Assessment
from leadhub.imports.kinds import spec_for
from leadhub.imports.models import DataImport, ImportKind, ImportProblem, ResolvedValue
from leadhub.imports.services.resolution import resolved_fields
from leadhub.imports.services.sql import (
    as_text,
    bulk_transaction,
    execute,
    is_number,
    q,
    scalar,
    table,
    uuid_param,
    whole_table_plans,
)
from leadhub.imports.services.staging import STAGING_MODELS
from leadhub.measures.models import Measure, Unit
from leadhub.students.models import Student

PROBLEM_LIMIT = 100_000
MAX_IDENTIFIER = Student._meta.get_field("state_student_id").max_length


@dataclass(frozen=True)
class CheckResult:
    total_rows: int
    problem_rows: int
    problems_stored: int


class _Checker:
    def __init__(self, data_import: DataImport) -> None:
        self.data_import = data_import
        self.key = uuid_param(data_import.pk)
        self.model = STAGING_MODELS[data_import.kind]
        self.s = table(self.model)
        self.rv = table(ResolvedValue)
        self.stored = 0

    def c(self, name: str) -> str:
        """A staged column, qualified by the staging table."""
        return f"{self.s}.{q(name)}"

    def flag(
        self,
        condition: str,
        params: list[Any],
        *,
        field: str,
        problem: str,
        value: str = "''",
    ) -> None:
        """Mark the rows meeting ``condition`` and record up to the limit of them."""
        marked = execute(
            f"UPDATE {self.s} SET {q('has_problem')} = TRUE "
            f"WHERE {self.c('data_import_id')} = %s AND ({condition})",
            [self.key, *params],
        )
        if marked:
            self._record(
                f"SELECT %s, {self.c('line')}, %s, %s, SUBSTR({value}, 1, 100) FROM {self.s} "
                f"WHERE {self.c('data_import_id')} = %s AND ({condition})",
                [self.key, field, problem, self.key, *params],
            )

    def flag_unresolved(self, field: str, *, show_value: bool) -> None:
        """Rows whose text in ``field`` resolved to a problem (an unknown school, window…)."""
        if (
            not ResolvedValue.objects.filter(data_import=self.data_import, field=field)
            .exclude(problem="")
            .exists()
        ):
            return
        rv_problems = (
            f"SELECT {q('raw')} FROM {self.rv} WHERE {q('data_import_id')} = %s "
            f"AND {q('field')} = %s AND {q('problem')} <> ''"
        )
        execute(
            f"UPDATE {self.s} SET {q('has_problem')} = TRUE "
            f"WHERE {self.c('data_import_id')} = %s AND {self.c(field)} IN ({rv_problems})",
            [self.key, self.key, field],
        )
        value = f"SUBSTR({self.c(field)}, 1, 100)" if show_value else "''"
        self._record(
            f"SELECT %s, {self.c('line')}, %s, v.{q('problem')}, {value} FROM {self.s} "
            f"JOIN {self.rv} v ON v.{q('data_import_id')} = %s AND v.{q('field')} = %s "
            f"AND v.{q('raw')} = {self.c(field)} "
            f"WHERE {self.c('data_import_id')} = %s AND v.{q('problem')} <> ''",
            [self.key, field, self.key, field, self.key],
        )

    def flag_duplicates(self, key_columns: list[str], what: str) -> None:
        """Rows repeating an earlier row's natural key: the first is kept, the rest reported.

        The key is made of resolved columns (so "Fall" and "fall" are the same window);
        only rows without other problems take part. One pass: each row learns the first
        line of its key from a window function, no join.
        """
        columns = ", ".join(self.c(column) for column in key_columns)
        repeats = (
            f"(SELECT line, first_line FROM (SELECT {self.c('line')} AS line, "
            f"MIN({self.c('line')}) OVER (PARTITION BY {columns}) AS first_line FROM {self.s} "
            f"WHERE {self.c('data_import_id')} = %s AND NOT {self.c('has_problem')}) keyed "
            "WHERE line > first_line) repeats"
        )
        with whole_table_plans():
            recorded = self._record(
                f"SELECT %s, line, %s, %s || {as_text('first_line')} || '.', '' FROM {repeats}",
                [
                    self.key,
                    key_columns_field(self.data_import.kind),
                    f"The same {what} as line ",
                    self.key,
                ],
            )
            if recorded or self.stored >= PROBLEM_LIMIT:
                execute(
                    f"UPDATE {self.s} SET {q('has_problem')} = TRUE "
                    f"WHERE {self.c('data_import_id')} = %s AND {self.c('line')} IN "
                    f"(SELECT line FROM {repeats})",
                    [self.key, self.key],
                )

    def _record(self, select: str, params: list[Any]) -> int:
        remaining = PROBLEM_LIMIT - self.stored
        if remaining <= 0:
            return 0
        columns = ", ".join(q(n) for n in ("data_import_id", "line", "field", "problem", "value"))
        added = execute(
            f"INSERT INTO {table(ImportProblem)} ({columns}) "
            f"SELECT * FROM ({select}) found ORDER BY 2 LIMIT %s",
            [*params, remaining],
        )
        self.stored += added
        return added


def key_columns_field(kind: str) -> str:
    """The field a repeated row is reported under (its first identifying column)."""
    return "student" if kind == ImportKind.ASSESSMENT_RESULTS else "measure"


def checks_run(data_import: DataImport) -> CheckResult:
    """Run every check of the import's kind; the rows staged and the rows with problems."""
    ImportProblem.objects.filter(data_import=data_import).delete()
    checker = _Checker(data_import)
    spec = spec_for(data_import.kind)
    with bulk_transaction():
        for field in resolved_fields(data_import.kind):
            checker.flag_unresolved(field, show_value=not spec.field(field).identifier)
        if data_import.kind == ImportKind.ASSESSMENT_RESULTS:
            _assessment_checks(checker)
        else:
            _measure_checks(checker)
    s = checker.s
    key_filter = f"WHERE {checker.c('data_import_id')} = %s"
    total = scalar(f"SELECT COUNT(*) FROM {s} {key_filter}", [checker.key])
    problems = scalar(
        f"SELECT COUNT(*) FROM {s} {key_filter} AND {checker.c('has_problem')}", [checker.key]
    )
    return CheckResult(total_rows=total, problem_rows=problems, problems_stored=checker.stored)


def _assessment_checks(checker: _Checker) -> None:
    c = checker.c
    checker.flag(
        f"{c('student')} = ''",
        [],
        field="student",
        problem="The state student identifier is missing.",
    )
    checker.flag(
        f"LENGTH({c('student')}) > {MAX_IDENTIFIER}",
        [],
        field="student",
        problem=f"Longer than the {MAX_IDENTIFIER} characters a state student identifier has.",
    )
    checker.flag(
        f"{c('scale_score')} <> '' AND NOT {is_number(c('scale_score'))}",
        [],
        field="scale_score",
        problem="Not a number.",
        value=c("scale_score"),
    )
    checker.flag(
        f"{c('scale_score')} = '' AND {c('performance_level')} = ''",
        [],
        field="scale_score",
        problem="No scale score or performance level.",
    )
    checker.flag(
        f"EXISTS (SELECT 1 FROM {table(Assessment)} a WHERE a.{q('id')} = {c('assessment_pk')} "
        f"AND {c('level_number')} > a.{q('level_count')})",
        [],
        field="performance_level",
        problem="Above the highest performance level of this assessment.",
        value=c("performance_level"),
    )
    checker.flag_duplicates(
        ["student", "assessment_pk", "subject_code", "year", "window_code"],
        "student, assessment, subject, school year and window",
    )


def _measure_checks(checker: _Checker) -> None:
    c = checker.c
    checker.flag(f"{c('value')} = ''", [], field="value", problem="The value is missing.")
    for field in ("value", "numerator", "denominator"):
        checker.flag(
            f"{c(field)} <> '' AND NOT {is_number(c(field))}",
            [],
            field=field,
            problem="Not a number.",
            value=c(field),
        )
    measures = table(Measure)
    checker.flag(
        f"{c('value_number')} NOT BETWEEN 0 AND 100 AND EXISTS (SELECT 1 FROM {measures} m "
        f"WHERE m.{q('id')} = {c('measure_pk')} AND m.{q('unit')} = %s)",
        [Unit.PERCENT],
        field="value",
        problem="A percent is between 0 and 100.",
        value=c("value"),
    )
    checker.flag(
        f"EXISTS (SELECT 1 FROM {measures} m WHERE m.{q('id')} = {c('measure_pk')} "
        f"AND m.{q('school_id')} IS NOT NULL AND m.{q('school_id')} <> {c('school_pk')})",
        [],
        field="measure",
        problem="This measure belongs to another school.",
        value=c("measure"),
    )
    checker.flag_duplicates(["measure_pk", "school_pk", "period_start"], "measure, school and date")
