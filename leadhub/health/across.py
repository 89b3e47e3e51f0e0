"""Reading team health across a school, a district or a hub, from the monthly snapshots.

Every page reads the latest month the place has snapshots for. A district or hub page
costs the same handful of queries whether it holds ten teams or a thousand: the chosen
indicator's rows are sorted and paged in the database, and the page's twelve-indicator
strips come in one more query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone

from leadhub.health.indicators import BY_CODE, INDICATORS, Indicator, Unit
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.results import WindowKey
from leadhub.health.selectors import standards_for
from leadhub.health.standards import BAND_LABELS, Band, Standard
from leadhub.orgs.models import District, Hub, HubServiceArea, School
from leadhub.teams.models import Team, TeamKind

NOT_MEASURED = "unmeasured"
BAND_CHOICES: list[tuple[str, str]] = [
    *BAND_LABELS.items(),
    (NOT_MEASURED, "Not measured"),
]
ORDERS = ("worst", "best")
KIND_ORDER = [TeamKind.ILT, TeamKind.SIT, TeamKind.ADMINISTRATIVE, TeamKind.INSTRUCTIONAL]


@dataclass(frozen=True)
class Reading:
    """One indicator of one team over one window, as a snapshot recorded it."""

    indicator: Indicator
    status: str
    value: float | None
    band: str
    detail: str
    expectation: float | None = None  # the team's standard, shown beside minutes

    @property
    def measured(self) -> bool:
        return self.status == Status.MEASURED

    @property
    def value_text(self) -> str:
        """75%, or 37 of 50 min: a length reads nothing without the length expected."""
        if self.value is not None and self.expectation and self.indicator.unit == Unit.MINUTES:
            return f"{round(self.value)} of {round(self.expectation)} min"
        return self.indicator.value_text(self.value)

    @property
    def shown_value(self) -> str:
        """The figure as the page shows it; empty when not measured."""
        return self.value_text if self.measured else ""

    @property
    def band_key(self) -> str:
        return self.band if self.measured and self.band else NOT_MEASURED

    @property
    def band_label(self) -> str:
        if self.measured and self.band:
            return BAND_LABELS[self.band]
        return Status(self.status).label

    @property
    def letter(self) -> str:
        """A one-character stand-in for the band, so a strip reads without colour."""
        letters: dict[str, str] = {Band.STRONG: "S", Band.DEVELOPING: "D", Band.ATTENTION: "N"}
        return letters.get(self.band_key, "–")


def reading(row: HealthSnapshot, window: str, standard: Standard | None = None) -> Reading:
    return Reading(
        indicator=BY_CODE[row.indicator],
        status=getattr(row, f"{window}_status"),
        value=getattr(row, f"{window}_value"),
        band=getattr(row, f"{window}_band"),
        detail=getattr(row, f"{window}_detail"),
        expectation=standard[row.indicator].expectation if standard else None,
    )


def snapshot_standard(
    row: HealthSnapshot, standards: dict[int | None, dict[str, Standard]]
) -> Standard | None:
    """The standard the snapshot's team is held to, from :func:`standards_for`'s answer."""
    by_kind = standards.get(row.district_id) or standards.get(None) or {}
    return by_kind.get(row.team_kind)


def latest_month(snapshots: QuerySet[HealthSnapshot]) -> dt.date | None:
    month: dt.date | None = snapshots.aggregate(latest=Max("month"))["latest"]
    return month


# --- A school -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolCell:
    year: Reading
    recent: Reading


@dataclass(frozen=True)
class SchoolRow:
    indicator: Indicator
    cells: list[SchoolCell | None]  # one per team, None where the team has no snapshot


@dataclass(frozen=True)
class SchoolHealth:
    teams: list[Team]
    month: dt.date | None
    as_of: dt.date | None
    rows: list[SchoolRow]
    not_computed: list[Team]


def school_health(school: School) -> SchoolHealth:
    """Every active team of the school against every indicator, for the latest month."""
    teams = sorted(
        Team.objects.active().filter(school=school),
        key=lambda team: (_kind_rank(team.kind), team.name.lower()),
    )
    snapshots = HealthSnapshot.objects.filter(school=school, team__archived_on__isnull=True)
    month = latest_month(snapshots)
    found: dict[tuple[int, str], HealthSnapshot] = {}
    if month is not None:
        found = {(row.team_id, row.indicator): row for row in snapshots.filter(month=month)}
    by_kind = standards_for([school.district_id])[school.district_id]
    rows = [
        SchoolRow(
            indicator=item,
            cells=[
                _school_cell(found.get((team.pk, item.code)), by_kind.get(team.kind))
                for team in teams
            ],
        )
        for item in INDICATORS
    ]
    computed = {team_id for team_id, _ in found}
    return SchoolHealth(
        teams=teams,
        month=month,
        as_of=max((row.as_of for row in found.values()), default=None),
        rows=rows,
        not_computed=[team for team in teams if team.pk not in computed],
    )


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)  # type: ignore[arg-type]


def _school_cell(row: HealthSnapshot | None, standard: Standard | None) -> SchoolCell | None:
    if row is None:
        return None
    return SchoolCell(
        year=reading(row, WindowKey.YEAR, standard),
        recent=reading(row, WindowKey.RECENT, standard),
    )


# --- A district or a hub --------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The teams a district or hub page covers, as one condition that reads the same on
    teams and on snapshots (both carry ``district`` and ``hub``)."""

    kind: str  # "district" or "hub"
    obj: District | Hub
    condition: Q
    districts: list[District] = field(default_factory=list)  # a hub's, for its filter


