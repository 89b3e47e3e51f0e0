# ruff: noqa: S608 (table and column names come from the models; every value is a parameter)
"""The commit: staged rows upserted on the target's natural key, chunk by chunk.

Each chunk (a range of lines) is one transaction: it adds the students the chunk names
that LeadHub does not know yet, counts which rows already exist (the "updated"), upserts
with INSERT … ON CONFLICT DO UPDATE, writes the student-group memberships, and records
``committed_through`` with the counts. A commit that stops (a crash, a restart) leaves
every earlier chunk written and the interrupted one not at all; resuming starts after
``committed_through`` and, being an upsert, can never add a row twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from leadhub.assessments.models import AssessmentResult
from leadhub.core.progress import Report
from leadhub.imports import values
from leadhub.imports.kinds import GROUP_KEYS
from leadhub.imports.models import (
    DataImport,
    ImportKind,
    ResolvedValue,
    StagedAssessmentRow,
    StagedMeasureRow,
)
from leadhub.imports.services.sql import (
    GrowthWatch,
    bulk_transaction,
    chunk_plans,
    execute,
    q,
    scalar,
    table,
    uuid_param,
)
from leadhub.imports.services.staging import STAGING_MODELS, Mapping
from leadhub.measures.models import MeasureSource, MeasureValue
from leadhub.orgs.models import SchoolYear
from leadhub.students.models import Student, StudentGroupMembership
from leadhub.students.services import built_in_groups_ensure

logger = logging.getLogger(__name__)

# Lines per transaction: big enough that per-statement costs vanish, small enough that
# a resume repeats little and progress moves.
COMMIT_LINES = 50_000

# The single test seam: tests set this to a callable that raises, to stop a commit inside
# a chunk's transaction after its writes and before its checkpoint (as a crash would).
# It receives the chunk's last line. Production code never sets it.
crash_point: Callable[[int], None] | None = None


class StagedRowsMissing(RuntimeError):
    """A commit found nothing staged: it stops rather than mark the import done."""


@dataclass(frozen=True)
class Chunk:
    data_import: DataImport
    key: Any
    low: int
    high: int
    now: dt.datetime

    @property
    def staged(self) -> str:
        """The WHERE clause picking this chunk's importable staged rows (3 parameters)."""
        s = table(STAGING_MODELS[self.data_import.kind])
        return (
            f"{s}.{q('data_import_id')} = %s AND {s}.{q('line')} > %s "
            f"AND {s}.{q('line')} <= %s AND NOT {s}.{q('has_problem')}"
        )

    @property
    def staged_params(self) -> list[Any]:
        return [self.key, self.low, self.high]


@dataclass(frozen=True)
class ChunkCounts:
    created: int = 0
    updated: int = 0
    students_created: int = 0


def _student_join() -> str:
    """The staged row's student, by the district and the state identifier (1 parameter)."""
    s = table(StagedAssessmentRow)
    return (
        f"JOIN {table(Student)} st ON st.{q('district_id')} = %s "
        f"AND st.{q('state_student_id')} = {s}.{q('student')} "
    )


def import_commit_run(*, data_import: DataImport, report: Report) -> DataImport:
    """Write the import's staged rows from ``committed_through`` on; the import, done."""
    kind = data_import.kind
    key = uuid_param(data_import.pk)
    s = table(STAGING_MODELS[kind])
    last_line = scalar(f"SELECT MAX({q('line')}) FROM {s} WHERE {q('data_import_id')} = %s", [key])
    if last_line is None:
        # Never expected: checked imports keep their staged rows until they are done.
        raise StagedRowsMissing(f"Import {data_import.pk} has no staged rows to commit.")
    _school_years_ensure(data_import)
    groups = _group_ids(data_import) if kind == ImportKind.ASSESSMENT_RESULTS else {}
    low = data_import.committed_through
    watch = GrowthWatch()
    while low < last_line:
        high = min(low + COMMIT_LINES, last_line)
        chunk = Chunk(data_import, key, low, high, timezone.now())
        with bulk_transaction():
            chunk_plans()
            if kind == ImportKind.ASSESSMENT_RESULTS:
                counts = _assessment_chunk(chunk, groups, watch)
            else:
                counts = _measure_chunk(chunk)
                watch.grew(MeasureValue, counts.created)
            if crash_point is not None:
                crash_point(high)
            DataImport.objects.filter(pk=data_import.pk).update(
                committed_through=high,
                created_rows=F("created_rows") + counts.created,
                updated_rows=F("updated_rows") + counts.updated,
                students_created=F("students_created") + counts.students_created,
                updated_at=timezone.now(),
            )
        report(high, last_line)
        low = high
    data_import.refresh_from_db()
    return data_import


