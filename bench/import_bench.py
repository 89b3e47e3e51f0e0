"""Benchmark: an assessment results file imported into PostgreSQL and into SQLite.

For each size (100,000 and 1,000,000 rows by default; ``--quick`` for 20,000) the
script writes a CSV file, then for each database runs, in a fresh process and a fresh
database (``leadhub_bench`` on the local PostgreSQL, created and dropped here; a
temporary SQLite file):

- the import as LeadHub runs it: staging (COPY / executemany), resolving and checking
  set by set, and the chunked upsert, with the new students added;
- the database's own bulk path on the same file: COPY into an equivalent bare table
  (PostgreSQL), executemany in one transaction (SQLite).

It prints rows per second, the ratio of the import's speed to the bulk path's, and the
process's peak memory (the resident set before the import and its peak after: the
import should add about the same whatever the size of the file).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "leadhub_bench"
SCHOOLS = 20
SCHOOL_YEAR = "2025-26"
HEADER = [
    "State Student ID",
    "School Code",
    "Assessment",
    "Subject",
    "Grade",
    "School Year",
    "Window",
    "Scale Score",
    "Perf Level",
    "EL",
    "IEP",
    "Low Income",
]
SUBJECTS = ("Math", "ELA")
WINDOWS = ("Fall", "Winter", "Spring")


def csv_write(path: Path, rows: int) -> None:
    """``rows`` results: each student has math and ELA in fall, winter and spring."""
    generator = random.Random(2026)  # noqa: S311 (test data)
    per_student = len(SUBJECTS) * len(WINDOWS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            student = index // per_student
            subject = SUBJECTS[index % len(SUBJECTS)]
            window = WINDOWS[(index // len(SUBJECTS)) % len(WINDOWS)]
            level = generator.randint(1, 4)
            writer.writerow(
                [
                    f"{900000000 + student}",
                    f"BENCH-{student % SCHOOLS:03d}",
                    "bench-interim",
                    subject,
                    str(3 + student % 6),
                    SCHOOL_YEAR,
                    window,
                    f"{150 + 20 * level + generator.random() * 15:.1f}",
                    str(level),
                    "Y" if student % 7 == 0 else "N",
                    "Y" if student % 9 == 0 else "N",
                    "Y" if student % 2 == 0 else "N",
                ]
            )


def peak_rss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


# --- the child: one database, one file ------------------------------------------------


def child(database: str, csv_path: Path) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadhub.settings")
    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from leadhub.accounts.models import User
    from leadhub.assessments.models import Assessment
    from leadhub.imports.services import lifecycle
    from leadhub.imports.services.commit import import_commit_run
    from leadhub.imports.services.staging import Mapping
    from leadhub.orgs.models import District, School, State

    state = State.objects.create(name="Bench State", code="BS")
    district = District.objects.create(parent_state=state, name="Bench District", state_id="BD-1")
    School.objects.bulk_create(
        School(district=district, name=f"Bench School {i}", state_id=f"BENCH-{i:03d}")
        for i in range(SCHOOLS)
    )
    Assessment.objects.create(code="bench-interim", name="Bench interim", level_count=4)
    actor = User.objects.create_user(email="bench@example.test", password=None)

    def report(done: int, total: int) -> None:
        """Progress is not the benchmark's concern."""

    rss_before = current_rss_mb()
    started = time.perf_counter()
    with csv_path.open("rb") as handle:
        data_import = lifecycle.import_upload(
            uploaded=File(handle, name=csv_path.name),
            kind="assessment_results",
            district=district,
            school=None,
            actor=actor,
        )
    uploaded = time.perf_counter()
    lifecycle.import_check_start(
        data_import=data_import, mapping=Mapping.from_json(data_import.mapping), actor=actor
    )
    data_import = lifecycle.import_check_run(data_import=data_import, report=report)
    checked = time.perf_counter()
    lifecycle.import_commit_start(data_import=data_import, actor=actor, skip_problem_rows=False)
    data_import = import_commit_run(data_import=data_import, report=report)
    data_import = lifecycle.import_commit_finish(data_import=data_import)
    finished = time.perf_counter()
    rss_peak = peak_rss_mb()
    if data_import.created_rows != data_import.total_rows:
        raise RuntimeError(f"Imported {data_import.created_rows:,} of {data_import.total_rows:,}")
    bulk_seconds = bulk_path(database, csv_path)
    return {
        "rows": data_import.total_rows,
        "students": data_import.students_created,
        "upload": uploaded - started,
        "check": checked - uploaded,
        "commit": finished - checked,
        "import": finished - started,
        "bulk": bulk_seconds,
        "rss_before": rss_before,
        "rss_peak": rss_peak,
    }


