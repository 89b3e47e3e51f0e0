# ruff: noqa: S608 (table and column names come from the models; every value is a parameter)
"""The few pieces of SQL that differ between SQLite and PostgreSQL, and shared helpers.

Everything else the import runs is plain SQL both accept: INSERT … SELECT with joins,
UPDATE … WHERE … IN (subquery), and INSERT … ON CONFLICT … DO UPDATE (SQLite 3.24+).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction

# A number as people type it: 12, -3.5, .5, 1e3. Anything else is reported, not cast.
NUMBER_PATTERN = r"^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$"


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def col(model: type[models.Model], name: str) -> str:
    """A column qualified by its table: unambiguous inside UPDATE … WHERE subqueries."""
    return f"{table(model)}.{connection.ops.quote_name(name)}"


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def uuid_param(value: uuid.UUID) -> Any:
    """A UUID as the database stores it (hex text on SQLite, uuid on PostgreSQL)."""
    from leadhub.imports.models import DataImport

    return DataImport._meta.pk.get_db_prep_value(value, connection)


def is_number(expression: str) -> str:
    """SQL true when the text ``expression`` is a number (Django gives SQLite REGEXP)."""
    if is_postgresql():
        return f"({expression} ~ '{NUMBER_PATTERN}')"
    return f"({expression} REGEXP '{NUMBER_PATTERN}')"


def as_float(expression: str) -> str:
    """The text as a float, or NULL when it is blank or not a number; never an error."""
    kind = "DOUBLE PRECISION" if is_postgresql() else "REAL"
    return f"(CASE WHEN {is_number(expression)} THEN CAST({expression} AS {kind}) END)"


def as_text(expression: str) -> str:
    return f"CAST({expression} AS TEXT)"


def as_date(expression: str) -> str:
    """An ISO date text as a date column takes it (SQLite keeps dates as that text)."""
    return f"CAST({expression} AS DATE)" if is_postgresql() else expression


def statistics_refresh(*models_: type[models.Model]) -> None:
    """Let PostgreSQL's planner see what was just loaded: a freshly filled staging table
    otherwise looks empty, and the joins then pick plans that take minutes, not seconds.
    SQLite's planner leans on the indexes and needs nothing."""
    if is_postgresql():
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"ANALYZE {table(model)}")


@contextmanager
def bulk_transaction() -> Iterator[None]:
    """A transaction of an import's bulk writes.

    On PostgreSQL it does not wait for its log to reach the disk when it commits
    (``synchronous_commit = off``): a crash of the database server may lose the last
    commits of the last moment, whole, never half of one. A staged batch is then read
    again, and a commit chunk, whose checkpoint is written in the same transaction,
    is done again on resume. Other transactions of the site keep full durability.
    """
    with transaction.atomic():
        if is_postgresql():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


@contextmanager
def whole_table_plans() -> Iterator[None]:
    """A transaction in which PostgreSQL joins by hashing, not by nested loops.

    Statements over a whole staging table join it to small lookup sets; the planner
    underestimates those joins (it cannot tell the lookup rows of one column from
    another's) and, left alone, picks nested loops that rescan per row. Hash joins
    read each side once, whatever the estimates.
    """
    with bulk_transaction():
        if is_postgresql():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_nestloop = off")
                # Sorts and hashes of a whole file stay in memory rather than on disk.
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


class GrowthWatch:
    """Refreshes PostgreSQL's statistics of tables a commit is filling, as they grow.

    The chunk statements look rows up through indexes, and the planner picks the index
    from what it believes a table holds: a district's first import takes its students
    from none to hundreds of thousands, and a plan made for "two students" scans them
    all for every row. Statistics are refreshed once a table has grown by half since
    they were last taken, so a commit refreshes each table a handful of times however
    large the file.
    """

    GROWTH = 0.5

    def __init__(self) -> None:
        self.known: dict[str, float] = {}
        self.added: dict[str, int] = {}

    def grew(self, model: type[models.Model], rows: int) -> None:
        if not is_postgresql() or rows <= 0:
            return
        name = model._meta.db_table
        if name not in self.known:
            self.known[name] = max(
                float(scalar("SELECT reltuples FROM pg_class WHERE relname = %s", [name]) or 0), 0.0
            )
        self.added[name] = self.added.get(name, 0) + rows
        if self.added[name] > self.GROWTH * self.known[name]:
            statistics_refresh(model)
            self.known[name] += self.added[name]
            self.added[name] = 0


def chunk_plans() -> None:
    """In the current transaction, PostgreSQL reaches rows through indexes.

    A commit chunk is a range of staged lines joined to students and to the target
    table on their unique keys, while the same commit is filling those tables: the
    statistics the planner reads are out of date (an empty table, then a fraction of it)
    and it may join in an order that scans a whole table per row. The chunk statements
    are written in the order to follow (staged rows, then students, then the target),
    and index lookups in that order are right whatever the statistics say.
    """
    if is_postgresql():
        with connection.cursor() as cursor:
            for setting in (
                "join_collapse_limit = 1",
                "enable_seqscan = off",
                "enable_hashjoin = off",
                "enable_mergejoin = off",
                "max_parallel_workers_per_gather = 0",
            ):
                cursor.execute(f"SET LOCAL {setting}")


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
