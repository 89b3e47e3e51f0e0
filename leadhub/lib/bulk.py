"""Multi-row INSERTs of plain values, for set-based writes of many simple rows (staging
rows, snapshots): building model instances is most of what ``bulk_create`` costs for rows
like these, so the values go straight into parameterised INSERT statements."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

# Rows per statement: well under SQLite's limit on parameters for tables this wide.
INSERT_BATCH = 500
Values = dict[str, Any]


def insert_rows(model: type[models.Model], rows: list[Values]) -> None:
    """Insert ``rows`` (attribute name → value; a missing one takes the field's default)
    into ``model``'s table, a batch per statement."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = [isinstance(f, models.UUIDField | models.DateField) for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    quote = connection.ops.quote_name
    # Names from the model's own metadata and placeholders only: no value is in the SQL.
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(str(f.column)) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            params = [
                field.get_db_prep_save(row.get(field.attname), connection)
                if prepare
                else row.get(field.attname, defaults[field.attname])
                for row in batch
                for field, prepare in zip(fields, prepared, strict=True)
            ]
            cursor.execute(head + ", ".join([one] * len(batch)), params)
