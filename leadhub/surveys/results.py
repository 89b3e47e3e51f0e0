"""Survey results: by construct and by item, and their trend across administrations.

**When results are shown.** Only once the window has closed (the end date has passed or
the survey was closed early) and only when at least :data:`MINIMUM_ANSWERS` people
responded. Before that nothing is computed at all, so no page can show a live figure
that moves when one more person answers. A response can only arrive while the window
is open, so released results never change afterwards.

**How they are figured.** Each answer is read on the 1–5 agreement scale, turned around
for a reverse-scored item (5 becomes 1). A construct's score is the average of its
answers to the instrument's own items, and its favourable share the part of those
answers that agree or strongly agree; a school's added items are reported one by one,
under their theme, but kept out of the theme's score, so scores stay comparable from one
administration to the next.

**Small numbers.** Survey answers come from staff, not students, so they have their
own threshold (:data:`MINIMUM_ANSWERS`), not the student minimum; cells are still the
suppression helper's :class:`~leadhub.lib.suppression.Cell` values, with ``n`` the
number of answers (people, for a construct), so templates render them like every other
figure and a hidden one carries ``data-suppressed``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.template.defaultfilters import date as format_date

from leadhub.lib.charts import Chart, describe_change, line_chart
from leadhub.lib.suppression import Cell, Figure, Kind, Reason, format_figure
from leadhub.orgs.models import School
from leadhub.surveys.models import (
    FAVOURABLE_FROM,
    SCALE_TOP,
    Administration,
    AdministrationStatus,
    Answer,
    Construct,
    Instrument,
    Item,
    Phase,
)

MINIMUM_ANSWERS = 5
TREND_MINIMUM_POINTS = 2


@dataclass(frozen=True)
class SurveyCell(Cell):
    """A survey figure: hidden below :data:`MINIMUM_ANSWERS` answers, explained in
    terms of answers rather than students."""

    @property
    def explanation(self) -> str:
        if self.reason is Reason.SMALL:
            return (
                f"Hidden: fewer than {MINIMUM_ANSWERS} answers, so nobody's answer "
                "could be picked out."
            )
        if self.coded:
            return "Shown as a range: the exact share would give away how people answered."
        return ""


def survey_cell(figure: Figure) -> SurveyCell:
    if figure.n is None or figure.n < MINIMUM_ANSWERS:
        return SurveyCell(
            display=f"Fewer than {MINIMUM_ANSWERS} answers",
            value=None,
            n=None,
            kind=figure.kind,
            reason=Reason.SMALL,
        )
    display, coded = format_figure(figure, decimals=1)
    return SurveyCell(
        display=display,
        value=None if coded else figure.value,
        n=figure.n,
        kind=figure.kind,
        coded=coded,
    )


@dataclass(frozen=True)
class Score:
    """The average (1–5) and favourable share of a set of answers."""

    mean: SurveyCell
    favourable: SurveyCell
    answers: int

    @property
    def suppressed(self) -> bool:
        return self.mean.suppressed


def score(*, total: int, favourable: int, answers: int, people: int) -> Score:
    """``people`` is how many stand behind the figures: the threshold counts them."""
    return Score(
        mean=survey_cell(
            Figure(value=total / answers if answers else None, n=people, kind=Kind.MEAN)
        ),
        favourable=survey_cell(
            Figure(value=favourable / answers if answers else None, n=people, kind=Kind.SHARE)
        ),
        answers=answers,
    )


# Release -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    shown: bool
    reason: str = ""
    short: str = ""  # the reason in a few words, for a table cell


def release_for(administration: Administration, *, responses: int, now: dt.datetime) -> Release:
    """Whether the results may be shown now and, if not, why not yet, in plain words."""
    phase = administration.phase(now)
    if phase == Phase.DRAFT:
        return Release(
            False, "Results appear after the survey has been sent and has closed.", "Not sent"
        )
    if phase != Phase.CLOSED:
        last_day = format_date(administration.last_day, "j F Y")
        return Release(
            False,
            f"Results appear once the survey closes after {last_day}, if at least "
            f"{MINIMUM_ANSWERS} people have answered. Until then nobody sees any answers, "
            "so no answer can be matched to the moment someone sent it.",
            "Still open: results when it closes",
        )
    if responses < MINIMUM_ANSWERS:
        people = "Nobody" if responses == 0 else f"Only {responses}"
        return Release(
            False,
            f"{people} answered, and results need at least {MINIMUM_ANSWERS}: with fewer, "
            "answers could be traced to the people who gave them. They stay hidden for good.",
            f"Fewer than {MINIMUM_ANSWERS} answered: results stay hidden",
        )
    return Release(True)


# Results of one administration ---------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    item: Item
    score: Score


@dataclass(frozen=True)
class ConstructResult:
    construct: Construct
    score: Score
    items: list[ItemResult]
    own_items: list[ItemResult]


@dataclass(frozen=True)
class Results:
    responses: int
    constructs: list[ConstructResult]
    other_items: list[ItemResult]  # the school's items outside every theme


def _turned_value() -> Case:
    """An answer on the favourable-is-high scale: reverse-scored answers turned around."""
    return Case(
        When(item__reverse_scored=True, then=Value(SCALE_TOP + 1) - F("value")),
        default=F("value"),
        output_field=IntegerField(),
    )


def _favourable() -> Q:
    turned_from = SCALE_TOP + 1 - FAVOURABLE_FROM
    return Q(item__reverse_scored=False, value__gte=FAVOURABLE_FROM) | Q(
        item__reverse_scored=True, value__lte=turned_from
    )


def _answered(administrations: Iterable[int]) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__administration_id__in=list(administrations), value__isnull=False
    )


def administration_results(
    administration: Administration, *, items: Sequence[Item], responses: int
) -> Results:
    """The results of a released administration (check :func:`release_for` first).

    Two grouped queries: one by item, one by construct."""
    by_item = {
        row["item_id"]: row
        for row in _answered([administration.pk])
        .values("item_id")
        .annotate(
            answers=Count("pk"), total=Sum(_turned_value()), fav=Count("pk", filter=_favourable())
        )
    }
    by_construct = _construct_rows([administration.pk], administration.instrument_id)

    def item_result(item: Item) -> ItemResult:
        row: Mapping[str, Any] = by_item.get(item.pk, {})
        answers = row.get("answers", 0)
        return ItemResult(
            item=item,
            score=score(
                total=row.get("total") or 0,
                favourable=row.get("fav", 0),
                answers=answers,
                people=answers,
            ),
        )

    constructs: dict[int, ConstructResult] = {}
    other: list[ItemResult] = []
    for construct in Construct.objects.filter(instrument_id=administration.instrument_id):
        row = by_construct.get((administration.pk, construct.pk), {})
        constructs[construct.pk] = ConstructResult(
            construct=construct,
            score=_construct_score(row),
            items=[],
            own_items=[],
        )
    for item in items:
        result = item_result(item)
        if item.construct_id is None or item.construct_id not in constructs:
            other.append(result)
        elif item.administration_id is None:
            constructs[item.construct_id].items.append(result)
        else:
            constructs[item.construct_id].own_items.append(result)
    return Results(responses=responses, constructs=list(constructs.values()), other_items=other)


def _construct_rows(
    administration_ids: Sequence[int], instrument_id: int
) -> dict[tuple[int, int], Mapping[str, Any]]:
    """(administration id, construct id) → answers, people, total and favourable, from
    the instrument's own items only."""
    rows = (
        _answered(administration_ids)
        .filter(item__instrument_id=instrument_id)
        .values("response__administration_id", "item__construct_id")
        .annotate(
            answers=Count("pk"),
            people=Count("response_id", distinct=True),
            total=Sum(_turned_value()),
            fav=Count("pk", filter=_favourable()),
        )
    )
    return {(row["response__administration_id"], row["item__construct_id"]): row for row in rows}


