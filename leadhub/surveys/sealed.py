"""Released results that cannot move: an administration's totals, sealed once it closes.

:mod:`leadhub.surveys.results` computes results from the answers, which is safe as long as
no answer is ever stored after the window closes (:func:`~leadhub.surveys.services.
response_submit` refuses them). Team self-assessments are small, so they do not rely on
that alone: the first time a closed administration is read, its totals per item and per
construct, and its number of responses, are written to a :class:`SealedFigures` row, and
its release and results are read from there ever after. A response stored afterwards, by
whatever path, changes neither whether the results are shown nor what they say.

Sealing keeps the engine's unlinkability: it stores totals only, all of them at once,
and nothing about any response (no key, no order, no time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from django.db import IntegrityError, transaction

from leadhub.surveys.models import (
    FAVOURABLE_FROM,
    SCALE_TOP,
    Administration,
    Answer,
    Construct,
    Item,
    Phase,
    Response,
    SealedFigures,
)
from leadhub.surveys.results import (
    ConstructResult,
    ItemResult,
    Release,
    Results,
    Score,
    release_for,
    score,
)

ItemTotals = list[int]  # answers, total, favourable
ConstructTotals = list[int]  # answers, people, total, favourable


def _add(totals: list[int], more: Sequence[int]) -> None:
    for index, count in enumerate(more):
        totals[index] += count


def _totals(administration: Administration) -> dict[str, dict[str, list[int]]]:
    items: dict[str, ItemTotals] = defaultdict(lambda: [0, 0, 0])
    constructs: dict[str, ConstructTotals] = defaultdict(lambda: [0, 0, 0, 0])
    people: dict[str, set[object]] = defaultdict(set)
    answers = Answer.objects.filter(
        response__administration=administration, value__isnull=False
    ).values_list(
        "response_id",
        "item_id",
        "item__construct_id",
        "item__instrument_id",
        "item__reverse_scored",
        "value",
    )
    for response_id, item_id, construct_id, instrument_id, reverse_scored, value in answers:
        chosen = cast(int, value)  # skipped statements are filtered out above
        turned = SCALE_TOP + 1 - chosen if reverse_scored else chosen
        favourable = int(turned >= FAVOURABLE_FROM)
        _add(items[str(item_id)], (1, turned, favourable))
        # A construct's score counts the instrument's own items only (as in results).
        if construct_id is not None and instrument_id is not None:
            people[str(construct_id)].add(response_id)
            _add(constructs[str(construct_id)], (1, 0, turned, favourable))
    for key, responders in people.items():
        constructs[key][1] = len(responders)
    return {"items": dict(items), "constructs": dict(constructs)}


def sealed_figures(administration: Administration, *, now: dt.datetime) -> SealedFigures | None:
    """The administration's sealed totals, sealing them now if it has closed and they are
    not yet; None while it is a draft or still open."""
    if administration.phase(now) != Phase.CLOSED:
        return None
    existing = SealedFigures.objects.filter(administration=administration).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SealedFigures.objects.create(
                administration=administration,
                responses=Response.objects.filter(administration=administration).count(),
                figures=_totals(administration),
            )
    except IntegrityError:  # sealed by a concurrent reader a moment ago
        return SealedFigures.objects.get(administration=administration)


def sealed_release(
    administration: Administration, sealed: SealedFigures | None, *, now: dt.datetime
) -> Release:
    """Whether the results may be shown, counting the sealed responses once closed."""
    return release_for(administration, responses=sealed.responses if sealed else 0, now=now)


def _score(totals: Sequence[int] | None, *, construct: bool) -> Score:
    """Item totals are (answers, total, favourable); construct totals add people second."""
    if not totals:
        return score(total=0, favourable=0, answers=0, people=0)
    if not construct:
        answers, total, favourable = totals
        return score(total=total, favourable=favourable, answers=answers, people=answers)
    answers, people, total, favourable = totals
    return score(total=total, favourable=favourable, answers=answers, people=people)


def _results(
    responses: int,
    figures: Mapping[str, Mapping[str, Sequence[int]]],
    *,
    constructs: Sequence[Construct],
    items: Sequence[Item],
) -> Results:
    by_item, by_construct = figures.get("items", {}), figures.get("constructs", {})
    results: dict[int, ConstructResult] = {
        construct.pk: ConstructResult(
            construct=construct,
            score=_score(by_construct.get(str(construct.pk)), construct=True),
            items=[],
            own_items=[],
        )
        for construct in constructs
    }
    other: list[ItemResult] = []
    for item in items:
        result = ItemResult(item=item, score=_score(by_item.get(str(item.pk)), construct=False))
        if item.construct_id is None or item.construct_id not in results:
            other.append(result)
        elif item.administration_id is None:
            results[item.construct_id].items.append(result)
        else:
            results[item.construct_id].own_items.append(result)
    return Results(responses=responses, constructs=list(results.values()), other_items=other)


def sealed_results(sealed: SealedFigures, *, items: Sequence[Item]) -> Results:
    """The results of a released administration, from its sealed totals."""
    constructs = list(Construct.objects.filter(instrument_id=sealed.administration.instrument_id))
    return _results(sealed.responses, sealed.figures, constructs=constructs, items=items)


def sealed_construct_scores(sealed: SealedFigures, constructs: Sequence[Construct]) -> list[Score]:
    """One score per construct, in the order given, from sealed totals (a trend's row)."""
    by_construct = sealed.figures.get("constructs", {})
    return [_score(by_construct.get(str(c.pk)), construct=True) for c in constructs]


def combined_results(
    sealed: Iterable[SealedFigures], *, constructs: Sequence[Construct], items: Sequence[Item]
) -> Results:
    """Sealed administrations of one instrument added together, as one result (``items``:
    the instrument's own)."""
    responses = 0
    summed: dict[str, dict[str, list[int]]] = {"items": {}, "constructs": {}}
    for figures in sealed:
        responses += figures.responses
        for part, rows in summed.items():
            for key, totals in figures.figures.get(part, {}).items():
                rows[key] = [
                    a + b for a, b in zip(rows.get(key, [0] * len(totals)), totals, strict=True)
                ]
    return _results(responses, summed, constructs=constructs, items=items)
