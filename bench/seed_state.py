"""Benchmark: build the Illinois-sized demo state in a fresh SQLite database.

Runs ``migrate`` and ``seed_demo --scale state`` in a temporary LEADHUB_VAR_DIR (so
the developer database is never touched), then the same command a second time to
time a run that has nothing to add. Prints wall times, rows per table and rows per
second.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Tables filled by migrate itself, left out of the seeding figures.
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def run_manage(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True
    )
    return time.perf_counter() - started


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)
            if table not in FRAMEWORK_TABLES
        }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="leadhub-bench-") as var_dir:
        env = {**os.environ, "LEADHUB_VAR_DIR": var_dir, "LEADHUB_ENV": "development"}
        env.pop("DATABASE_URL", None)  # always SQLite, never someone's PostgreSQL
        database = Path(var_dir) / "leadhub.sqlite3"
        print(f"seed_state: fresh SQLite database in {var_dir}", flush=True)
        migrate_seconds = run_manage("migrate", "--noinput", "-v0", env=env)
        before = table_counts(database)
        seed_seconds = run_manage("seed_demo", "--scale", "state", env=env)
        after = table_counts(database)
        rerun_seconds = run_manage("seed_demo", "--scale", "state", env=env)
        unchanged = table_counts(database) == after
        size_mb = sum(f.stat().st_size for f in Path(var_dir).iterdir()) / 1_000_000

    created = {table: after[table] - before.get(table, 0) for table in after}
    total = sum(created.values())
    print(f"\nmigrate: {migrate_seconds:.1f} s")
    print(f"seed_demo --scale state: {seed_seconds:.1f} s wall, {total:,} rows")
    print(f"  {total / seed_seconds:,.0f} rows/second; database {size_mb:,.0f} MB")
    for table, count in created.items():
        if count:
            print(f"  {table:<40} {count:>9,}")
    print(f"second run: {rerun_seconds:.1f} s, rows unchanged: {'yes' if unchanged else 'NO'}")
    return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
