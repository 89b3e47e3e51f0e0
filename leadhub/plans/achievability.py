"""The yearly history a goal's achievable check compares against.

A goal asks for a yearly change; what makes it believable is that the school, or schools
like it, have made a change that large before. From the measure's school values:

- **One value per school year**: the one with the latest ``period_start`` in that year
  (spring results over the fall benchmark), for the goal's student group ('' = all).
- **The past three years**: the changes *into* each of the three school years before the
  one ``as_of`` falls in, each between two consecutive years that both have a value (a
  goal written in fall 2025 looks at 2021–22 → 22–23, 22–23 → 23–24 and 23–24 → 24–25).
- **Improvement** is measured in the measure's better direction (lower absence is better).
- Values that rest on fewer students than the suppression minimum are left out: a
  difference of a hidden value would give it away.
- **Similar schools**: the other schools in the same state whose profile in the same
  school year as this school's most recent profile has the same locale and a share of
  low-income students within 10 points of this school's. A school without a profile has
  no similar schools.

Three queries, whatever the number of similar schools: the profile, the similar schools,
and every value of this school and those schools.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Subquery

from leadhub.lib.suppression import minimum_n
from leadhub.measures.models import Measure, MeasureValue
from leadhub.orgs.models import District, School, SchoolProfile
from leadhub.orgs.schoolyears import school_year_bounds, school_year_of
from leadhub.plans.smarte import YearlyHistory, improvement
from leadhub.students.models import StudentGroup

YEARS_BACK = 3
LOW_INCOME_WINDOW = Decimal("10")


def yearly_history(
    *,
    school: School,
    measure: Measure,
    student_group: StudentGroup | None,
    as_of: dt.date,
    similar: Sequence[int] | None = None,
) -> YearlyHistory:
    """``similar``: the similar schools when the caller already has them (a plan's goals
    share them), else they are looked up."""
    current = school_year_of(as_of)
    first_year = current - YEARS_BACK - 1  # the year the first change starts from
    if similar is None:
        similar = similar_school_ids(school)
    values = (
        MeasureValue.objects.filter(
            measure=measure,
            team__isnull=True,
            school_id__in=[school.pk, *similar],
            group_code=student_group.code if student_group is not None else "",
            period_start__gte=school_year_bounds(first_year)[0],
            period_start__lt=school_year_bounds(current)[0],
        )
        .order_by("period_start", "pk")
        .values_list("school_id", "school_year_id", "period_start", "value", "student_count")
    )
    small = minimum_n()
    yearly: dict[int, dict[int, float]] = defaultdict(dict)
    for school_id, year_id, period_start, value, students in values:
        if students is not None and students < small:
            continue
        # Ordered by period_start: the latest value of a year overwrites earlier ones.
        yearly[school_id][year_id or school_year_of(period_start)] = value
    own = _improvements(yearly.get(school.pk, {}), measure.direction)
    others = [
        best
        for school_id in similar
        if (best := _largest(_improvements(yearly.get(school_id, {}), measure.direction)))
        is not None
    ]
    return YearlyHistory(
        school_largest=_largest(own),
        school_changes=len(own),
        similar_largest=max(others) if others else None,
        similar_schools=len(others),
    )


def _improvements(by_year: dict[int, float], direction: str) -> list[float]:
    return [
        improvement(by_year[year] - by_year[year - 1], direction)
        for year in sorted(by_year)
        if year - 1 in by_year
    ]


def _largest(changes: Iterable[float]) -> float | None:
    return max(changes, default=None)


def similar_school_ids(school: School) -> list[int]:
    """The schools like this one (see the module docstring), by id."""
    profile = (
        SchoolProfile.objects.filter(school=school)
        .order_by("-school_year_id")
        .values("school_year_id", "locale", "pct_low_income")
        .first()
    )
    if profile is None:
        return []
    low_income = profile["pct_low_income"]
    return list(
        SchoolProfile.objects.filter(
            school_year_id=profile["school_year_id"],
            locale=profile["locale"],
            pct_low_income__gte=low_income - LOW_INCOME_WINDOW,
            pct_low_income__lte=low_income + LOW_INCOME_WINDOW,
            school__district__parent_state_id=Subquery(
                District.objects.filter(pk=school.district_id).values("parent_state_id")[:1]
            ),
        )
        .exclude(school_id=school.pk)
        .order_by("school_id")
        .values_list("school_id", flat=True)
    )
