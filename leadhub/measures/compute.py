"""Computed measures: the share of tested students at or above a performance level.

For each computed measure, two aggregate queries over the district's assessment results
give every value at once, grouped by school, school year and window: one for all
students, one joined to each student's group memberships of the same school year. The
values are upserted on their natural key in batches; values the results no longer
support (a group that emptied after a corrected import) are removed. No student row is
ever read into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from leadhub.assessments.models import WINDOW_ORDER, AssessmentResult, Window
from leadhub.measures.models import Measure, MeasureSource, MeasureValue, value_scope_key
from leadhub.orgs.models import SchoolYear
from leadhub.students.models import StudentGroup

Report = Callable[[int, int], None]

BATCH_SIZE = 2_000
UPDATED_FIELDS = [
    "period_label",
    "school_year",
    "window",
    "student_group",
    "value",
    "numerator",
    "denominator",
    "student_count",
    "source",
    "updated_at",
]
# Where in the school year each window's value is charted, so windows sort in order and
# sit under the months they are given in: fall in late August, winter in late
# November, spring in late February, the annual state test in late May.
WINDOW_OFFSET_DAYS = 60
DAYS_BETWEEN_WINDOWS = 90


def window_period_start(year_start: dt.date, window: str) -> dt.date:
    index = WINDOW_ORDER.index(Window(window))
    return year_start + dt.timedelta(days=WINDOW_OFFSET_DAYS + DAYS_BETWEEN_WINDOWS * index)


def window_period_label(window: str, school_year: SchoolYear) -> str:
    return f"{Window(window).label} {school_year.label}"


def computed_measures(
    district_id: int, measure_ids: Iterable[int] | None = None
) -> QuerySet[Measure]:
    """The district's computed measures and the state-wide ones, ready to compute."""
    measures = (
        Measure.objects.filter(
            Q(district_id=district_id) | Q(district__isnull=True),
            source=MeasureSource.COMPUTED,
            archived=False,
            assessment__isnull=False,
            at_or_above_level__isnull=False,
        )
        .select_related("assessment")
        .order_by("pk")
    )
    if measure_ids is not None:
        measures = measures.filter(pk__in=list(measure_ids))
    return measures


def computed_values_refresh(
    *,
    district_id: int,
    school_year: int | None = None,
    measure_ids: Iterable[int] | None = None,
    report: Report | None = None,
) -> int:
    """Work out the district's computed values again (one school year, or all of them).

    Returns how many values were written. Called after an assessment import and when a
    district leader asks for it.
    """
    measures = list(computed_measures(district_id, measure_ids))
    groups = dict(StudentGroup.objects.values_list("pk", "code"))
    years = {year.pk: year for year in SchoolYear.objects.all()}
    written = 0
    for done, measure in enumerate(measures):
        written += _refresh_measure(
            measure, district_id=district_id, school_year=school_year, groups=groups, years=years
        )
        if report is not None:
            report(done + 1, len(measures))
    return written


def _results(measure: Measure, district_id: int, school_year: int | None) -> QuerySet[Any]:
    results = AssessmentResult.objects.filter(
        district_id=district_id,
        assessment=measure.assessment,
        performance_level__isnull=False,
    )
    if measure.subject:
        results = results.filter(subject=measure.subject)
    if measure.school_id is not None:
        results = results.filter(school_id=measure.school_id)
    if school_year is not None:
        results = results.filter(school_year_id=school_year)
    return results


def _counted(results: QuerySet[Any], level: int, **group: Any) -> QuerySet[Any]:
    return (
        results.values("school_id", "school_year_id", "window", **group)
        .annotate(tested=Count("pk"), meeting=Count("pk", filter=Q(performance_level__gte=level)))
        .order_by()
    )


def _refresh_measure(
    measure: Measure,
    *,
    district_id: int,
    school_year: int | None,
    groups: dict[int, str],
    years: dict[int, SchoolYear],
) -> int:
    level = measure.at_or_above_level or 0  # computed_measures() keeps those with a level
    results = _results(measure, district_id, school_year)
    everyone = _counted(results, level)
    # A result counts for each group its student was in during the result's school year.
    by_group = _counted(
        results.filter(student__group_years__school_year_id=F("school_year_id")),
        level,
        group_id=F("student__group_years__group_id"),
    )
    started = timezone.now()
    values = [
        _value(measure, row, district_id=district_id, groups=groups, years=years)
        for rows in (everyone, by_group)
        for row in rows
    ]
    with transaction.atomic():
        MeasureValue.objects.bulk_create(
            values,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["measure", "scope_key", "group_code", "period_start"],
            update_fields=UPDATED_FIELDS,
        )
        stale = MeasureValue.objects.filter(
            measure=measure,
            district_id=district_id,
            source=MeasureSource.COMPUTED,
            updated_at__lt=started,
        )
        if measure.school_id is not None:
            stale = stale.filter(school_id=measure.school_id)
        if school_year is not None:
            stale = stale.filter(school_year_id=school_year)
        stale.delete()
    return len(values)


def _value(
    measure: Measure,
    row: dict[str, Any],
    *,
    district_id: int,
    groups: dict[int, str],
    years: dict[int, SchoolYear],
) -> MeasureValue:
    year = years[row["school_year_id"]]
    group_id = row.get("group_id")
    tested, meeting = row["tested"], row["meeting"]
    # bulk_create skips save(), which would fill in the natural key's two derived columns.
    return MeasureValue(
        measure=measure,
        district_id=district_id,
        school_id=row["school_id"],
        scope_key=value_scope_key(
            school_id=row["school_id"], team_id=None, district_id=district_id
        ),
        student_group_id=group_id,
        group_code=groups[group_id] if group_id else "",
        period_start=window_period_start(year.start_date, row["window"]),
        period_label=window_period_label(row["window"], year),
        school_year=year,
        window=row["window"],
        value=round(100 * meeting / tested, 1),
        numerator=meeting,
        denominator=tested,
        student_count=tested,
        source=MeasureSource.COMPUTED,
    )
