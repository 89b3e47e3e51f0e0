"""Every table of the project as Django models, with a canonical, portable form of each row.

Backups, restores and their verification all read rows through here, so a table's
checksum means the same thing on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models

BATCH = 2000
# Working tables, not data: the district walk's staging rows (lifecycle.WalkRow) and the
# imports' staging rows live only while their walk or import is in use, so backups,
# restores and the walk itself skip them.
TRANSIENT_TABLES = frozenset(
    {
        "lifecycle_walkrow",
        "imports_stagedassessmentrow",
        "imports_stagedmeasurerow",
        "imports_resolvedvalue",
        "rosters_stagedorg",
        "rosters_stagedsession",
        "rosters_stagedcourse",
        "rosters_stagedclass",
        "rosters_stageduser",
        "rosters_stagedrole",
        "rosters_stagedenrollment",
        "rosters_stageddemographic",
        "rosters_stagedstudentenrollment",
    }
)


def concrete_models() -> list[type[models.Model]]:
    """One model per database table: no proxies, no unmanaged models, no duplicates.

    Only tables that exist: a model defined by a test module has none. Transient
    working tables (TRANSIENT_TABLES) are left out.
    """
    existing = set(connection.introspection.table_names()) - TRANSIENT_TABLES
    seen: set[str] = set()
    found: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen or meta.db_table not in existing:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def column_names(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def encode_row(row: tuple[Any, ...]) -> str:
    return json.dumps([_encode(v) for v in row], separators=(",", ":"), sort_keys=True, default=str)


def decode_row(model: type[models.Model], line: str) -> dict[str, Any]:
    values = json.loads(line)
    decoded: dict[str, Any] = {}
    for field, value in zip(model._meta.concrete_fields, values, strict=True):
        if value is None or isinstance(field, models.JSONField):
            decoded[field.attname] = value
        elif isinstance(field, models.BinaryField):
            decoded[field.attname] = base64.b64decode(value)
        elif isinstance(field, models.DurationField):
            decoded[field.attname] = dt.timedelta(seconds=value)
        else:
            target = getattr(field, "target_field", field) if field.is_relation else field
            decoded[field.attname] = target.to_python(value)
    return decoded


def rows_of(model: type[models.Model]) -> Iterator[str]:
    """Each row of the model's table, encoded, in primary-key order, fetched in batches."""
    columns = column_names(model)
    pk = model._meta.pk.attname
    last = None
    while True:
        query = model._base_manager.order_by(pk)
        if last is not None:
            query = query.filter(**{f"{pk}__gt": last})
        batch = list(query.values_list(*columns)[:BATCH])
        if not batch:
            return
        for row in batch:
            yield encode_row(row)
        last = batch[-1][columns.index(pk)]


def table_fingerprint(model: type[models.Model]) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    for line in rows_of(model):
        digest.update(line.encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def database_fingerprint() -> dict[str, dict[str, Any]]:
    return {m._meta.db_table: table_fingerprint(m) for m in concrete_models()}