def _construct_score(row: Mapping[str, Any]) -> Score:
    return score(
        total=row.get("total") or 0,
        favourable=row.get("fav", 0),
        answers=row.get("answers", 0),
        people=row.get("people", 0),
    )


# Trends across administrations ----------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    administration: Administration
    invited: int
    responses: int
    release: Release
    scores: list[Score]  # one per construct, in the instrument's order; empty until released


@dataclass(frozen=True)
class Trends:
    instrument: Instrument
    constructs: list[Construct]
    rows: list[TrendRow]
    charts: list[Chart]

    @property
    def released_count(self) -> int:
        return sum(1 for row in self.rows if row.release.shown)


def school_trends(school: School, instrument: Instrument, *, now: dt.datetime) -> Trends:
    """Every sent administration of ``instrument`` at ``school``, oldest first, with the
    construct scores of those released, and one chart per construct. A closed one is read
    from its sealed totals, like every released result, so nothing stored after it closed
    can release it or move its scores."""
    # sealed builds on this module's figures, so it is imported when needed.
    from leadhub.surveys.sealed import sealed_construct_scores, sealed_figures

    administrations = list(
        Administration.objects.filter(school=school, instrument=instrument)
        .exclude(status=AdministrationStatus.DRAFT)
        .select_related("district")
        .annotate(
            invited_count=Count("invitations", distinct=True),
            response_count=Count("responses", distinct=True),
        )
        .order_by("closes_at", "pk")
    )
    constructs = list(Construct.objects.filter(instrument=instrument))
    rows = []
    for administration in administrations:
        sealed = sealed_figures(administration, now=now)
        responses = sealed.responses if sealed is not None else administration.response_count
        release = release_for(administration, responses=responses, now=now)
        rows.append(
            TrendRow(
                administration=administration,
                invited=administration.invited_count,
                responses=responses,
                release=release,
                scores=sealed_construct_scores(sealed, constructs)
                if release.shown and sealed is not None
                else [],
            )
        )
    return Trends(
        instrument=instrument, constructs=constructs, rows=rows, charts=_charts(constructs, rows)
    )


def trend_labels(rows: Sequence[TrendRow]) -> dict[int, str]:
    """Administration id → its label on a trend: the month it closed ("March 2026"), or
    the day when two closed in the same month."""
    months = {
        row.administration.pk: format_date(row.administration.last_day, "F Y") for row in rows
    }
    if len(set(months.values())) == len(months):
        return months
    return {
        row.administration.pk: format_date(row.administration.last_day, "j F Y") for row in rows
    }


def _charts(constructs: Sequence[Construct], rows: Sequence[TrendRow]) -> list[Chart]:
    labels = trend_labels(rows)
    points: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for row in rows:
        for construct, construct_score in zip(constructs, row.scores, strict=False):
            value = construct_score.mean.value
            if value is not None:
                points[construct.pk].append((labels[row.administration.pk], round(value, 1)))
    charts = []
    for construct in constructs:
        series = points.get(construct.pk, [])
        if len(series) < TREND_MINIMUM_POINTS:
            continue
        charts.append(
            line_chart(
                title=construct.name,
                description=describe_change(f"The average for {construct.name.lower()}", series),
                points=series,
                x_title="Survey closed",
                y_title="Average (1 to 5)",
                y_domain=(1, 5),
            )
        )
    return charts
