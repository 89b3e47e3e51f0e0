"""What computing a team's health gives back: a value, a band and the records behind it,
for each indicator over each window. Plain data: pages, snapshots and exports read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from leadhub.health.indicators import INDICATORS, Indicator, indicator
from leadhub.health.models import Status
from leadhub.health.standards import Band, Standard


class WindowKey(StrEnum):
    YEAR = "year"
    RECENT = "recent"


RECENT_DAYS = 90


@dataclass(frozen=True)
class Window:
    """The days an indicator looks at, ``start`` to ``end`` inclusive."""

    key: WindowKey
    label: str  # "This school year", "Last 90 days"
    start: dt.date
    end: dt.date


class EvidenceKind(StrEnum):
    PERIOD = "period"
    MEETING = "meeting"
    ACTION = "action"
    DECISION = "decision"
    PROPOSAL = "proposal"


@dataclass(frozen=True)
class Evidence:
    """One record behind a number, and whether it counted for or against it.

    ``counted`` is True when the record meets the indicator's definition (a period with a
    held meeting, a meeting that started on time, an action item done by its date), False
    when it counts against it, None when it is shown but left out of the figure (an excused
    absence's meeting, a team's first meeting for "agenda built ahead"), with ``note`` saying
    why in a few words."""

    kind: EvidenceKind
    day: dt.date
    label: str
    counted: bool | None
    note: str = ""
    meeting_id: int | None = None  # the meeting to open (for items: the meeting they came from)
    record_id: int | None = None  # the action item, decision or proposal


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    window: Window
    status: Status
    value: float | None = None
    band: Band | None = None
    detail: str = ""  # the figure in words: "7 of 9 periods", "median 82 of 90 minutes"
    secondary: str = ""  # the second figure: "4 different facilitators", "median 6 days"
    reason: str = ""  # why there is no value: "Only 2 held meetings; 3 are needed."
    evidence: tuple[Evidence, ...] = ()

    @property
    def indicator(self) -> Indicator:
        return indicator(self.code)

    @property
    def measured(self) -> bool:
        return self.status == Status.MEASURED


@dataclass(frozen=True)
class TeamHealth:
    team_id: int
    as_of: dt.date
    standard: Standard
    windows: tuple[Window, Window]  # the school year to date, then the last 90 days
    results: dict[tuple[str, WindowKey], IndicatorResult] = field(default_factory=dict)

    def result(self, code: str, window: WindowKey = WindowKey.YEAR) -> IndicatorResult:
        return self.results[(code, window)]

    def for_window(self, window: WindowKey) -> list[IndicatorResult]:
        """Every indicator over one window, in the order of :data:`INDICATORS`."""
        return [self.results[(item.code, window)] for item in INDICATORS]
