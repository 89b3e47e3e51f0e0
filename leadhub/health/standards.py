"""What each kind of team is held to: the one place the health standards live.

Every indicator has an expectation (what good looks like), two band edges (strong,
developing; anything worse needs attention) and a minimum amount of data below which it
says "not enough data". These defaults follow the ILT guide: an ILT meets every other week
for 90 minutes; grade-level teams and PLCs usually meet weekly for 45–60 minutes. A district
may adjust any figure for its own teams (:class:`leadhub.health.models.IndicatorStandard`);
:func:`standards_for` merges its adjustments over these defaults.

Units follow the indicator: shares are 0–1; ``length`` is in minutes; ``cadence``'s
expectation is the meeting period in days (its edges are shares of periods met).
``min_data`` counts periods (cadence), held meetings, action items (follow-through) or
decisions (closing the loop).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from leadhub.health.indicators import BY_CODE, Code
from leadhub.teams.models import TeamKind


class Band(StrEnum):
    STRONG = "strong"
    DEVELOPING = "developing"
    ATTENTION = "attention"


BAND_LABELS: dict[str, str] = {
    Band.STRONG: "Strong",
    Band.DEVELOPING: "Developing",
    Band.ATTENTION: "Needs attention",
}


@dataclass(frozen=True)
class Bands:
    expectation: float
    strong: float
    developing: float
    min_data: int

    def band(self, value: float, *, higher_is_better: bool = True) -> Band:
        if higher_is_better:
            if value >= self.strong:
                return Band.STRONG
            return Band.DEVELOPING if value >= self.developing else Band.ATTENTION
        if value <= self.strong:
            return Band.STRONG
        return Band.DEVELOPING if value <= self.developing else Band.ATTENTION


@dataclass(frozen=True)
class Standard:
    """The standard for one kind of team (in one district, once adjusted)."""

    team_kind: str
    indicators: Mapping[str, Bands]

    def __getitem__(self, code: str) -> Bands:
        return self.indicators[code]

    @property
    def period_days(self) -> int:
        return int(self.indicators[Code.CADENCE].expectation)

    @property
    def meeting_minutes(self) -> int:
        return int(self.indicators[Code.LENGTH].expectation)

    def band(self, code: str, value: float) -> Band:
        return self.indicators[code].band(value, higher_is_better=BY_CODE[code].higher_is_better)


def _standard(
    kind: str, *, period_days: int, minutes: int, strong_minutes: int, developing_minutes: int
) -> Standard:
    shares: dict[str, Bands] = {
        Code.STARTS_ON_TIME: Bands(0.9, 0.85, 0.6, 3),
        Code.PUNCTUALITY: Bands(0.9, 0.85, 0.65, 3),
        Code.ROLES: Bands(1.0, 0.85, 0.5, 3),
        Code.SHARED_FACILITATION: Bands(0.5, 0.5, 0.8, 3),
        Code.AGENDA_AHEAD: Bands(0.9, 0.8, 0.5, 3),
        Code.INSTRUCTIONAL_FOCUS: Bands(0.7, 0.6, 0.4, 3),
        Code.TEACHER_VOICE: Bands(0.75, 0.6, 0.3, 3),
        Code.GOAL_MONITORING: Bands(0.5, 0.5, 0.25, 3),
        Code.FOLLOW_THROUGH: Bands(0.9, 0.8, 0.6, 3),
        Code.CLOSING_THE_LOOP: Bands(1.0, 0.85, 0.6, 2),
    }
    return Standard(
        team_kind=kind,
        indicators={
            Code.CADENCE: Bands(period_days, 0.9, 0.7, 3),
            Code.LENGTH: Bands(minutes, strong_minutes, developing_minutes, 2),
            **shares,
        },
    )


DEFAULT_STANDARDS: dict[str, Standard] = {
    TeamKind.ILT: _standard(
        TeamKind.ILT, period_days=14, minutes=90, strong_minutes=80, developing_minutes=60
    ),
    TeamKind.INSTRUCTIONAL: _standard(
        TeamKind.INSTRUCTIONAL, period_days=7, minutes=50, strong_minutes=45, developing_minutes=30
    ),
    TeamKind.ADMINISTRATIVE: _standard(
        TeamKind.ADMINISTRATIVE, period_days=7, minutes=60, strong_minutes=50, developing_minutes=35
    ),
    TeamKind.SIT: _standard(
        TeamKind.SIT, period_days=28, minutes=60, strong_minutes=50, developing_minutes=35
    ),
    TeamKind.DISTRICT: _standard(
        TeamKind.DISTRICT, period_days=14, minutes=90, strong_minutes=80, developing_minutes=60
    ),
    TeamKind.NETWORK: _standard(
        TeamKind.NETWORK, period_days=28, minutes=180, strong_minutes=150, developing_minutes=100
    ),
    TeamKind.COLLECTIVE: _standard(
        TeamKind.COLLECTIVE, period_days=28, minutes=180, strong_minutes=150, developing_minutes=100
    ),
}


@dataclass(frozen=True)
class Adjustment:
    """One district's figures for one indicator of one kind of team."""

    team_kind: str
    indicator: str
    bands: Bands


def adjusted(adjustments: Iterable[Adjustment]) -> dict[str, Standard]:
    """The default standards with a district's adjustments laid over them."""
    merged = {kind: dict(standard.indicators) for kind, standard in DEFAULT_STANDARDS.items()}
    for adjustment in adjustments:
        merged[adjustment.team_kind][adjustment.indicator] = adjustment.bands
    return {
        kind: replace(DEFAULT_STANDARDS[kind], indicators=indicators)
        for kind, indicators in merged.items()
    }
