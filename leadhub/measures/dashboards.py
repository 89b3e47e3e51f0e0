"""Reads for the data pages: a school's or a team's measures at a glance, and schools
compared on one measure.

A data page answers "what needs attention first": each measure's latest value, the
change since the one before, a small chart read by the series' own rule set, and its
signals, with worse news first. A comparison puts schools side by side on one measure,
period and student group, with a total where the figures allow one; small groups are
hidden, and so is a second school wherever the total would give a hidden one away.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from leadhub.lib.charts import Chart, bar_chart, format_value
from leadhub.lib.suppression import Cell, Kind
from leadhub.measures.access import (
    Person,
    Series,
    SeriesKind,
    measure_values_visible_to,
    measures_visible_to,
    value_districts_led_or_served,
    value_hubs_for,
)
from leadhub.measures.charting import RULES_WORDS, Y_TITLES, Reading, series_reading
from leadhub.measures.figures import (
    ValueCell,
    count_cell,
    group_lines,
    unit_suffix,
    value_cells,
)
from leadhub.measures.models import (
    ChartSetting,
    Direction,
    Measure,
    MeasureAnnotation,
    MeasureLevel,
    MeasureSource,
    MeasureValue,
    RuleSet,
    Unit,
)
from leadhub.measures.selectors import (
    ALL_STUDENTS,
    ALL_STUDENTS_LABEL,
    GroupBreakdown,
    ValueRow,
    group_breakdown,
    race_codes,
    value_rows,
)
from leadhub.orgs.models import District, Hub, HubServiceArea, School
from leadhub.orgs.scope import org_scope_for
from leadhub.students.models import StudentGroup
from leadhub.teams.access import team_roles_for, teams_visible_to
from leadhub.teams.models import Team

SCHOOL_LEVELS = (MeasureLevel.SCHOOL, MeasureLevel.CLASSROOM, MeasureLevel.STUDENT)
Sort = Literal["name", "high", "low"]
SORTS: dict[str, str] = {
    "name": "School name",
    "high": "Highest first",
    "low": "Lowest first",
}


# One measure at a glance -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    words: str
    favourable: bool | None  # None when unchanged


def change_between(measure: Measure, latest: ValueRow, previous: ValueRow) -> Change | None:
    """ "Up 2.3 points since Fall 2025–26", when both values are shown."""
    now, before = latest.cell.shown_value, previous.cell.shown_value
    if now is None or before is None:
        return None
    difference = round(now - before, 2)
    since = previous.record.period_label or f"{previous.record.period_start:%-d %B %Y}"
    if difference == 0:
        return Change(words=f"No change since {since}", favourable=None)
    unit = " points" if measure.unit == Unit.PERCENT else unit_suffix(measure.unit)
    amount = format_value(abs(difference), unit)
    went_up = difference > 0
    return Change(
        words=f"{'Up' if went_up else 'Down'} {amount} since {since}",
        favourable=went_up == (measure.direction == Direction.UP),
    )


@dataclass(frozen=True)
class MeasureCard:
    measure: Measure
    series: Series
    rows: list[ValueRow]
    reading: Reading | None
    groups: GroupBreakdown | None = None
    rule_set: str = RuleSet.IHI

    @property
    def latest(self) -> ValueRow | None:
        return self.rows[-1] if self.rows else None

    @property
    def previous(self) -> ValueRow | None:
        return self.rows[-2] if len(self.rows) > 1 else None

    @property
    def change(self) -> Change | None:
        if self.latest is None or self.previous is None:
            return None
        return change_between(self.measure, self.latest, self.previous)

    @property
    def attention(self) -> int:
        return self.reading.attention if self.reading is not None else 3

    @property
    def url(self) -> str:
        return f"{reverse('measures:detail', args=[self.measure.pk])}?{self.series.query}"

    @property
    def rules_words(self) -> str:
        return RULES_WORDS[self.rule_set]


def measure_cards(
    measures: Iterable[Measure], series_of: dict[str, Series], values: Iterable[MeasureValue]
) -> list[MeasureCard]:
    """A card for each (measure, series) with values, worse news first, then by name.

    ``series_of`` maps each value's scope key to its series; settings and chart notes for
    every series come in one query each.
    """
    by_measure = {measure.pk: measure for measure in measures}
    runs: dict[tuple[int, str], list[MeasureValue]] = defaultdict(list)
    for record in values:
        if record.measure_id in by_measure:
            runs[(record.measure_id, record.scope_key)].append(record)
    scope_keys = {key for _, key in runs}
    settings = {
        (s.measure_id, s.scope_key): s
        for s in ChartSetting.objects.filter(measure__in=list(by_measure), scope_key__in=scope_keys)
    }
    notes: dict[tuple[int, str], list[tuple[dt.date, str]]] = defaultdict(list)
    for note in MeasureAnnotation.objects.filter(
        measure__in=list(by_measure), scope_key__in=scope_keys
    ).order_by("date"):
        notes[(note.measure_id, note.scope_key)].append((note.date, note.label))
    cards = []
    for (measure_id, scope_key), records in runs.items():
        measure, series = by_measure[measure_id], series_of[scope_key]
        rows = value_rows(measure, records)
        setting = settings.get((measure_id, scope_key))
        rule_set = setting.rule_set if setting else RuleSet.IHI
        baseline = (
            (setting.baseline_start, setting.baseline_end)
            if setting and setting.baseline_start and setting.baseline_end
            else None
        )
        reading = series_reading(
            measure=measure,
            title=f"{measure.name}, {series.name}",
            values=records,
            cells=[row.cell for row in rows],
            rule_set=rule_set,
            baseline=baseline,
            annotations=notes[(measure_id, scope_key)],
        )
        cards.append(
            MeasureCard(
                measure=measure,
                series=series,
                rows=rows,
                reading=reading,
                groups=group_breakdown(measure, series)
                if measure.source == MeasureSource.COMPUTED
                else None,
                rule_set=rule_set,
            )
        )
    return sorted(cards, key=lambda card: (card.attention, card.measure.name, card.series.name))


# A school's data page --------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolData:
    cards: list[MeasureCard]
    team_cards: list[MeasureCard]
    not_recorded: list[Measure]

    @property
    def needing_attention(self) -> list[MeasureCard]:
        return [card for card in self.cards + self.team_cards if card.attention == 0]


def school_data(user: Person, school: School) -> SchoolData:
    series = Series(SeriesKind.SCHOOL, school.district, school=school)
    visible = measures_visible_to(user).filter(archived=False)
    values = list(
        MeasureValue.objects.filter(
            scope_key=series.scope_key, group_code=ALL_STUDENTS, measure__in=visible
        ).order_by("measure_id", "period_start")
    )
    measures = visible.filter(pk__in={v.measure_id for v in values}).select_related("assessment")
    teams = {
        team.pk: team
        for team in teams_visible_to(user).filter(school=school).select_related("district")
    }
    return SchoolData(
        cards=measure_cards(measures, {series.scope_key: series}, values),
        team_cards=_team_cards(user, teams.values()),
        not_recorded=list(
            visible.filter(level__in=SCHOOL_LEVELS, team__isnull=True)
            .filter(Q(school=school) | Q(school__isnull=True, district=school.district))
            .exclude(pk__in={v.measure_id for v in values})
            .order_by("name")
        ),
    )


def team_data(user: Person, team: Team) -> list[MeasureCard]:
    return _team_cards(user, [team])


def _team_cards(user: Person, teams: Iterable[Team]) -> list[MeasureCard]:
    series_of = {
        f"team:{team.pk}": Series(SeriesKind.TEAM, team.district, team=team)
        for team in teams
        if team.district is not None
    }
    values = list(
        measure_values_visible_to(user)
        .filter(scope_key__in=list(series_of), group_code=ALL_STUDENTS, measure__archived=False)
        .order_by("measure_id", "period_start")
    )
    measures = Measure.objects.filter(pk__in={v.measure_id for v in values})
    return measure_cards(measures, series_of, values)


def team_measures_without_values(user: Person, team: Team) -> list[Measure]:
    """The team's own measures that have no values yet: a start to suggest."""
    return list(
        measures_visible_to(user)
        .filter(team=team, archived=False)
        .exclude(values__team=team)
        .order_by("name")
    )


