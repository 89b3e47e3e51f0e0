"""Record history for domain models, with confidential fields kept out of it.

A field is marked confidential with :func:`confidential`. :func:`track_history`
registers a model with django-simple-history and leaves every confidential field
out of its historical table, so no history view, export or admin can show it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history import register

# Bookkeeping columns that say nothing a reader needs in a list of changes.
HIDDEN_FIELDS = ["version", "updated_at"]


def confidential[FieldT: "models.Field[Any, Any]"](field: FieldT) -> FieldT:
    """Mark a model field as confidential: readable only by the people it belongs to."""
    field.confidential = True  # type: ignore[attr-defined]
    return field


def is_confidential(field: object) -> bool:
    return bool(getattr(field, "confidential", False))


def confidential_field_names(model: type[models.Model]) -> list[str]:
    # Concrete fields only: this runs while the model class is being created.
    return [f.name for f in model._meta.local_fields if is_confidential(f)]


def track_history[ModelT: type[models.Model]](model: ModelT) -> ModelT:
    """Class decorator: keep who, when and what changed for every write of ``model``."""
    register(model, excluded_fields=confidential_field_names(model))
    return model


def history_entries(records: Any, *, limit: int = 50) -> list[dict[str, Any]]:
    """Turn historical rows of one or several records into readable entries, newest first.

    ``records`` is a queryset of historical rows of one model. Each change is
    compared with the same record's previous row, found in the rows already
    fetched where possible so a page of history costs a query or two.
    """
    rows = list(
        records.select_related("history_user").order_by("-history_date", "-history_id")[: limit * 2]
    )
    entries: list[dict[str, Any]] = []
    for index, row in enumerate(rows[:limit]):
        changes: list[dict[str, Any]] = []
        if row.history_type == "~":
            older = next((r for r in rows[index + 1 :] if r.id == row.id), None)
            older = older or row.prev_record
            if older is not None:
                model = row.instance_type
                for change in row.diff_against(older, excluded_fields=HIDDEN_FIELDS).changes:
                    field = model._meta.get_field(change.field)
                    changes.append(
                        {
                            "field": str(getattr(field, "verbose_name", change.field)),
                            "old": change.old,
                            "new": change.new,
                        }
                    )
        entries.append(
            {
                "when": row.history_date,
                "who": row.history_user,
                "action": {"+": "Created", "~": "Changed", "-": "Deleted"}[row.history_type],
                "object": str(row.instance),
                "changes": changes,
            }
        )
    return entries
