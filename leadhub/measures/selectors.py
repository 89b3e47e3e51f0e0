"""Reads for the measures pages: the library, one series, group breakdowns, the series a
person can open. Data pages and comparisons are in :mod:`leadhub.measures.dashboards`.

Everything starts from :mod:`leadhub.measures.access`; figures from students go through
:mod:`leadhub.measures.figures` (the suppression helper) before they reach a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from leadhub.lib.suppression import Cell
from leadhub.measures.access import (
    Person,
    Series,
    SeriesKind,
    measure_values_visible_to,
    measures_visible_to,
    series_fits,
    series_kind_of,
)
from leadhub.measures.figures import (
    ALL_STUDENTS,
    ValueCell,
    count_cell,
    group_lines,
    value_cell,
    value_cells,
)
from leadhub.measures.models import Measure, MeasureAnnotation, MeasureValue
from leadhub.orgs.models import District, School
from leadhub.students.models import GroupCategory, StudentGroup
from leadhub.teams.models import Team

ALL_STUDENTS_LABEL = "All students"


# The library ---------------------------------------------------------------------------


def library(
    user: Person, *, level: str = "", source: str = "", search: str = "", archived: bool = False
) -> QuerySet[Measure]:
    measures = measures_visible_to(user).filter(archived=archived)
    if level:
        measures = measures.filter(level=level)
    if source:
        measures = measures.filter(source=source)
    for word in search.split()[:5]:
        measures = measures.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return measures.select_related("district", "school", "team", "assessment").order_by(
        "name", "pk"
    )


# One series ----------------------------------------------------------------------------


def series_values(measure: Measure, series: Series, group_code: str = "") -> list[MeasureValue]:
    return list(
        MeasureValue.objects.filter(
            measure=measure, scope_key=series.scope_key, group_code=group_code
        ).order_by("period_start")
    )


@dataclass(frozen=True)
class ValueRow:
    record: MeasureValue
    cell: ValueCell
    tested: Cell | None  # students behind the value, when it stands on students
    counted: Cell | None  # its numerator, when shown without giving a hidden value away


def race_codes() -> frozenset[str]:
    return frozenset(
        StudentGroup.objects.filter(category=GroupCategory.RACE_ETHNICITY).values_list(
            "code", flat=True
        )
    )


PeriodKey = tuple[int, str, dt.date]  # measure, place, period


def _period_key(record: MeasureValue) -> PeriodKey:
    return (record.measure_id, record.scope_key, record.period_start)


def sibling_cells(records: Iterable[MeasureValue], unit: str) -> dict[int, ValueCell]:
    """Each value's cell, suppressed beside the other groups of its own measure, place
    and period, exactly as those are shown side by side: a group's value never gives
    away one that is hidden where all the groups are shown together. One query."""
    records = list(records)
    cells = {r.pk: value_cell(r, unit) for r in records if r.student_count is None}
    student_based = [r for r in records if r.student_count is not None]
    if not student_based:
        return cells
    wanted = {_period_key(r) for r in student_based}
    siblings = MeasureValue.objects.filter(
        measure_id__in={key[0] for key in wanted},
        scope_key__in={key[1] for key in wanted},
        period_start__in={key[2] for key in wanted},
    )
    grid = {
        (_period_key(sibling), sibling.group_code): sibling
        for sibling in siblings
        if _period_key(sibling) in wanted
    }
    grid_cells = value_cells(grid, unit, group_lines(grid, race_codes()))
    cells.update({r.pk: grid_cells[(_period_key(r), r.group_code)] for r in student_based})
    return cells


def value_rows(measure: Measure, values: Iterable[MeasureValue]) -> list[ValueRow]:
    values = list(values)
    cells = sibling_cells(values, measure.unit)
    rows = []
    for record in values:
        cell = cells[record.pk]
        tested = (
            count_cell(record.student_count, record.student_count)
            if record.student_count is not None and not cell.suppressed
            else None
        )
        # The count at or above is as telling as the share: shown only where the share is.
        counted = (
            count_cell(record.numerator, record.student_count)
            if record.numerator is not None and cell.shown_value is not None
            else None
        )
        rows.append(ValueRow(record=record, cell=cell, tested=tested, counted=counted))
    return rows


def series_groups(measure: Measure, series: Series) -> list[StudentGroup]:
    """The student groups this series has values for, in the vocabulary's order."""
    codes = (
        MeasureValue.objects.filter(measure=measure, scope_key=series.scope_key)
        .exclude(group_code=ALL_STUDENTS)
        .values("group_code")
    )
    return list(StudentGroup.objects.filter(code__in=codes).order_by("sort_order", "label"))