# Schools compared ------------------------------------------------------------------------------


TOTAL = "total"
GridKey = tuple[int | str, str]  # (school id or TOTAL, group code)


@dataclass(frozen=True)
class ComparisonRow:
    school: School
    record: MeasureValue | None
    cell: ValueCell | None  # None: no value for this school in this period
    tested: Cell | None = None


@dataclass(frozen=True)
class Period:
    start: dt.date
    label: str


@dataclass
class Comparison:
    measure: Measure
    group: StudentGroup | None
    period: Period | None
    rows: list[ComparisonRow]
    total: ComparisonRow | None = None
    chart: Chart | None = None
    sort: str = "name"
    periods: list[Period] = field(default_factory=list)
    groups: list[StudentGroup] = field(default_factory=list)

    @property
    def group_label(self) -> str:
        return self.group.label if self.group else ALL_STUDENTS_LABEL

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows if row.cell is not None and row.cell.suppressed)

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows if row.cell is None)

    @property
    def student_based(self) -> bool:
        return any(
            row.record is not None and row.record.student_count is not None for row in self.rows
        )


def comparison_measures(user: Person, schools: QuerySet[School]) -> list[Measure]:
    """Measures with values at any of these schools that the person may read, computed
    ones first (they compare schools on the same footing), then by name."""
    with_values = (
        measure_values_visible_to(user)
        .filter(school__in=schools, team__isnull=True)
        .values("measure_id")
    )
    measures = measures_visible_to(user).filter(
        pk__in=with_values, archived=False, level__in=SCHOOL_LEVELS
    )
    return sorted(measures, key=lambda m: (m.source != MeasureSource.COMPUTED, m.name, m.pk))


