"""The one suppression helper every aggregate of student data in LeadHub goes through.

Three protections, in this order:

1. **Small cells.** A figure that stands on fewer than ``LEADHUB_SUPPRESSION_MIN_N``
   students (default 10) is hidden.
2. **Complementary suppression.** Where cells add up to a total that is shown (a school's
   students by performance level, or by race and ethnicity), one hidden cell could be
   recovered by subtraction; so whenever a line of cells (its total included) has
   exactly one hidden cell, the smallest shown part of that line is hidden too, and
   this repeats until no line gives a hidden cell away.
3. **Top and bottom coding.** For groups smaller than
   ``LEADHUB_SUPPRESSION_SMALL_GROUP_N`` (default 100), a share above 95% shows as ">95%"
   and one below 5% as "<5%": "98%" of 40 students would say that one student did not.

Callers build :class:`Figure` values and get back :class:`Cell` values to render; a cell
that is hidden carries no number at all, so a template cannot print one by mistake.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings

SUPPRESSED_TEXT = "Fewer than {n}"
HIDDEN_FOR_OTHERS_TEXT = "Hidden"


class Kind(StrEnum):
    SHARE = "share"  # value in 0..1, of ``n`` students
    COUNT = "count"  # value is the number of students
    MEAN = "mean"  # value is an average over ``n`` students


class Reason(StrEnum):
    SHOWN = ""
    SMALL = "small"
    COMPLEMENTARY = "complementary"


def minimum_n() -> int:
    return int(getattr(settings, "LEADHUB_SUPPRESSION_MIN_N", 10))


def small_group_n() -> int:
    return int(getattr(settings, "LEADHUB_SUPPRESSION_SMALL_GROUP_N", 100))


@dataclass(frozen=True)
class Figure:
    """A figure before suppression: its value and how many students stand behind it.

    ``n`` is None for figures that do not come from student records (a survey item's
    mean has its own threshold; a count of meetings has none): those are never hidden.
    """

    value: float | None
    n: int | None
    kind: Kind = Kind.SHARE


@dataclass(frozen=True)
class Cell:
    """A figure after suppression, ready to render."""

    display: str
    value: float | None = field(repr=False)
    n: int | None = field(repr=False)
    kind: Kind
    reason: Reason = Reason.SHOWN
    coded: bool = False  # shown as ">95%" or "<5%"

    @property
    def suppressed(self) -> bool:
        return self.reason is not Reason.SHOWN

    @property
    def explanation(self) -> str:
        """Why a cell is hidden, in words a principal can repeat to a parent."""
        if self.reason is Reason.SMALL:
            return f"Hidden: fewer than {minimum_n()} students, to protect their privacy."
        if self.reason is Reason.COMPLEMENTARY:
            return "Hidden so that a small group beside it cannot be worked out from the total."
        if self.coded:
            return "Shown as a range: the exact share would reveal individual students."
        return ""


def hidden_cell(kind: Kind, reason: Reason) -> Cell:
    return Cell(
        display=SUPPRESSED_TEXT.format(n=minimum_n())
        if reason is Reason.SMALL
        else HIDDEN_FOR_OTHERS_TEXT,
        value=None,
        n=None,
        kind=kind,
        reason=reason,
    )


def format_figure(figure: Figure, *, decimals: int = 1) -> tuple[str, bool]:
    """The text of a shown figure, and whether it was top or bottom coded."""
    if figure.value is None or (isinstance(figure.value, float) and math.isnan(figure.value)):
        return "No data", False
    if figure.kind is Kind.SHARE:
        small = figure.n is not None and figure.n < small_group_n()
        if small and figure.value > 0.95:
            return ">95%", True
        if small and figure.value < 0.05:
            return "<5%", True
        return f"{round(figure.value * 100)}%", False
    if figure.kind is Kind.COUNT:
        return f"{int(figure.value):,}", False
    return f"{figure.value:,.{decimals}f}", False


def shown_cell(figure: Figure, *, decimals: int = 1) -> Cell:
    display, coded = format_figure(figure, decimals=decimals)
    return Cell(
        display=display,
        value=None if coded else figure.value,
        n=figure.n,
        kind=figure.kind,
        coded=coded,
    )


def is_small(figure: Figure) -> bool:
    return figure.n is not None and figure.n < minimum_n()


def suppress_one(figure: Figure, *, decimals: int = 1) -> Cell:
    """A figure that stands alone (no total beside it that it is part of)."""
    if is_small(figure):
        return hidden_cell(figure.kind, Reason.SMALL)
    return shown_cell(figure, decimals=decimals)


def suppress_lines[K: Hashable](
    figures: Mapping[K, Figure],
    lines: Sequence[tuple[K | None, Sequence[K]]] = (),
    *,
    decimals: int = 1,
) -> dict[K, Cell]:
    """Suppress a set of figures where some add up to others.

    ``lines`` lists each (total key, part keys) whose parts partition the total's
    students: the rows and the columns of a table, or a school's groups and its "all
    students" figure. A total key of None means the total is published elsewhere (or
    can be derived), so the line is protected as if its total were shown.
    """
    hidden: dict[K, Reason] = {key: Reason.SMALL for key, fig in figures.items() if is_small(fig)}
    changed = True
    while changed:
        changed = False
        for total_key, parts in lines:
            # A line is the equation total = sum of parts: with exactly one unknown it can
            # be solved, whether the unknown is a part or the total itself (a total hidden
            # by another line is the sum of its parts when they are all shown).
            cells = list(parts) if total_key is None else [total_key, *parts]
            if sum(key in hidden for key in cells) != 1:
                continue
            candidates = [key for key in parts if key not in hidden] or [
                key for key in cells if key not in hidden
            ]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda key: _size(figures[key]))
            hidden[smallest] = Reason.COMPLEMENTARY
            changed = True
    return {
        key: hidden_cell(fig.kind, hidden[key])
        if key in hidden
        else shown_cell(fig, decimals=decimals)
        for key, fig in figures.items()
    }


def _size(figure: Figure) -> float:
    return figure.n if figure.n is not None else math.inf


def suppress_partition[K: Hashable](
    total: tuple[K, Figure] | None, parts: Mapping[K, Figure], *, decimals: int = 1
) -> dict[K, Cell]:
    """One total and the parts that add up to it (one line of :func:`suppress_lines`)."""
    figures: dict[K, Figure] = dict(parts)
    total_key: K | None = None
    if total is not None:
        total_key, total_figure = total
        figures[total_key] = total_figure
    return suppress_lines(figures, [(total_key, list(parts))], decimals=decimals)


def share(count: int | None, n: int | None) -> Figure:
    """The share of ``n`` students that ``count`` of them make."""
    if not n or count is None:
        return Figure(value=None, n=n or 0)
    return Figure(value=count / n, n=n)