def _school_years_ensure(data_import: DataImport) -> None:
    """Every school year a row names exists (a file may bring a year LeadHub has not used)."""
    field = "school_year" if data_import.kind == ImportKind.ASSESSMENT_RESULTS else "period"
    numbers = ResolvedValue.objects.filter(
        data_import=data_import, field=field, problem=""
    ).values_list("number", flat=True)
    for year in sorted({number for number in numbers if number is not None}):
        SchoolYear.ensure(year)


def _group_ids(data_import: DataImport) -> dict[str, int]:
    """Group code → id for the Y/N group columns this import's mapping uses."""
    mapping = Mapping.from_json(data_import.mapping)
    used = [key for key in GROUP_KEYS if mapping.gives(key)]
    if not used:
        return {}
    groups = built_in_groups_ensure()
    return {key: groups[key].pk for key in used}


def _assessment_chunk(chunk: Chunk, groups: dict[str, int], watch: GrowthWatch) -> ChunkCounts:
    s = table(StagedAssessmentRow)
    r = table(AssessmentResult)
    district_id = chunk.data_import.district_id
    students_created = _students_add(chunk)
    watch.grew(Student, students_created)
    joins = _student_join()
    updated = scalar(
        f"SELECT COUNT(*) FROM {s} {joins}"
        f"JOIN {r} r ON r.{q('student_id')} = st.{q('id')} "
        f"AND r.{q('assessment_id')} = {s}.{q('assessment_pk')} "
        f"AND r.{q('subject')} = {s}.{q('subject_code')} "
        f"AND r.{q('school_year_id')} = {s}.{q('year')} "
        f"AND r.{q('window')} = {s}.{q('window_code')} WHERE {chunk.staged}",
        [district_id, *chunk.staged_params],
    )
    columns = [
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
        "imported_by_id",
        "updated_at",
    ]
    staged = [
        "school_pk",
        "assessment_pk",
        "subject_code",
        "grade_code",
        "year",
        "window_code",
        "score_number",
        "level_number",
    ]
    natural_key = ["student_id", "assessment_id", "subject", "school_year_id", "window"]
    written = execute(
        f"INSERT INTO {r} ({_names(columns)}) SELECT %s, st.{q('id')}, "
        + ", ".join(f"{s}.{q(name)}" for name in staged)
        + f", %s, %s FROM {s} {joins}WHERE {chunk.staged} "
        f"ON CONFLICT ({_names(natural_key)}) DO UPDATE SET "
        + _excluded([c for c in columns if c not in natural_key]),
        [district_id, chunk.key, chunk.now, district_id, *chunk.staged_params],
    )
    watch.grew(AssessmentResult, written - updated)
    for code, group_id in groups.items():
        watch.grew(StudentGroupMembership, _memberships_write(chunk, code, group_id))
    return ChunkCounts(
        created=written - updated, updated=updated, students_created=students_created
    )


def _students_add(chunk: Chunk) -> int:
    """Students of the chunk not yet in the district, added with their identifier only."""
    s = table(StagedAssessmentRow)
    district_id = chunk.data_import.district_id
    explicit = {"district_id": district_id, "created_at": chunk.now, "updated_at": chunk.now}
    columns, defaults = _defaults(Student, explicit, skip={"id", "state_student_id"})
    placeholders = ", ".join("%s" for _ in defaults)
    return execute(
        f"INSERT INTO {table(Student)} ({_names(columns)}, {q('state_student_id')}) "
        f"SELECT DISTINCT {placeholders}, {s}.{q('student')} FROM {s} "
        f"WHERE {chunk.staged} AND NOT EXISTS (SELECT 1 FROM {table(Student)} st "
        f"WHERE st.{q('district_id')} = %s AND st.{q('state_student_id')} = {s}.{q('student')}) "
        "ON CONFLICT DO NOTHING",
        [*defaults, *chunk.staged_params, district_id],
    )