BARE_COLUMNS = (
    "student text, school text, assessment text, subject text, grade text, school_year text, "
    "test_window text, scale_score {float}, performance_level smallint, el text, iep text, "
    "low_income text"
)


def bulk_path(database: str, csv_path: Path) -> float:
    """The database's own fastest load of the same file into an equivalent bare table."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        if database == "postgresql":
            cursor.execute(f"CREATE TABLE bench_bare ({BARE_COLUMNS.format(float='float8')})")
            started = time.perf_counter()
            with (
                csv_path.open("rb") as handle,
                cursor.copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while block := handle.read(1024 * 1024):
                    copy.write(block)
            return time.perf_counter() - started
        cursor.execute(f"CREATE TABLE bench_bare ({BARE_COLUMNS.format(float='real')})")
    placeholders = ", ".join("?" * 12)
    started = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8") as handle, transaction.atomic():
        reader = csv.reader(handle)
        next(reader)
        connection.connection.executemany(
            f"INSERT INTO bench_bare VALUES ({placeholders})",  # noqa: S608 (fixed text)
            reader,
        )
    return time.perf_counter() - started


# --- the parent: files, databases, figures ----------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def run(database: str, csv_path: Path, var_dir: Path) -> dict[str, Any]:
    env = {**os.environ, "LEADHUB_VAR_DIR": str(var_dir), "LEADHUB_ENV": "development"}
    env.pop("DATABASE_URL", None)
    if database == "postgresql":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    try:
        result = subprocess.run(  # noqa: S603 (this script, fixed arguments)
            [sys.executable, __file__, "--child", database, str(csv_path)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        print(error.stdout, error.stderr, sep="\n", file=sys.stderr)
        raise
    finally:
        if database == "postgresql":
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    return json.loads(result.stdout.strip().splitlines()[-1])


def show(database: str, figures: dict[str, Any]) -> None:
    rows = figures["rows"]
    speed = rows / figures["import"]
    bulk = rows / figures["bulk"]
    print(
        f"  {database:<10} import {figures['import']:7.1f} s = {speed:9,.0f} rows/s "
        f"(upload {figures['upload']:.1f} s, read+check {figures['check']:.1f} s, "
        f"commit {figures['commit']:.1f} s; {figures['students']:,} students added)"
    )
    print(
        f"  {'':<10} bulk path {figures['bulk']:5.1f} s = {bulk:9,.0f} rows/s; "
        f"import speed / bulk speed = {speed / bulk:.2f}; "
        f"memory {figures['rss_before']:.0f} MB before, {figures['rss_peak']:.0f} MB peak"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--quick", action="store_true", help="one small file (20,000 rows)")
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"])
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    sizes = [20_000] if args.quick else args.rows
    for rows in sizes:
        with tempfile.TemporaryDirectory(prefix="leadhub-import-bench-") as folder:
            csv_path = Path(folder) / f"results-{rows}.csv"
            csv_write(csv_path, rows)
            size_mb = csv_path.stat().st_size / 1_000_000
            print(f"{rows:,} rows ({size_mb:.0f} MB CSV)", flush=True)
            for database in args.databases:
                var_dir = Path(folder) / database
                var_dir.mkdir()
                show(database, run(database, csv_path, var_dir))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
