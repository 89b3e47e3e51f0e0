"""Backup and restore of a whole database, verified table by table.

Each test builds its own databases in subprocesses (the tiny demo state), so the
shared test database is never touched: on SQLite by default, and on PostgreSQL
too when the suite runs with DATABASE_URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


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


@pytest.fixture
def two_databases(tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Environments for a source and a target database of the backend under test."""
    if connection.vendor != "postgresql":
        yield (
            {"LEADHUB_VAR_DIR": str(tmp_path / "source"), "DATABASE_URL": ""},
            {"LEADHUB_VAR_DIR": str(tmp_path / "target"), "DATABASE_URL": ""},
        )
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"leadhub_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(  # type: ignore[misc]
            {"LEADHUB_VAR_DIR": str(tmp_path / name), "DATABASE_URL": f"{base}/{name}"}
            for name in names
        )
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_of_the_demo_database_verifies_equal(two_databases, tmp_path) -> None:
    source, target = two_databases
    archive = tmp_path / "demo-backup.zip"
    ok(manage("migrate", "-v0", env=source))
    ok(manage("seed_demo", "--scale", "tiny", env=source))
    ok(manage("backup", "--output", str(archive), env=source))
    ok(manage("migrate", "-v0", env=target))

    output = ok(manage("restore", str(archive), "--verify", env=target))

    assert "Verified: every table matches the backup" in output
    with zipfile.ZipFile(archive) as zipped:
        assert "manifest.json" in zipped.namelist()
        assert "tables/orgs_school.jsonl" in zipped.namelist()
    # The source still matches too: the backup changed nothing.
    assert "Verified" in ok(manage("restore", str(archive), "--verify-only", env=source))


def test_restore_refuses_a_database_that_holds_data(two_databases, tmp_path) -> None:
    source, _ = two_databases
    archive = tmp_path / "backup.zip"
    ok(manage("migrate", "-v0", env=source))
    ok(manage("seed_demo", "--scale", "tiny", env=source))
    ok(manage("backup", "--output", str(archive), env=source))

    result = manage("restore", str(archive), env=source)

    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr
    assert "already holds data" in result.stderr


def test_verify_notices_a_changed_table(two_databases, tmp_path) -> None:
    source, _ = two_databases
    archive = tmp_path / "backup.zip"
    ok(manage("migrate", "-v0", env=source))
    ok(manage("seed_demo", "--scale", "tiny", env=source))
    ok(manage("backup", "--output", str(archive), env=source))
    ok(
        manage(
            "shell",
            "-c",
            "from leadhub.orgs.models import School; s = School.objects.first(); "
            "s.city = 'Elsewhere'; s.save(update_fields=['city'])",
            env=source,
        )
    )

    result = manage("restore", str(archive), "--verify-only", env=source)

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
