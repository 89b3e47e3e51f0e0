"""The read-only API of measures and their values: aggregates only, suppressed as the
pages suppress them.

Lists start from :func:`leadhub.measures.access.measures_visible_to` and
:func:`~leadhub.measures.access.measure_values_visible_to`; one record is fetched through
the same gate, so the API shows exactly what the pages show. A value that stands on too
few students comes back with ``"suppressed": true`` and no number, share or count; a
share shown as a range (">95%") has no number either, only its ``shown_as`` text. Each
value is suppressed beside the other groups of its measure, place and period, so the API
never gives away a value the pages hide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from leadhub.api.viewsets import ScopedViewSet, as_int, detail_responses, list_responses
from leadhub.measures.access import (
    measure_get_for_user,
    measure_value_get_for_user,
    measure_values_visible_to,
    measures_visible_to,
)
from leadhub.measures.figures import ValueCell
from leadhub.measures.models import Measure, MeasureLevel, MeasureSource, MeasureValue
from leadhub.measures.selectors import sibling_cells
from leadhub.orgs.access import districts_visible_to, schools_visible_to
from leadhub.orgs.models import District, School
from leadhub.teams.access import teams_visible_to
from leadhub.teams.models import Team

# Serializers ----------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(
        source="district_id",
        allow_null=True,
        read_only=True,
        help_text="The district it belongs to (its id); null for a state-wide measure.",
    )
    school = serializers.IntegerField(
        source="school_id",
        allow_null=True,
        read_only=True,
        help_text="The one school it belongs to (its id), if any.",
    )
    team = serializers.IntegerField(
        source="team_id",
        allow_null=True,
        read_only=True,
        help_text="The team that keeps it (its id), if any.",
    )
    assessment = serializers.SlugRelatedField(
        slug_field="code",
        allow_null=True,
        read_only=True,
        help_text="For a computed measure: the code of the assessment its values come from.",
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "name",
            "description",
            "unit",
            "direction",
            "level",
            "source",
            "district",
            "school",
            "team",
            "numerator_label",
            "denominator_label",
            "assessment",
            "subject",
            "at_or_above_level",
            "archived",
            "updated_at",
        ]
        read_only_fields = fields


def cells_for(records: Iterable[MeasureValue]) -> dict[int, ValueCell]:
    """Every value's suppressed cell, a query per measure among them."""
    by_measure: dict[int, list[MeasureValue]] = defaultdict(list)
    for record in records:
        by_measure[record.measure_id].append(record)
    cells: dict[int, ValueCell] = {}
    for values in by_measure.values():
        cells.update(sibling_cells(values, values[0].measure.unit))
    return cells


class MeasureValueListSerializer(serializers.ListSerializer):
    """Suppresses a page of values at once, so it costs a query per measure, not per value."""

    def to_representation(self, data: Any) -> list[Any]:
        records = list(data.all() if isinstance(data, QuerySet) else data)
        self.child.context["cells"] = cells_for(records)
        return super().to_representation(records)


class MeasureValueSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="measure_id", read_only=True)
    place = serializers.SerializerMethodField(
        help_text='Whose value it is: "school", "team" or "district".'
    )
    school = serializers.IntegerField(source="school_id", allow_null=True, read_only=True)
    team = serializers.IntegerField(source="team_id", allow_null=True, read_only=True)
    district = serializers.IntegerField(source="district_id", read_only=True)
    student_group = serializers.CharField(
        source="group_code",
        read_only=True,
        help_text='The student group\'s code (e.g. "el"); empty for all students.',
    )
    school_year = serializers.IntegerField(
        source="school_year_id",
        allow_null=True,
        read_only=True,
        help_text="The school year by its ending year (2026 is 2025–26), when known.",
    )
    value = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="In the measure's unit. Null when suppressed or shown only as a range.",
    )
    shown_as = serializers.CharField(
        read_only=True, help_text='The value as the pages show it, e.g. "46%", ">95%".'
    )
    numerator = serializers.FloatField(allow_null=True, read_only=True)
    denominator = serializers.FloatField(allow_null=True, read_only=True)
    student_count = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text="How many students the value stands on; null when suppressed or not "
        "student-based.",
    )
    suppressed = serializers.BooleanField(
        read_only=True,
        help_text="True when the value is hidden to protect a small group of students.",
    )

    class Meta:
        model = MeasureValue
        list_serializer_class = MeasureValueListSerializer
        fields = [
            "id",
            "measure",
            "place",
            "school",
            "team",
            "district",
            "student_group",
            "period_start",
            "period_label",
            "school_year",
            "window",
            "value",
            "shown_as",
            "numerator",
            "denominator",
            "student_count",
            "suppressed",
            "source",
            "updated_at",
        ]
        read_only_fields = fields

    def get_place(self, record: MeasureValue) -> str:
        return record.scope_key.partition(":")[0]

    def to_representation(self, instance: MeasureValue) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        cells: dict[int, ValueCell] = self.context.get("cells") or cells_for([instance])
        cell = cells[instance.pk]
        student_based = instance.student_count is not None
        data["shown_as"] = cell.display
        data["suppressed"] = cell.suppressed
        data["value"] = cell.shown_value
        if cell.suppressed:
            data.update(numerator=None, denominator=None, student_count=None)
        elif student_based and cell.shown_value is None:
            data["numerator"] = None  # a count at or above would give a coded share away
        return data


