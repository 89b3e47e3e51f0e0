# ruff: noqa: S608 (table and column names come from the models; every value is a parameter)
"""Reading a file into its staging table, a batch at a time, in constant memory.

Each row of the file becomes one staged row of text columns in the order of
:data:`STAGED_COLUMNS`, built by a :class:`RowShaper` from the mapping (a column of the
file, one value for every row, or nothing). On PostgreSQL a batch is one COPY; on
SQLite one executemany. Rows are produced lazily from the reader, so neither database
path holds a batch in a Python list.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import connection, models

from leadhub.imports.kinds import GROUP_KEYS
from leadhub.imports.models import ImportKind, StagedAssessmentRow, StagedMeasureRow
from leadhub.imports.services.sql import bulk_transaction, q, table, uuid_param

# Rows per COPY or executemany: a constant, so memory does not depend on the file.
BATCH_ROWS = 20_000
COPY_BLOCK = 256 * 1024

STAGED_COLUMNS: dict[str, tuple[str, ...]] = {
    ImportKind.ASSESSMENT_RESULTS: (
        "student",
        "school",
        "assessment",
        "subject",
        "grade",
        "school_year",
        "window",
        "scale_score",
        "performance_level",
        *GROUP_KEYS,
    ),
    ImportKind.MEASURE_VALUES: ("school", "measure", "period", "value", "numerator", "denominator"),
}
STAGING_MODELS: dict[str, type[models.Model]] = {
    ImportKind.ASSESSMENT_RESULTS: StagedAssessmentRow,
    ImportKind.MEASURE_VALUES: StagedMeasureRow,
}


@dataclass(frozen=True)
class Mapping:
    """Where each field's value comes from: a column index, or one value for every row."""

    columns: dict[str, int]
    fixed: dict[str, str]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        return cls(
            columns={k: int(v) for k, v in data.get("columns", {}).items()},
            fixed={k: str(v) for k, v in data.get("fixed", {}).items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {"columns": self.columns, "fixed": self.fixed}

    def gives(self, key: str) -> bool:
        return key in self.columns or bool(self.fixed.get(key))


class RowShaper:
    """Turns a row of the file (a list of cells) into the staged columns' values.

    Fixed values and blanks are appended after the file's cells once per row, so one
    ``itemgetter`` picks every staged column: no per-column Python work.
    """

    def __init__(self, kind: str, mapping: Mapping, width: int) -> None:
        self.width = width
        self.padding = [""] * width
        self.combine_period = kind == ImportKind.MEASURE_VALUES and "period" not in mapping.columns
        picked = list(STAGED_COLUMNS[kind])
        if self.combine_period:
            # Without a date column the period is "<school year> <window or month>".
            picked[picked.index("period")] = "school_year"
            picked.append("window")
        self.tail = [*(mapping.fixed.get(key, "") for key in picked), ""]
        blank = width + len(self.tail) - 1
        indices = []
        for position, key in enumerate(picked):
            if key in mapping.columns:
                indices.append(mapping.columns[key])
            elif mapping.fixed.get(key):
                indices.append(width + position)
            else:
                indices.append(blank)
        self.pick: Callable[[list[str]], tuple[str, ...]] = itemgetter(*indices)

    def __call__(self, cells: list[str]) -> tuple[str, ...]:
        if len(cells) != self.width:
            cells = (cells + self.padding)[: self.width]
        values = self.pick(cells + self.tail)
        if self.combine_period:
            period_at = STAGED_COLUMNS[ImportKind.MEASURE_VALUES].index("period")
            year, window = values[period_at], values[-1]
            values = (
                *values[:period_at],
                f"{year} {window}".strip(),
                *values[period_at + 1 : -1],
            )
        return values


class DistinctTexts:
    """The distinct texts of the columns to resolve, gathered as the rows stream past.

    A school, a window or a measure takes a handful of values in a file of any size.
    A column fed by no column of the file holds one text (a value given for every row,
    or nothing) and is not watched row by row. Sets are measured between batches: one
    that passes ``limit`` stops growing (its column is then refused as the wrong one),
    so memory stays bounded whatever the file.
    """

    def __init__(self, kind: str, mapping: Mapping, fields: Iterable[str], limit: int) -> None:
        names = STAGED_COLUMNS[kind]
        self.found: dict[str, set[str]] = {}
        self.watched: list[tuple[set[str], int]] = []
        for field in fields:
            constant = staged_constant(kind, mapping, field)
            self.found[field] = {constant} if constant is not None else set()
            if constant is None:
                self.watched.append((self.found[field], names.index(field)))
        self.limit = limit

    def add(self, values: tuple[str, ...]) -> None:
        for seen, position in self.watched:
            seen.add(values[position])

    def full(self) -> None:
        """Stop watching the columns that already have more texts than the limit."""
        self.watched = [(seen, at) for seen, at in self.watched if len(seen) <= self.limit]


def staged_constant(kind: str, mapping: Mapping, field: str) -> str | None:
    """The one text every staged row holds in ``field`` when no column of the file feeds
    it (a value given for every row, or nothing); None when a column does."""
    combined = field == "period" and kind == ImportKind.MEASURE_VALUES
    sources = (
        ("school_year", "window") if combined and "period" not in mapping.columns else (field,)
    )
    if any(source in mapping.columns for source in sources):
        return None
    return " ".join(mapping.fixed.get(source, "") for source in sources).strip()


def staged_rows(
    import_id: uuid.UUID,
    shaper: RowShaper,
    rows: Iterable[tuple[int, list[str]]],
    distinct: DistinctTexts,
) -> Iterator[tuple[Any, ...]]:
    key = uuid_param(import_id)
    for line, cells in rows:
        values = shaper(cells)
        distinct.add(values)
        yield (key, line, *values)


def batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[Iterator[tuple[Any, ...]]]:
    """Consecutive batches of BATCH_ROWS rows, each consumed lazily before the next."""
    size = BATCH_ROWS
    while True:
        first = next(rows, None)
        if first is None:
            return
        yield itertools.chain((first,), itertools.islice(rows, size - 1))


def batch_write(kind: str, rows: Iterator[tuple[Any, ...]]) -> int:
    """Write one batch of staged rows in one transaction; how many were written."""
    model = STAGING_MODELS[kind]
    names = ["data_import_id", "line", *STAGED_COLUMNS[kind]]
    columns = ", ".join(q(name) for name in names)
    with bulk_transaction():
        if connection.vendor == "postgresql":
            return _copy_csv(table(model), columns, STAGED_COLUMNS[kind], rows)
        counted = _Counted(rows)
        connection.ensure_connection()
        placeholders = ", ".join("?" for _ in names)
        connection.connection.executemany(
            f"INSERT INTO {table(model)} ({columns}) VALUES ({placeholders})", counted
        )
        return counted.count


def _copy_csv(
    target: str, columns: str, texts: tuple[str, ...], rows: Iterator[tuple[Any, ...]]
) -> int:
    """COPY the rows as CSV text, written by the csv module a block at a time: far less
    Python per row than adapting each value. An empty cell is an empty text, not NULL."""
    not_null = ", ".join(q(name) for name in texts)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {target} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
        ) as copy,
    ):
        for row in rows:
            writer.writerow(row)
            count += 1
            if buffer.tell() > COPY_BLOCK:
                copy.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        copy.write(buffer.getvalue())
    return count


class _Counted:
    """An iterator that counts what passes through it."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> tuple[Any, ...]:
        row = next(self.rows)
        self.count += 1
        return row