def annotations_for(measure: Measure, series: Series) -> list[MeasureAnnotation]:
    return list(
        MeasureAnnotation.objects.filter(measure=measure, scope_key=series.scope_key)
        .select_related("created_by")
        .order_by("date", "pk")
    )


# Groups side by side ---------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    code: str
    label: str
    cell: ValueCell
    tested: Cell | None


@dataclass(frozen=True)
class GroupBreakdown:
    period_label: str
    period_start: dt.date
    rows: list[GroupRow]

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows if row.cell.suppressed)


def group_breakdown(
    measure: Measure, series: Series, period_start: dt.date | None = None
) -> GroupBreakdown | None:
    """Every group's value for one period (the latest by default), beside all students."""
    values = MeasureValue.objects.filter(measure=measure, scope_key=series.scope_key)
    if period_start is None:
        latest = values.filter(group_code=ALL_STUDENTS).order_by("-period_start").first()
        latest = latest or values.order_by("-period_start").first()
        if latest is None:
            return None
        period_start = latest.period_start
    records = list(
        values.filter(period_start=period_start)
        .select_related("student_group")
        .order_by("student_group__sort_order", "group_code")
    )
    if len(records) < 2:
        return None
    # All students first, then the groups in the vocabulary's order.
    records.sort(key=lambda record: record.group_code != ALL_STUDENTS)
    rows = value_rows(measure, records)
    first = records[0]
    return GroupBreakdown(
        period_label=first.period_label or f"{period_start.day} {period_start:%B %Y}",
        period_start=period_start,
        rows=[
            GroupRow(
                code=row.record.group_code,
                label=row.record.student_group.label
                if row.record.student_group
                else ALL_STUDENTS_LABEL,
                cell=row.cell,
                tested=row.tested,
            )
            for row in rows
        ],
    )


# Which series a person can open ------------------------------------------------------------


def series_readable(user: Person, measure: Measure) -> list[Series]:
    """The places this measure has values that the person reads, by name."""
    keys = (
        measure_values_visible_to(user)
        .filter(measure=measure)
        .values_list("scope_key", flat=True)
        .distinct()
    )
    return sorted(
        (series for series in series_many(keys) if series_fits(measure, series)),
        key=lambda series: series.name,
    )


def series_many(scope_keys: Iterable[str]) -> list[Series]:
    """The series of many scope keys ("school:12"), a query per kind of place."""
    wanted: dict[str, set[int]] = {}
    for key in scope_keys:
        kind, _, pk = key.partition(":")
        wanted.setdefault(kind, set()).add(int(pk))
    schools = School.objects.filter(pk__in=wanted.get(SeriesKind.SCHOOL, ()))
    teams = Team.objects.filter(
        pk__in=wanted.get(SeriesKind.TEAM, ()), district__isnull=False
    ).select_related("district", "school")
    districts = District.objects.filter(pk__in=wanted.get(SeriesKind.DISTRICT, ()))
    found = [
        Series(SeriesKind.SCHOOL, school.district, school=school)
        for school in schools.select_related("district")
    ]
    found += [Series(SeriesKind.TEAM, team.district, team=team) for team in teams if team.district]
    found += [Series(SeriesKind.DISTRICT, district) for district in districts]
    return found


def measure_place_words(measure: Measure) -> str:
    """Where a measure belongs, in a few words for the library."""
    if measure.team is not None:
        return measure.team.name
    if measure.school is not None:
        return measure.school.name
    if measure.district is not None:
        kind = series_kind_of(measure)
        return measure.district.name + ("" if kind == SeriesKind.DISTRICT else ", every school")
    return "State-wide"
