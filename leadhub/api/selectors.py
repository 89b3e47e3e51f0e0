"""Reads that shape API records. Callers pass querysets that are already gated (access.py)."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    School,
    SchoolProfile,
)


def hubs_with_current_districts(hubs: QuerySet[Hub]) -> QuerySet[Hub]:
    areas = (
        HubServiceArea.objects.active_on(timezone.localdate())
        .select_related("district")
        .order_by("district__name", "district_id")
    )
    return hubs.prefetch_related(
        Prefetch("service_areas", queryset=areas, to_attr="current_areas")
    ).order_by("name", "pk")


def districts_with_serving_hub(districts: QuerySet[District]) -> QuerySet[District]:
    serving = HubServiceArea.objects.active_on(timezone.localdate()).filter(
        district_id=OuterRef("pk")
    )
    return districts.annotate(
        serving_hub_slug=Subquery(serving.order_by("-start_date").values("hub__slug")[:1])
    ).order_by("name", "pk")


def schools_with_profiles(schools: QuerySet[School]) -> QuerySet[School]:
    profiles = SchoolProfile.objects.order_by("-school_year_id")
    return schools.prefetch_related(Prefetch("profiles", queryset=profiles)).order_by("name", "pk")


def calendars_by_year(district: District) -> dict[int, DistrictCalendar]:
    calendars = DistrictCalendar.objects.filter(district=district).prefetch_related("closures")
    return {calendar.school_year_id: calendar for calendar in calendars}
