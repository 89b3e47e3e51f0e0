"""Conflict-safe editing: nobody silently overwrites what someone else saved meanwhile.

A model inherits :class:`Versioned`; its edit form mixes in :class:`VersionedFormMixin`,
which carries the version the person started from in a hidden field. Saving goes through
:func:`save_if_unchanged`: one conditional ``UPDATE … WHERE pk = … AND version = …`` that
also bumps the version, so of two people who loaded the same version only the first
succeeds, even when both press Save at the same instant. The second gets
:class:`EditConflict` carrying the row as it is now, and :func:`conflict_report` lays
both versions side by side so the person can review and save again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import formats
from django.utils.text import capfirst
from simple_history.utils import get_history_manager_for_model

VERSION_FIELD = "version"
NOT_YET_SAVED = 0
OUT_OF_DATE = (
    "This form is out of date, so nothing was saved. Open the page again to see what is "
    "saved now, then make your change."
)


class Versioned(models.Model):
    """A row that counts its saves; the count is what a conflicting edit is detected by."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone else saved (or removed) the row after this edit started.

    ``current`` is the row as it is in the database now, or None when it is gone.
    """

    def __init__(self, current: models.Model | None) -> None:
        super().__init__("The record changed after this edit started.")
        self.current = current


def save_if_unchanged(
    instance: models.Model,
    *,
    expected_version: int,
    update_fields: Collection[str],
    actor: Any = None,
) -> None:
    """Write ``update_fields`` of ``instance`` only if its row is still at ``expected_version``.

    The check and the write are one statement, so it holds under concurrency on any
    database. On success ``instance`` is reloaded (with its new version) and a history record is
    written (``update()`` bypasses the signals simple-history listens to), attributed to
    ``actor`` or else to the person making the current request. Raises
    :class:`EditConflict` when no row matched.
    """
    model = type(instance)
    if VERSION_FIELD in update_fields:
        raise ValueError("The version is managed by save_if_unchanged; leave it out.")
    fields = [concrete_field(model, name) for name in update_fields]
    # auto_now timestamps are set by save(); update() must set them itself.
    stamped = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) and field not in fields
    ]
    values: dict[str, Any] = {
        field.attname: field.pre_save(instance, add=False) for field in [*fields, *stamped]
    }
    with transaction.atomic():
        changed = model._default_manager.filter(
            pk=instance.pk, **{VERSION_FIELD: expected_version}
        ).update(**values, **{VERSION_FIELD: F(VERSION_FIELD) + 1})
        if changed == 0:
            raise EditConflict(current=model._default_manager.filter(pk=instance.pk).first())
        # The history record must be the row as saved, not whatever else is in memory.
        instance.refresh_from_db()
        if hasattr(model._meta, "simple_history_manager_attribute"):
            get_history_manager_for_model(model).bulk_history_create(
                [instance], update=True, default_user=actor
            )


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column that can be saved.")
    return field


class VersionedFormMixin:
    """Carries the version an edit started from through the round trip to the browser.

    Mix into a ModelForm of a :class:`Versioned` model. A new, unsaved row starts from
    version 0, which no saved row has: if someone else creates it first, that is a
    conflict too. Render the hidden field with ``form.hidden_fields``.
    """

    fields: dict[str, forms.Field]
    data: QueryDict | Mapping[str, Any]
    instance: models.Model
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = self.instance.pk is not None
        started_from = getattr(self.instance, VERSION_FIELD) if saved else NOT_YET_SAVED
        # Not required at the field: a hidden field's own error would show nowhere.
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=NOT_YET_SAVED,
            initial=started_from,
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        if cleaned.get(VERSION_FIELD) is None:
            raise forms.ValidationError(OUT_OF_DATE, code="version_missing")
        return cleaned

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data[VERSION_FIELD])

    def data_against(self, current: models.Model | None) -> QueryDict:
        """The person's submitted values, set to save over ``current``'s version this time."""
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
        else:
            data = QueryDict(mutable=True)
            for key, value in self.data.items():
                data[key] = str(value)
        version = getattr(current, VERSION_FIELD) if current is not None else NOT_YET_SAVED
        data[self.add_prefix(VERSION_FIELD)] = str(version)  # type: ignore[attr-defined]
        return data


@dataclass(frozen=True)
class FieldDifference:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


@dataclass(frozen=True)
class ConflictReport:
    """What the other person saved, beside what this person typed, field by field."""

    differences: list[FieldDifference]
    saved_by: str
    saved_at: dt.datetime | None
    removed: bool

    @property
    def changed_count(self) -> int:
        return sum(1 for difference in self.differences if difference.differs)


def display_value(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it: choice labels, local dates, a dash for empty."""
    field = concrete_field(type(instance), name)
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return "—"
    choices = dict(field.flatchoices) if field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, dt.date | dt.datetime):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def conflict_report(
    *, yours: models.Model, theirs: models.Model | None, fields: Iterable[str]
) -> ConflictReport:
    """Compare the unsaved ``yours`` with the saved ``theirs`` over ``fields``.

    Who saved ``theirs`` and when come from its latest history record.
    """
    names = list(fields)
    if theirs is None:
        return ConflictReport(differences=[], saved_by="", saved_at=None, removed=True)
    latest = None
    if hasattr(type(theirs)._meta, "simple_history_manager_attribute"):
        latest = (
            get_history_manager_for_model(theirs)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
    user = getattr(latest, "history_user", None)
    saved_by = str(user) if user is not None else ""
    differences = [
        FieldDifference(
            label=capfirst(str(concrete_field(type(yours), name).verbose_name)),
            theirs=display_value(theirs, name),
            yours=display_value(yours, name),
        )
        for name in names
    ]
    return ConflictReport(
        differences=differences,
        saved_by=saved_by,
        saved_at=latest.history_date if latest is not None else None,
        removed=False,
    )
