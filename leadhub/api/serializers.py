"""How organization records, school years and people look in the API. Read-only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leadhub.accounts.models import User
from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    Grade,
    Hub,
    Membership,
    NonInstructionalDay,
    School,
    SchoolProfile,
    SchoolYear,
)


class ServedDistrictSerializer(serializers.Serializer):
    """A district in the hub's service area today."""

    # Read from the service-area row, whose district is fetched with it.
    id = serializers.IntegerField(source="district_id", read_only=True)
    name = serializers.CharField(source="district.name", read_only=True)


class HubSerializer(serializers.ModelSerializer):
    districts = ServedDistrictSerializer(
        source="current_areas",
        many=True,
        read_only=True,
        help_text="The districts in the hub's service area today.",
    )

    class Meta:
        model = Hub
        fields = ["slug", "name", "host_organization", "districts"]
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer):
    hub = serializers.CharField(
        source="serving_hub_slug",
        allow_null=True,
        read_only=True,
        help_text="Slug of the hub that serves the district today, if any.",
    )

    class Meta:
        model = District
        fields = ["id", "name", "state_id", "nces_id", "time_zone", "hub"]
        read_only_fields = fields


class GradeField(serializers.ChoiceField):
    """A grade code: PK, KG or 01 to 12."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Grade.choices, **kwargs)


class GradeFieldSchema(OpenApiSerializerFieldExtension):
    """Lowest and highest grade share one ``Grade`` component instead of two copies."""

    target_class = GradeField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        component = ResolvedComponent(
            name="Grade", type=ResolvedComponent.SCHEMA, object="Grade", schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class SchoolProfileSerializer(serializers.ModelSerializer):
    lowest_grade = GradeField(read_only=True)
    highest_grade = GradeField(read_only=True)
    school_year = serializers.IntegerField(
        source="school_year_id", read_only=True, help_text="Ending year: 2026 is 2025–26."
    )

    class Meta:
        model = SchoolProfile
        fields = [
            "school_year",
            "lowest_grade",
            "highest_grade",
            "locale",
            "enrollment",
            "pct_low_income",
            "pct_english_learners",
            "pct_iep",
            "federal_designation",
        ]
        read_only_fields = fields


class SchoolSerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(source="district_id", read_only=True)
    profiles = SchoolProfileSerializer(
        many=True,
        read_only=True,
        help_text="The school's characteristics for each school year on record, newest first.",
    )

    class Meta:
        model = School
        fields = ["id", "name", "state_id", "nces_id", "city", "district", "profiles"]
        read_only_fields = fields


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = NonInstructionalDay
        fields = ["start_date", "end_date", "kind", "label"]
        read_only_fields = fields


class CalendarSerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(source="district_id", read_only=True)
    instructional_days = serializers.IntegerField(
        source="instructional_day_count",
        read_only=True,
        help_text="Weekdays from the first to the last day, less breaks and days off.",
    )
    closures = ClosureSerializer(many=True, read_only=True)

    class Meta:
        model = DistrictCalendar
        fields = ["district", "first_day", "last_day", "instructional_days", "closures"]
        read_only_fields = fields


class SchoolYearSerializer(serializers.ModelSerializer):
    """A school year, with a district's instructional calendar for it when one is asked for."""

    label = serializers.CharField(read_only=True, help_text="For example 2025–26.")
    calendar = serializers.SerializerMethodField(
        help_text=(
            "The district's instructional calendar for this year when the request names a "
            "district with ?district=; null otherwise or when the district has none."
        )
    )

    class Meta:
        model = SchoolYear
        fields = ["year", "label", "start_date", "end_date", "calendar"]
        read_only_fields = fields

    @extend_schema_field(CalendarSerializer(allow_null=True))
    def get_calendar(self, year: SchoolYear) -> dict[str, Any] | None:
        # The view puts the requested district's calendars, by year, in the context.
        calendar = self.context.get("calendars", {}).get(year.year)
        return CalendarSerializer(calendar).data if calendar is not None else None


class RoleSerializer(serializers.ModelSerializer):
    """A role held today and where: the ids of its state, district and school, its hub's slug."""

    state = serializers.IntegerField(source="state_id", allow_null=True, read_only=True)
    hub = serializers.SlugRelatedField(slug_field="slug", allow_null=True, read_only=True)
    district = serializers.IntegerField(source="district_id", allow_null=True, read_only=True)
    school = serializers.IntegerField(source="school_id", allow_null=True, read_only=True)

    class Meta:
        model = Membership
        fields = ["role", "level", "title", "state", "hub", "district", "school"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(
        source="current_memberships",
        many=True,
        read_only=True,
        help_text="Roles the person holds today.",
    )

    class Meta:
        model = User
        fields = ["public_id", "full_name", "email", "roles"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")


class SchoolYearQuerySerializer(serializers.Serializer):
    """The query parameters of the school-year endpoints."""

    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.none(),
        required=False,
        help_text="Include this district's calendar for each year.",
        error_messages={
            "does_not_exist": "No district you can see has the id {pk_value}.",
            "incorrect_type": "A district is given by its number, for example ?district=12.",
        },
    )

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if districts is not None:
            self.fields["district"].queryset = districts