def comparison(
    user: Person,
    measure: Measure,
    schools: QuerySet[School],
    *,
    group_code: str = ALL_STUDENTS,
    period_start: dt.date | None = None,
    sort: str = "name",
) -> Comparison:
    values = measure_values_visible_to(user).filter(
        measure=measure, school__in=schools, team__isnull=True
    )
    groups = list(
        StudentGroup.objects.filter(
            code__in=values.exclude(group_code=ALL_STUDENTS).values("group_code")
        ).order_by("sort_order", "label")
    )
    group = next((g for g in groups if g.code == group_code), None)
    periods = _periods(values.filter(group_code=group.code if group else ALL_STUDENTS))
    period = next((p for p in periods if p.start == period_start), periods[0] if periods else None)
    result = Comparison(
        measure=measure,
        group=group,
        period=period,
        rows=[],
        sort=sort if sort in SORTS else "name",
        periods=periods,
        groups=groups,
    )
    # Every group of every school for the period: a school's groups are suppressed
    # beside each other as on its own pages, and the schools beside their total.
    grid: dict[GridKey, MeasureValue] = {
        (record.school_id, record.group_code): record
        for record in (values.filter(period_start=period.start) if period else values.none())
        if record.school_id is not None
    }
    _fill_rows(result, list(schools.select_related("district").order_by("name", "pk")), grid)
    result.chart = _comparison_chart(result)
    return result


def _periods(values: QuerySet[MeasureValue]) -> list[Period]:
    seen: dict[dt.date, str] = {}
    for start, label in values.order_by("-period_start").values_list(
        "period_start", "period_label"
    ):
        seen.setdefault(start, label or f"{start.day} {start:%B %Y}")
    return [Period(start=start, label=label) for start, label in seen.items()]


def _fill_rows(
    result: Comparison, schools: Sequence[School], grid: dict[GridKey, MeasureValue]
) -> None:
    """Rows with cells, and a total where every value carries its counts. A hidden
    school cannot be worked out from the total and the others, nor a hidden group from
    its school's other groups."""
    code = result.group.code if result.group else ALL_STUDENTS
    chosen = [(school.pk, code) for school in schools if (school.pk, code) in grid]
    total_record = _total([grid[key] for key in chosen])
    figures: dict[GridKey, MeasureValue] = dict(grid)
    lines = group_lines(figures, race_codes())
    if total_record is not None:
        figures[(TOTAL, code)] = total_record
        lines.append(((TOTAL, code), list(chosen)))
    cells = value_cells(figures, result.measure.unit, lines=lines)

    def row(school: School, key: GridKey) -> ComparisonRow:
        record = figures.get(key)
        if record is None:
            return ComparisonRow(school=school, record=None, cell=None)
        cell = cells[key]
        tested = (
            count_cell(record.student_count, record.student_count)
            if record.student_count is not None and not cell.suppressed
            else None
        )
        return ComparisonRow(school=school, record=record, cell=cell, tested=tested)

    rows = [row(school, (school.pk, code)) for school in schools]
    if result.sort != "name":
        shown = [r for r in rows if r.cell is not None and r.cell.shown_value is not None]
        rest = [r for r in rows if r not in shown]
        shown.sort(key=lambda r: _shown(r.cell), reverse=result.sort == "high")
        rows = shown + rest
    result.rows = rows
    if total_record is not None:
        result.total = row(School(name="All schools shown"), (TOTAL, code))


