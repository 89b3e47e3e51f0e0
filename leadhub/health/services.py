"""Writes for team health: a district's adjustments to the standards.

An adjustment exists only while it differs from the default: saving the default's
figures, or resetting, removes it. Every write is conflict-safe (the rows are
:class:`~leadhub.lib.concurrency.Versioned`): a change names the version it started from
(0 when the indicator followed the default), and of two leaders editing at once only the
first is saved; the second gets :class:`StandardConflict` and nothing of theirs is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from leadhub.audit.services import audit_record
from leadhub.health.models import IndicatorStandard
from leadhub.health.standards import DEFAULT_STANDARDS, Bands
from leadhub.lib.concurrency import NOT_YET_SAVED, EditConflict, save_if_unchanged
from leadhub.orgs.models import District

FIGURES = ("expectation", "strong", "developing", "min_data")


@dataclass(frozen=True)
class StandardChange:
    """One indicator's figures as the leader saved them; ``bands`` None means the default."""

    indicator: str
    bands: Bands | None
    expected_version: int


@dataclass
class StandardConflict(Exception):
    """Someone else changed these indicators after the edit started: each one's row as it
    is now (None when it follows the default now)."""

    current: dict[str, IndicatorStandard | None] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"Changed meanwhile: {', '.join(self.current)}."


def _apply(
    district: District,
    team_kind: str,
    change: StandardChange,
    row: IndicatorStandard | None,
    actor: Any,
) -> str | None:
    """Write one change; returns the audit action, or None when nothing needed writing.
    Raises :class:`EditConflict` when the row is not at the version the change started from."""
    default = DEFAULT_STANDARDS[team_kind][change.indicator]
    target = None if change.bands is None or change.bands == default else change.bands
    if row is None:
        if target is None:
            return None
        if change.expected_version != NOT_YET_SAVED:
            raise EditConflict(current=None)  # reset by someone else meanwhile
        try:
            with transaction.atomic():
                IndicatorStandard.objects.create(
                    district=district,
                    team_kind=team_kind,
                    indicator=change.indicator,
                    **_figures(target),
                )
        except IntegrityError:
            raise EditConflict(current=_row(district, team_kind, change.indicator)) from None
        return "health.standard.adjust"
    if row.adjustment.bands == target:
        return None
    if row.version != change.expected_version:
        raise EditConflict(current=row)
    if target is None:
        locked = (
            IndicatorStandard.objects.select_for_update()
            .filter(pk=row.pk, version=change.expected_version)
            .first()
        )
        if locked is None:
            raise EditConflict(current=_row(district, team_kind, change.indicator))
        locked.delete()
        return "health.standard.reset"
    for name, value in _figures(target).items():
        setattr(row, name, value)
    save_if_unchanged(
        row, expected_version=change.expected_version, update_fields=FIGURES, actor=actor
    )
    return "health.standard.adjust"


def _figures(bands: Bands) -> dict[str, Any]:
    return {
        "expectation": bands.expectation,
        "strong": bands.strong,
        "developing": bands.developing,
        "min_data": bands.min_data,
    }


def _row(district: District, team_kind: str, indicator: str) -> IndicatorStandard | None:
    return IndicatorStandard.objects.filter(
        district=district, team_kind=team_kind, indicator=indicator
    ).first()


def standard_save(
    *,
    district: District,
    team_kind: str,
    changes: Iterable[StandardChange],
    actor: Any,
    on_saved: Callable[[District], None] | None = None,
) -> list[str]:
    """Save a district's figures for one kind of team, all or nothing.

    Returns the indicators whose figures changed. ``on_saved`` runs once the changes are
    committed, when any were (the caller's way to recompute the district's teams)."""
    changes = list(changes)
    if team_kind not in DEFAULT_STANDARDS:
        raise ValueError(f"No standard for teams of kind {team_kind!r}.")
    changed: list[str] = []
    conflicts: dict[str, IndicatorStandard | None] = {}
    with transaction.atomic():
        rows = {
            row.indicator: row
            for row in IndicatorStandard.objects.filter(district=district, team_kind=team_kind)
        }
        for change in changes:
            try:
                action = _apply(district, team_kind, change, rows.get(change.indicator), actor)
            except EditConflict as conflict:
                conflicts[change.indicator] = conflict.current  # type: ignore[assignment]
                continue
            if action is None:
                continue
            changed.append(change.indicator)
            audit_record(
                action=action,
                actor=actor,
                object_type="health.IndicatorStandard",
                object_id=f"{district.pk}:{team_kind}:{change.indicator}",
                district_id=district.pk,
            )
        if conflicts:
            transaction.set_rollback(True)
    if conflicts:
        raise StandardConflict(conflicts)
    if changed and on_saved is not None:
        transaction.on_commit(lambda: on_saved(district))
    return changed