def _memberships_write(chunk: Chunk, code: str, group_id: int) -> int:
    """Y adds the student to the group for the year; N removes a membership that an
    assessment import added (a roster's or a person's entry is left alone). How many
    memberships were added."""
    s = table(StagedAssessmentRow)
    m = table(StudentGroupMembership)
    district_id = chunk.data_import.district_id
    answer = f"LOWER({s}.{q(code)})"
    yes, no = sorted(values.YES), sorted(values.NO)
    source = StudentGroupMembership.Source.ASSESSMENT
    # Nothing an assessment import added for this group yet (a district's first import):
    # nothing to remove, and no join to run.
    if StudentGroupMembership.objects.filter(
        district_id=district_id, group_id=group_id, source=source
    ).exists():
        execute(
            f"DELETE FROM {m} WHERE {q('id')} IN (SELECT gm.{q('id')} FROM {s} {_student_join()}"
            f"JOIN {m} gm ON gm.{q('student_id')} = st.{q('id')} "
            f"AND gm.{q('school_year_id')} = {s}.{q('year')} AND gm.{q('group_id')} = %s "
            f"WHERE {chunk.staged} AND {answer} IN ({_marks(no)}) AND gm.{q('source')} = %s)",
            [district_id, group_id, *chunk.staged_params, *no, source],
        )
    columns = ["district_id", "student_id", "school_year_id", "group_id", "source"]
    return execute(
        f"INSERT INTO {m} ({_names(columns)}) "
        f"SELECT DISTINCT %s, st.{q('id')}, {s}.{q('year')}, %s, %s FROM {s} {_student_join()}"
        f"WHERE {chunk.staged} AND {answer} IN ({_marks(yes)}) "
        f"ON CONFLICT ({_names(['student_id', 'school_year_id', 'group_id'])}) DO NOTHING",
        [district_id, group_id, source, district_id, *chunk.staged_params, *yes],
    )


def _measure_chunk(chunk: Chunk) -> ChunkCounts:
    s = table(StagedMeasureRow)
    mv = table(MeasureValue)
    updated = scalar(
        f"SELECT COUNT(*) FROM {s} "
        f"JOIN {mv} mv ON mv.{q('measure_id')} = {s}.{q('measure_pk')} "
        f"AND mv.{q('scope_key')} = {s}.{q('scope_key')} AND mv.{q('group_code')} = '' "
        f"AND mv.{q('period_start')} = {s}.{q('period_start')} WHERE {chunk.staged}",
        chunk.staged_params,
    )
    columns = [
        "measure_id",
        "school_id",
        "scope_key",
        "period_start",
        "period_label",
        "school_year_id",
        "window",
        "value",
        "numerator",
        "denominator",
        "district_id",
        "group_code",
        "source",
        "imported_by_id",
        "note",
        "created_at",
        "updated_at",
    ]
    staged = [
        "measure_pk",
        "school_pk",
        "scope_key",
        "period_start",
        "period_label",
        "year",
        "window_code",
        "value_number",
        "numerator_number",
        "denominator_number",
    ]
    natural_key = ["measure_id", "scope_key", "group_code", "period_start"]
    kept_on_update = {"district_id", "note", "created_at"}
    written = execute(
        f"INSERT INTO {mv} ({_names(columns)}) SELECT "
        + ", ".join(f"{s}.{q(name)}" for name in staged)
        + f", %s, '', %s, %s, '', %s, %s FROM {s} WHERE {chunk.staged} "
        f"ON CONFLICT ({_names(natural_key)}) DO UPDATE SET "
        + _excluded([c for c in columns if c not in natural_key and c not in kept_on_update]),
        [
            chunk.data_import.district_id,
            MeasureSource.IMPORTED,
            chunk.key,
            chunk.now,
            chunk.now,
            *chunk.staged_params,
        ],
    )
    return ChunkCounts(created=written - updated, updated=updated)


def _marks(items: list[str]) -> str:
    return ", ".join("%s" for _ in items)


def _names(columns: list[str]) -> str:
    return ", ".join(q(c) for c in columns)


def _excluded(columns: list[str]) -> str:
    return ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns)


def _defaults(
    model: type[models.Model], explicit: dict[str, Any], *, skip: set[str]
) -> tuple[list[str], list[Any]]:
    """Every column of ``model`` but ``skip``, with its value: ``explicit`` or the
    field's default (an INSERT … SELECT gets no defaults from Django)."""
    columns: list[str] = []
    found: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.attname in skip:
            continue
        columns.append(str(field.column))
        found.append(explicit[field.attname] if field.attname in explicit else field.get_default())
    return columns, found