def _as_printed(cell: ValueCell) -> float:
    value = cell.shown_value or 0.0
    return float(round(value)) if cell.cell.kind is Kind.SHARE else value


def _shown(cell: ValueCell | None) -> float:
    return (cell.shown_value or 0.0) if cell is not None else 0.0


def _total(records: list[MeasureValue]) -> MeasureValue | None:
    """The schools' figures pooled (counted ÷ tested), where every one has its counts."""
    if len(records) < 2 or any(
        r.numerator is None or not r.denominator or r.student_count is None for r in records
    ):
        return None
    numerator = sum(r.numerator or 0.0 for r in records)
    denominator = sum(r.denominator or 0.0 for r in records)
    return MeasureValue(
        value=round(100 * numerator / denominator, 1),
        numerator=numerator,
        denominator=denominator,
        student_count=sum(r.student_count or 0 for r in records),
    )


def _comparison_chart(result: Comparison) -> Chart | None:
    # Shares are drawn as the table prints them (whole percents), so the two agree.
    shown = [
        (row.school.name, _as_printed(row.cell))
        for row in result.rows
        if row.cell is not None and row.cell.shown_value is not None
    ]
    if not shown or result.period is None:
        return None
    measure, suffix = result.measure, unit_suffix(result.measure.unit)
    best = max if measure.direction == Direction.UP else min
    leader = best(shown, key=lambda point: point[1])
    words = (
        f"{measure.name}, {result.group_label}, {result.period.label}: "
        f"{len(shown)} school{'s' if len(shown) != 1 else ''} shown"
    )
    if len(shown) > 1:
        words += f"; {leader[0]} has the {'highest' if best is max else 'lowest'}, " + format_value(
            leader[1], suffix
        )
    if result.hidden_count:
        words += f"; {result.hidden_count} hidden to protect small groups of students"
    return bar_chart(
        title=f"{measure.name}: schools compared",
        description=words + ".",
        points=shown,
        y_title=Y_TITLES.get(measure.unit, "Value"),
        x_title="School",
        suffix=suffix,
    )


# Where a person's data pages are -----------------------------------------------------------------


@dataclass(frozen=True)
class DataPages:
    schools: list[School]
    teams: list[Team]
    districts: list[District]
    hubs: list[Hub]
    landing: str | None  # the page most useful to open first, if any

    def __bool__(self) -> bool:
        return bool(self.schools or self.teams or self.districts or self.hubs)


def data_pages_for(user: Person) -> DataPages:
    """A person's data pages. They land on their own school's; a district leader on the
    district's schools compared, hub staff on the hub's; the state's staff, who look
    across every hub, on the library with links to each."""
    scope = org_scope_for(user)
    schools = list(School.objects.filter(pk__in=scope.staff_school_ids).order_by("name"))
    districts = list(value_districts_led_or_served(user).order_by("name"))
    hubs = list(value_hubs_for(user).order_by("name"))
    led = [d for d in districts if d.pk in scope.led_district_ids]
    landing = None
    if schools:
        landing = reverse("measures:school", args=[schools[0].pk])
    elif led:
        landing = reverse("measures:district", args=[led[0].pk])
    elif hubs and not scope.reads_state_org_records:
        landing = reverse("measures:hub", args=[hubs[0].slug])
    return DataPages(
        schools=schools,
        teams=list(
            Team.objects.active()
            .filter(pk__in=list(team_roles_for(user)), district__isnull=False)
            .order_by("name")
        ),
        districts=districts,
        hubs=hubs,
        landing=landing,
    )


def hub_schools(hub: Hub) -> QuerySet[School]:
    served = HubServiceArea.objects.active_on(timezone.localdate()).filter(hub=hub)
    return School.objects.filter(district_id__in=served.values("district_id"))
