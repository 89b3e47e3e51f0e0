"""Backup and restore of a whole database, verified table by table.

The tests work on their own databases, made by subprocesses (the tiny demo state), so
the shared test database is never touched: on SQLite by default, and on PostgreSQL too
when the suite runs with DATABASE_URL. Migrating and seeding take most of the time, so
the module does each once and every test gets copies of those databases.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
SQLITE_FILE = "leadhub.sqlite3"  # settings: the database inside LEADHUB_VAR_DIR


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip} | env
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Databases:
    """Throwaway databases of the backend under test, each empty or a copy of another."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.server = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            if connection.vendor == "postgresql"
            else None
        )
        self.created: list[str] = []

    def create(self, label: str, *, copy_of: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of a new database (``LEADHUB_VAR_DIR``, ``DATABASE_URL``)."""
        var_dir = self.folder / f"{label}-{uuid.uuid4().hex[:8]}"
        var_dir.mkdir()
        if self.server is None:
            if copy_of is not None:
                self._sqlite_copy(Path(copy_of["LEADHUB_VAR_DIR"]) / SQLITE_FILE, var_dir)
            return {"LEADHUB_VAR_DIR": str(var_dir), "DATABASE_URL": ""}
        name = f"leadhub_backup_{var_dir.name.replace('-', '_')}"
        template = copy_of["DATABASE_URL"].rsplit("/", 1)[1] if copy_of else None
        self._postgres_create(name, template)
        return {"LEADHUB_VAR_DIR": str(var_dir), "DATABASE_URL": f"{self.server}/{name}"}

    def drop_all(self) -> None:
        if self.server is None or not self.created:
            return
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            for name in self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @staticmethod
    def _sqlite_copy(source: Path, var_dir: Path) -> None:
        # SQLite's backup API reads through the write-ahead log a file copy could miss.
        with (
            closing(sqlite3.connect(source)) as origin,
            closing(sqlite3.connect(var_dir / SQLITE_FILE)) as copy,
        ):
            origin.backup(copy)

    def _postgres_create(self, name: str, template: str | None) -> None:
        import psycopg

        statement = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as admin:
            # A template must have no sessions; the server ends an exited subprocess's
            # session a moment after it disconnects.
            for _ in range(50):
                try:
                    admin.execute(statement)
                    break
                except psycopg.errors.ObjectInUse:
                    time.sleep(0.1)
            else:
                admin.execute(statement)
        self.created.append(name)


@dataclass(frozen=True)
class Demo:
    """A freshly migrated database, a copy holding the tiny demo, and that copy's backup."""

    migrated: dict[str, str]
    seeded: dict[str, str]
    archive: Path


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("databases"))
    try:
        yield made
    finally:
        made.drop_all()


@pytest.fixture(scope="module")
def demo(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    migrated = databases.create("migrated")
    ok(manage("migrate", "-v0", env=migrated))
    seeded = databases.create("seeded", copy_of=migrated)
    ok(manage("seed_demo", "--scale", "tiny", env=seeded))
    archive = tmp_path_factory.mktemp("backup") / "demo-backup.zip"
    ok(manage("backup", "--output", str(archive), env=seeded))
    return Demo(migrated=migrated, seeded=seeded, archive=archive)


def test_backup_then_restore_of_the_demo_database_verifies_equal(demo, databases) -> None:
    target = databases.create("target", copy_of=demo.migrated)

    output = ok(manage("restore", str(demo.archive), "--verify", env=target))

    assert "Verified: every table matches the backup" in output
    with zipfile.ZipFile(demo.archive) as zipped:
        assert "manifest.json" in zipped.namelist()
        assert "tables/orgs_school.jsonl" in zipped.namelist()
    # The source still matches too: the backup changed nothing.
    assert "Verified" in ok(manage("restore", str(demo.archive), "--verify-only", env=demo.seeded))


def test_restore_refuses_a_database_that_holds_data(demo, databases) -> None:
    source = databases.create("source", copy_of=demo.seeded)

    result = manage("restore", str(demo.archive), env=source)

    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr
    assert "already holds data" in result.stderr


def test_verify_notices_a_changed_table(demo, databases) -> None:
    source = databases.create("source", copy_of=demo.seeded)
    ok(
        manage(
            "shell",
            "-c",
            "from leadhub.orgs.models import School; s = School.objects.first(); "
            "s.city = 'Elsewhere'; s.save(update_fields=['city'])",
            env=source,
        )
    )

    result = manage("restore", str(demo.archive), "--verify-only", env=source)

    assert result.returncode != 0
    assert "orgs_school" in result.stderr
    assert "same count, different content" in result.stderr


def test_a_file_that_is_not_a_backup_is_refused(tmp_path) -> None:
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip")
    result = manage(
        "restore", str(bogus), env={"LEADHUB_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    )
    assert result.returncode != 0
    assert "not a readable LeadHub backup" in result.stderr
