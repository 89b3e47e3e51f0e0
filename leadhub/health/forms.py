"""Forms for a district's health standards: which kind of team, and each indicator's figures.

People type figures in the unit they think in (shares as whole percentages, lengths in
minutes, the meeting period in days); the forms turn them into the stored units of
:mod:`leadhub.health.standards` (shares 0–1) and back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from leadhub.health.indicators import INDICATORS, Code, Indicator, Unit
from leadhub.health.models import IndicatorStandard
from leadhub.health.standards import DEFAULT_STANDARDS, Bands
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.models import District
from leadhub.teams.models import SCHOOL_KINDS, TeamKind

# A district's standards reach its schools' teams and its own district teams; hub teams
# (networks, collectives) belong to no district.
DISTRICT_KINDS: tuple[str, ...] = tuple(
    kind for kind in TeamKind.values if kind in SCHOOL_KINDS or kind == TeamKind.DISTRICT
)
KIND_LABELS: dict[str, str] = dict(TeamKind.choices)

PERIOD_DAYS = (7, 56)
MEETING_MINUTES = (5, 480)
MIN_DATA_MAX = 99

MIN_DATA_UNITS: dict[str, str] = {
    Code.CADENCE: "meeting periods",
    Code.FOLLOW_THROUGH: "action items due",
    Code.CLOSING_THE_LOOP: "decisions to report back",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=[(kind, KIND_LABELS[kind]) for kind in DISTRICT_KINDS],
        initial=TeamKind.ILT,
    )

    @classmethod
    def chosen(cls, data: Mapping[str, Any]) -> str:
        """The kind asked for, or the ILT when none (or an unknown one) was asked for."""
        form = cls({"kind": data.get("kind") or TeamKind.ILT})
        return form.cleaned_data["kind"] if form.is_valid() else TeamKind.ILT


# -- units ---------------------------------------------------------------------------------


def _is_share_edge(indicator: Indicator) -> bool:
    """Whether the band edges are shares (every indicator but meeting length)."""
    return indicator.unit == Unit.SHARE


def _is_share_expectation(indicator: Indicator) -> bool:
    return indicator.unit == Unit.SHARE and indicator.code != Code.CADENCE


def shown(indicator: Indicator, bands: Bands) -> dict[str, int]:
    """Stored figures as a person types them."""

    def percent(value: float, share: bool) -> int:
        return round(value * 100) if share else round(value)

    edges_share = _is_share_edge(indicator)
    return {
        "expectation": percent(bands.expectation, _is_share_expectation(indicator)),
        "strong": percent(bands.strong, edges_share),
        "developing": percent(bands.developing, edges_share),
        "min_data": bands.min_data,
    }


def stored(indicator: Indicator, figures: Mapping[str, int]) -> Bands:
    """Typed figures in the stored units."""

    def value(typed: int, share: bool) -> float:
        return typed / 100 if share else float(typed)

    edges_share = _is_share_edge(indicator)
    return Bands(
        expectation=value(figures["expectation"], _is_share_expectation(indicator)),
        strong=value(figures["strong"], edges_share),
        developing=value(figures["developing"], edges_share),
        min_data=int(figures["min_data"]),
    )


def unit_suffix(share: bool, indicator: Indicator) -> str:
    if share:
        return "%"
    return "minutes" if indicator.unit == Unit.MINUTES else "days"


def formatted(indicator: Indicator, bands: Bands) -> dict[str, str]:
    """Stored figures as a person reads them, with their units."""
    typed = shown(indicator, bands)
    edges_share = _is_share_edge(indicator)

    def text(number: int, share: bool) -> str:
        return f"{number}%" if share else f"{number} {unit_suffix(False, indicator)}"

    return {
        "expectation": text(typed["expectation"], _is_share_expectation(indicator)),
        "strong": text(typed["strong"], edges_share),
        "developing": text(typed["developing"], edges_share),
        "min_data": f"{typed['min_data']} {MIN_DATA_UNITS.get(indicator.code, 'held meetings')}",
    }


# -- one indicator -------------------------------------------------------------------------


def _bounded(field: forms.Field, low: int, high: int, message: str) -> None:
    """Limit an integer field to ``low``–``high``, with one specific message for any slip."""
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, MinValueValidator | MaxValueValidator)
    ]
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update({"min": low, "max": high, "step": 1})
    field.error_messages.update(
        {"min_value": message, "max_value": message, "invalid": message, "required": message}
    )


class IndicatorStandardForm(VersionedFormMixin, forms.Form):
    """One indicator's figures for one kind of team in one district. The instance is the
    district's saved adjustment, or an unsaved one when the indicator follows the default;
    the form starts from the figures in force either way."""

    expectation = forms.IntegerField()
    strong = forms.IntegerField()
    developing = forms.IntegerField()
    min_data = forms.IntegerField()

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None,
        *,
        indicator: Indicator,
        default: Bands,
        saved: IndicatorStandard | None,
        district: District,
        team_kind: str,
    ) -> None:
        self.indicator = indicator
        self.default = default
        self.saved = saved
        self.instance = saved or IndicatorStandard(
            district=district, team_kind=team_kind, indicator=indicator.code
        )
        in_force = saved.adjustment.bands if saved is not None else default
        super().__init__(data, prefix=indicator.code, initial=shown(indicator, in_force))
        self._label_fields()

    @property
    def adjusted(self) -> bool:
        return self.saved is not None

    @property
    def default_figures(self) -> dict[str, str]:
        return formatted(self.indicator, self.default)

    @property
    def direction(self) -> str:
        return "Higher is better" if self.indicator.higher_is_better else "Lower is better"

    def _label_fields(self) -> None:
        indicator = self.indicator
        name = indicator.name
        edges_share = _is_share_edge(indicator)
        comparison = "at or above" if indicator.higher_is_better else "at or below"
        edge_unit = "% of periods met" if indicator.code == Code.CADENCE else None
        edge_unit = edge_unit or ("%" if edges_share else "minutes")
        expectation = self.fields["expectation"]
        if indicator.code == Code.CADENCE:
            low, high = PERIOD_DAYS
            expectation.label = "Meeting period (days)"
            message = f"Enter a meeting period from {low} to {high} days."
        elif indicator.unit == Unit.MINUTES:
            low, high = MEETING_MINUTES
            expectation.label = "Standard length (minutes)"
            message = f"Enter a length from {low} to {high} minutes."
        else:
            low, high = 0, 100
            expectation.label = f"{indicator.expectation_label} (%)"
            message = f"Enter the expected share of {name} as a percentage from 0 to 100."
        _bounded(expectation, low, high, message)
        edge_low, edge_high = (0, 100) if edges_share else MEETING_MINUTES
        what = "a percentage from 0 to 100" if edges_share else f"{edge_low} to {edge_high} minutes"
        for key, band in (("strong", "Strong"), ("developing", "Developing")):
            field = self.fields[key]
            field.label = f"{band} {comparison} ({edge_unit})"
            _bounded(field, edge_low, edge_high, f"Enter the {band.lower()} edge as {what}.")
        minimum = self.fields["min_data"]
        unit = MIN_DATA_UNITS.get(indicator.code, "held meetings")
        minimum.label = f"Minimum data ({unit})"
        _bounded(minimum, 1, MIN_DATA_MAX, f"Enter at least 1 and at most {MIN_DATA_MAX} {unit}.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        strong, developing = cleaned.get("strong"), cleaned.get("developing")
        if strong is None or developing is None:
            return cleaned
        unit = "%" if _is_share_edge(self.indicator) else " minutes"
        if self.indicator.higher_is_better and strong < developing:
            self.add_error(
                "developing",
                f"Higher is better here, so the developing edge must be at or below the "
                f"strong edge ({strong}{unit}).",
            )
        elif not self.indicator.higher_is_better and strong > developing:
            self.add_error(
                "developing",
                f"Lower is better here, so the developing edge must be at or above the "
                f"strong edge ({strong}{unit}).",
            )
        return cleaned

    @property
    def bands(self) -> Bands:
        return stored(self.indicator, self.cleaned_data)


# -- the whole standard --------------------------------------------------------------------


@dataclass
class StandardForms:
    """The twelve indicator forms of one kind of team, validated and saved together."""

    team_kind: str
    forms: list[IndicatorStandardForm]

    def __iter__(self) -> Iterator[IndicatorStandardForm]:
        return iter(self.forms)

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])  # every form shows its errors

    @property
    def error_count(self) -> int:
        return sum(len(form.errors) for form in self.forms)

    def by_code(self, code: str) -> IndicatorStandardForm:
        return next(form for form in self.forms if form.indicator.code == code)


def saved_standards(district: District, team_kind: str) -> dict[str, IndicatorStandard]:
    rows = IndicatorStandard.objects.filter(district=district, team_kind=team_kind)
    return {row.indicator: row for row in rows}


def standard_forms(
    district: District,
    team_kind: str,
    data: QueryDict | Mapping[str, Any] | None = None,
    *,
    saved: Mapping[str, IndicatorStandard] | None = None,
) -> StandardForms:
    rows = saved if saved is not None else saved_standards(district, team_kind)
    default = DEFAULT_STANDARDS[team_kind]
    return StandardForms(
        team_kind=team_kind,
        forms=[
            IndicatorStandardForm(
                data,
                indicator=indicator,
                default=default[indicator.code],
                saved=rows.get(indicator.code),
                district=district,
                team_kind=team_kind,
            )
            for indicator in INDICATORS
        ],
    )