# Filters --------------------------------------------------------------------------------


def _visible_measures(request: HttpRequest | None) -> QuerySet[Measure]:
    return measures_visible_to(request.user) if request else Measure.objects.none()


def _visible_schools(request: HttpRequest | None) -> QuerySet[School]:
    return schools_visible_to(request.user) if request else School.objects.none()


def _visible_teams(request: HttpRequest | None) -> QuerySet[Team]:
    return teams_visible_to(request.user) if request else Team.objects.none()


def _visible_districts(request: HttpRequest | None) -> QuerySet[District]:
    return districts_visible_to(request.user) if request else District.objects.none()


class MeasureApiFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=MeasureLevel.choices, label="Only measures of this level."
    )
    source = django_filters.ChoiceFilter(
        choices=MeasureSource.choices, label="Only measures whose values come from here."
    )
    archived = django_filters.BooleanFilter(label="Archived measures (true) or in use (false).")
    district = django_filters.ModelChoiceFilter(
        queryset=_visible_districts,
        label="Only this district's measures (its id).",
        error_messages={"invalid_choice": "No district you can see has this id."},
    )

    class Meta:
        model = Measure
        fields: list[str] = []


class MeasureValueApiFilter(django_filters.FilterSet):
    measure = django_filters.ModelChoiceFilter(
        queryset=_visible_measures,
        label="Only this measure's values (its id).",
        error_messages={"invalid_choice": "No measure you can see has this id."},
    )
    school = django_filters.ModelChoiceFilter(
        queryset=_visible_schools,
        label="Only this school's values (its id).",
        error_messages={"invalid_choice": "No school you can see has this id."},
    )
    team = django_filters.ModelChoiceFilter(
        queryset=_visible_teams,
        label="Only this team's values (its id).",
        error_messages={"invalid_choice": "No team you can see has this id."},
    )
    student_group = django_filters.CharFilter(
        field_name="group_code",
        label='Only this student group\'s values (its code; "all" for all students).',
        method="in_group",
    )
    period_from = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", label="Periods starting on or after."
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label="Periods starting on or before."
    )

    class Meta:
        model = MeasureValue
        fields: list[str] = []

    def in_group(self, queryset: QuerySet[MeasureValue], name: str, value: str) -> Any:
        return queryset.filter(group_code="" if value == "all" else value)


# Viewsets -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Measures you can see",
        description=(
            "The state's measures and those of the districts, schools and teams you work "
            "in or serve, by name. Narrow with ?level=, ?source=, ?archived= and ?district=."
        ),
        responses=list_responses(MeasureSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One measure",
        description="A measure by its id.",
        responses=detail_responses(MeasureSerializer),
    ),
)
class MeasureViewSet(ScopedViewSet):
    serializer_class = MeasureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeasureApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            measures_visible_to(self.request.user)
            .select_related("assessment")
            .order_by("name", "pk")
        )

    def gate(self, lookup: str) -> Model:
        return measure_get_for_user(self.request.user, as_int(lookup))


@extend_schema_view(
    list=extend_schema(
        summary="Measure values you can see",
        description=(
            "Values of the measures you can see, for the schools, teams and districts whose "
            "figures you may read: aggregates only. A value standing on fewer students than "
            "the minimum is suppressed (value, counts and student count null). Narrow with "
            "?measure=, ?school=, ?team=, ?student_group= and ?period_from= / ?period_to=."
        ),
        responses=list_responses(MeasureValueSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One measure value",
        description="A value by its id, suppressed as in the lists.",
        responses=detail_responses(MeasureValueSerializer),
    ),
)
class MeasureValueViewSet(ScopedViewSet):
    serializer_class = MeasureValueSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeasureValueApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        return (
            measure_values_visible_to(user)
            .filter(measure__in=measures_visible_to(user))
            .select_related("measure")
            .order_by("measure_id", "scope_key", "group_code", "period_start", "pk")
        )

    def gate(self, lookup: str) -> Model:
        return measure_value_get_for_user(self.request.user, as_int(lookup))