def district_place(district: District) -> Place:
    return Place(kind="district", obj=district, condition=Q(district_id=district.pk))


def hub_place(hub: Hub, *, today: dt.date | None = None) -> Place:
    """The teams of the districts the hub serves today, and the hub's own networks."""
    day = today or timezone.localdate()
    served = HubServiceArea.objects.active_on(day).filter(hub=hub).values("district_id")
    districts = list(District.objects.filter(pk__in=served).order_by("name"))
    condition = Q(district_id__in=[district.pk for district in districts]) | Q(hub_id=hub.pk)
    return Place(kind="hub", obj=hub, condition=condition, districts=districts)


@dataclass(frozen=True)
class Filters:
    indicator: str = INDICATORS[0].code
    order: str = "worst"
    window: str = WindowKey.YEAR
    kind: str = ""
    band: str = ""
    school_id: int | None = None
    district_id: int | None = None

    @property
    def item(self) -> Indicator:
        return BY_CODE[self.indicator]


def place_snapshots(place: Place, month: dt.date | None = None) -> QuerySet[HealthSnapshot]:
    snapshots = HealthSnapshot.objects.filter(place.condition, team__archived_on__isnull=True)
    return snapshots if month is None else snapshots.filter(month=month)


def _narrowed(snapshots: QuerySet[HealthSnapshot], filters: Filters) -> QuerySet[HealthSnapshot]:
    if filters.kind:
        snapshots = snapshots.filter(team_kind=filters.kind)
    if filters.school_id:
        snapshots = snapshots.filter(school_id=filters.school_id)
    if filters.district_id:
        snapshots = snapshots.filter(district_id=filters.district_id)
    return snapshots


def _band_condition(window: str, band: str) -> Q:
    if band == NOT_MEASURED:
        return ~Q(**{f"{window}_status": Status.MEASURED})
    return Q(**{f"{window}_status": Status.MEASURED, f"{window}_band": band})


