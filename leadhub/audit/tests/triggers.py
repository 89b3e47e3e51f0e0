"""For test suites whose database is flushed between tests (``live_server``).

Django flushes SQLite with ``DELETE FROM`` every table, which the audit table's
append-only triggers refuse. A suite that flushes turns the triggers off on its test
connection just before the flush and on again when the next test starts; PostgreSQL
flushes with TRUNCATE, which the row triggers leave alone, so nothing is needed there.
"""

from __future__ import annotations

import sqlite3

from django.db.backends.base.base import BaseDatabaseWrapper


def set_sqlite_triggers(connection: BaseDatabaseWrapper, *, enabled: bool) -> None:
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    connection.connection.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, enabled)
