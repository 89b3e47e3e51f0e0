"""Backups as portable ZIP files: one JSON-lines member per table and a manifest.

The manifest holds each table's row count and checksum, and the migrations the
database was at. A restore goes into a freshly migrated, empty database at the same
migrations, and ``verify`` recomputes every table's count and checksum from the
restored rows and compares them with the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from leadhub.lifecycle.tables import (
    BATCH,
    concrete_models,
    database_fingerprint,
    decode_row,
    rows_of,
)

FORMAT = 1
MANIFEST = "manifest.json"
# Filled in by every migrate (built-in student groups, survey instruments and the plans'
# indicator set come from data migrations); a restore replaces them with the backup's own
# rows. In deletion order: rows that point at others first.
REGENERATED_TABLES = (
    "auth_permission",
    "django_content_type",
    "plans_indicator",
    "plans_indicatorset",
    "surveys_item",
    "surveys_construct",
    "surveys_instrument",
    "students_studentgroup",
)


class RestoreRefused(Exception):
    """The target database cannot take this backup; nothing was changed."""


@dataclass(frozen=True)
class Mismatch:
    table: str
    expected: dict[str, Any]
    found: dict[str, Any]


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([list(key) for key in recorder.applied_migrations()])


def backup_write(path: Path) -> dict[str, Any]:
    """Write every table to ``path``; returns the manifest."""
    tables: dict[str, dict[str, Any]] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed at the end: a failed backup leaves no file.
    partial = path.with_name(f".{path.name}.partial")
    try:
        with transaction.atomic(), zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for model in concrete_models():
                table = model._meta.db_table
                digest = hashlib.sha256()
                count = 0
                with archive.open(f"tables/{table}.jsonl", "w") as member:
                    for line in rows_of(model):
                        data = line.encode() + b"\n"
                        member.write(data)
                        digest.update(data)
                        count += 1
                tables[table] = {"rows": count, "sha256": digest.hexdigest()}
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "vendor": connection.vendor,
                "migrations": applied_migrations(),
                "tables": tables,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return manifest


def backup_manifest(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise RestoreRefused(f"{path.name} is not a readable LeadHub backup.") from error
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{path.name} is not a LeadHub backup of format {FORMAT}.")
    return manifest


@contextlib.contextmanager
def _timestamps_kept(model: type[models.Model]) -> Iterator[None]:
    """Restored rows keep their own created/updated times instead of taking 'now'."""
    changed = []
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            changed.append((field, field.auto_now, field.auto_now_add))  # type: ignore[attr-defined]
            field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[attr-defined]


def _refuse_unless_empty(models_by_table: dict[str, type[models.Model]]) -> None:
    occupied = [
        table
        for table, model in models_by_table.items()
        if table not in REGENERATED_TABLES and model._base_manager.exists()
    ]
    if occupied:
        raise RestoreRefused(
            "The target database already holds data (for example in "
            f"{', '.join(sorted(occupied)[:3])}). Restore into a new, migrated, empty database."
        )


def backup_restore(path: Path) -> dict[str, int]:
    """Load the backup into this (empty, migrated) database, all or nothing."""
    manifest = backup_manifest(path)
    if manifest["migrations"] != applied_migrations():
        raise RestoreRefused(
            "The backup was made at other migrations than this database has. Run "
            "`manage.py migrate` with the code version that made the backup, then restore."
        )
    models_by_table = {m._meta.db_table: m for m in concrete_models()}
    missing = set(manifest["tables"]) - set(models_by_table)
    if missing:
        raise RestoreRefused(f"This code has no table for {', '.join(sorted(missing))}.")
    _refuse_unless_empty(models_by_table)
    loaded: dict[str, int] = {}
    with transaction.atomic(), zipfile.ZipFile(path) as archive:
        for table in REGENERATED_TABLES:
            if table in models_by_table:
                models_by_table[table]._base_manager.all().delete()
        for table in manifest["tables"]:
            model = models_by_table[table]
            loaded[table] = _load_table(model, archive, table)
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_by_table.values()))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return loaded


def _load_table(model: type[models.Model], archive: zipfile.ZipFile, table: str) -> int:
    count = 0
    batch: list[models.Model] = []
    with _timestamps_kept(model), archive.open(f"tables/{table}.jsonl") as member:
        for raw in io.TextIOWrapper(member, encoding="utf-8"):
            batch.append(model(**decode_row(model, raw)))
            if len(batch) >= BATCH:
                model._base_manager.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)
            count += len(batch)
    return count


def backup_verify(path: Path) -> list[Mismatch]:
    """Compare this database, table by table, with the backup's manifest."""
    expected = backup_manifest(path)["tables"]
    found = database_fingerprint()
    return [
        Mismatch(table=table, expected=expected.get(table, {}), found=found.get(table, {}))
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]
