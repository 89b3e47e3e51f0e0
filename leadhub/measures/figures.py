"""Measure values as cells to show, through the one suppression helper.

A value that stands on students (``student_count`` set) is hidden when too few stand
behind it, and its share is top or bottom coded for small groups; a value that does not
(an attendance rate typed in, a team's count) is shown as it is. A hidden cell carries
no number, so neither a template, a chart nor an export can print one by mistake.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from leadhub.lib.charts import format_value
from leadhub.lib.suppression import Cell, Figure, Kind, suppress_lines, suppress_one
from leadhub.measures.models import Unit

UNIT_SUFFIX: dict[str, str] = {
    Unit.PERCENT: "%",
    Unit.DAYS: " days",
    Unit.MINUTES: " min",
}


class ValueLike(Protocol):
    value: float
    student_count: int | None


def unit_suffix(unit: str) -> str:
    return UNIT_SUFFIX.get(unit, "")


@dataclass(frozen=True)
class ValueCell:
    """One value ready to render: its text, or why it is hidden."""

    cell: Cell
    unit: str
    shown_value: float | None  # in the measure's unit; None when hidden or coded

    @property
    def display(self) -> str:
        if self.shown_value is None or self.cell.kind is Kind.SHARE:
            return self.cell.display
        return format_value(self.shown_value, unit_suffix(self.unit))

    @property
    def suppressed(self) -> bool:
        return self.cell.suppressed

    @property
    def explanation(self) -> str:
        return self.cell.explanation


def figure_of(value: float | None, student_count: int | None, unit: str) -> Figure:
    """A value as the suppression helper reads it. Only student-based percentages are
    shares; other student-based figures (a mean score) are means."""
    if student_count is not None and unit == Unit.PERCENT and value is not None:
        return Figure(value=value / 100, n=student_count, kind=Kind.SHARE)
    if unit == Unit.COUNT and student_count is not None:
        return Figure(value=value, n=student_count, kind=Kind.COUNT)
    return Figure(value=value, n=student_count, kind=Kind.MEAN)


def _value_cell(cell: Cell, value: float | None, unit: str) -> ValueCell:
    shown = value if not cell.suppressed and not cell.coded else None
    return ValueCell(cell=cell, unit=unit, shown_value=shown)


def value_cell(value: ValueLike, unit: str) -> ValueCell:
    """A value that stands alone: one period of one group's series."""
    figure = figure_of(value.value, value.student_count, unit)
    return _value_cell(suppress_one(figure), value.value, unit)


def count_cell(count: float | None, student_count: int | None) -> Cell:
    """A count of students (tested, or at or above the level), hidden when small."""
    n = int(count) if count is not None else None
    return suppress_one(Figure(value=n, n=student_count, kind=Kind.COUNT))


def value_cells[K: Hashable](
    values: Mapping[K, ValueLike],
    unit: str,
    lines: Sequence[tuple[K | None, Sequence[K]]] = (),
) -> dict[K, ValueCell]:
    """Values shown side by side where some add up to others (groups beside all
    students; schools beside their district): small cells are hidden, and so is one
    more wherever a hidden one could be worked out from the total."""
    figures = {
        key: figure_of(value.value, value.student_count, unit) for key, value in values.items()
    }
    cells = suppress_lines(figures, lines)
    return {key: _value_cell(cells[key], values[key].value, unit) for key in values}


ALL_STUDENTS = ""


def group_lines[R: Hashable](
    keys: Iterable[tuple[R, str]], races: frozenset[str]
) -> list[tuple[tuple[R, str] | None, list[tuple[R, str]]]]:
    """For a table whose rows are places or periods and whose columns are student groups
    (all students = ""), each row's race and ethnicity groups add up to its all-students
    figure. Program groups (English learners, IEP, low income) stand beside a complement
    that is never shown, so only their own size decides."""
    present = set(keys)
    parts: dict[R, list[tuple[R, str]]] = {}
    for row, code in present:
        if code in races:
            parts.setdefault(row, []).append((row, code))
    return [
        ((row, ALL_STUDENTS) if (row, ALL_STUDENTS) in present else None, cells)
        for row, cells in parts.items()
    ]