def chosen_rows(place: Place, month: dt.date, filters: Filters) -> QuerySet[HealthSnapshot]:
    """The chosen indicator's snapshot of every team that passes the filters, worst (or
    best) first: by band, then by value within a band, unmeasured teams last."""
    rows = _narrowed(place_snapshots(place, month), filters).filter(indicator=filters.indicator)
    if filters.band:
        rows = rows.filter(_band_condition(filters.window, filters.band))
    ranks = [Band.ATTENTION, Band.DEVELOPING, Band.STRONG]
    if filters.order == "best":
        ranks.reverse()
    window = filters.window
    rank = Case(
        *(
            When(Q(**{f"{window}_status": Status.MEASURED, f"{window}_band": band}), then=Value(i))
            for i, band in enumerate(ranks)
        ),
        default=Value(len(ranks)),
        output_field=IntegerField(),
    )
    # Worst first means low values first where higher is better, high ones where lower is.
    ascending = (filters.order == "worst") == filters.item.higher_is_better
    value = F(f"{window}_value")
    value_order: OrderBy = value.asc(nulls_last=True) if ascending else value.desc(nulls_last=True)
    return (
        rows.select_related("team", "school", "district")
        .annotate(band_rank=rank)
        .order_by("band_rank", value_order, "team__name", "team_id")
    )


@dataclass(frozen=True)
class BandCount:
    band: str
    label: str
    count: int


def band_counts(place: Place, month: dt.date, filters: Filters) -> list[BandCount]:
    """How many teams fall in each band of the chosen indicator (every filter but band)."""
    window = filters.window
    rows = _narrowed(place_snapshots(place, month), filters).filter(indicator=filters.indicator)
    counted = rows.aggregate(
        **{band: Count("pk", filter=_band_condition(window, band)) for band, _ in BAND_CHOICES}
    )
    return [BandCount(band, label, counted[band] or 0) for band, label in BAND_CHOICES]


def strips(team_ids: Iterable[int], month: dt.date, window: str) -> dict[int, list[Reading]]:
    """Every indicator of each team, in the order of :data:`INDICATORS` (one query)."""
    position: dict[str, int] = {item.code: index for index, item in enumerate(INDICATORS)}
    found: dict[int, list[Reading]] = {}
    rows = HealthSnapshot.objects.filter(team_id__in=list(team_ids), month=month)
    for row in sorted(rows, key=lambda row: (row.team_id, position[row.indicator])):
        found.setdefault(row.team_id, []).append(reading(row, window))
    return found


def teams_without_snapshot(place: Place, month: dt.date | None) -> int:
    teams = Team.objects.active().filter(place.condition)
    if month is not None:
        teams = teams.exclude(pk__in=place_snapshots(place, month).values("team_id"))
    return teams.count()


# --- Exports ---------------------------------------------------------------------------------


EXPORT_CHUNK = 500


@dataclass(frozen=True)
class ExportRow:
    snapshot: HealthSnapshot  # the chosen indicator's row: the team and its place
    readings: dict[tuple[str, str], Reading]  # by indicator code and window

    def value(self, code: str, window: str) -> str:
        found = self.readings.get((code, window))
        return found.shown_value if found else ""

    def band(self, code: str, window: str) -> str:
        found = self.readings.get((code, window))
        return found.band_label if found else ""


def export_rows(place: Place, month: dt.date | None, filters: Filters) -> Iterator[ExportRow]:
    """One row per team that passes the filters, in the order the page ranks them; every
    indicator read a chunk of teams at a time, as the page writes it."""
    if month is None:
        return
    chosen = chosen_rows(place, month, filters).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(chosen, EXPORT_CHUNK)):
        yield from _export_chunk(chunk, month)


def _export_chunk(chunk: list[HealthSnapshot], month: dt.date) -> Iterator[ExportRow]:
    standards = standards_for({row.district_id for row in chunk})
    by_team: dict[int, dict[tuple[str, str], Reading]] = {}
    rows = HealthSnapshot.objects.filter(team_id__in=[row.team_id for row in chunk], month=month)
    for row in rows:
        standard = snapshot_standard(row, standards)
        for window in WindowKey:
            by_team.setdefault(row.team_id, {})[(row.indicator, window.value)] = reading(
                row, window.value, standard
            )
    for row in chunk:
        yield ExportRow(row, by_team.get(row.team_id, {}))
