"""Reads of organization records that several pages share. Callers gate first (access.py)."""

from __future__ import annotations

import datetime as dt
from itertools import chain
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from leadhub.core.history import history_entries
from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    Membership,
    ProgramParticipation,
    School,
    SchoolProfile,
    SpecialProgram,
)
from leadhub.orgs.schoolyears import school_year_label, school_year_of


def current_school_year() -> int:
    return school_year_of(timezone.localdate())


def is_editable_year(year: int) -> bool:
    """Characteristics and calendars can be kept for the past ten years and the next one."""
    current = current_school_year()
    return current - 10 <= year <= current + 1


def calendar_neighbours(year: int) -> dict[str, int | str | None]:
    """The school years next to ``year`` that a calendar page may link to."""
    previous, following = year - 1, year + 1
    return {
        "previous_year": previous if is_editable_year(previous) else None,
        "previous_year_label": school_year_label(previous),
        "next_year": following if is_editable_year(following) else None,
        "next_year_label": school_year_label(following),
    }


def districts_served_by(hub: Hub, *, on: dt.date | None = None) -> QuerySet[District]:
    day = on or timezone.localdate()
    areas = HubServiceArea.objects.active_on(day).filter(hub=hub)
    return District.objects.filter(pk__in=areas.values("district_id")).annotate(
        school_count=Count("schools", distinct=True)
    )


def hub_serving(district: District, *, on: dt.date | None = None) -> Hub | None:
    day = on or timezone.localdate()
    area = (
        HubServiceArea.objects.active_on(day)
        .filter(district=district)
        .select_related("hub")
        .first()
    )
    return area.hub if area else None


def schools_with_profile(schools: QuerySet[School], *, year: int) -> QuerySet[School]:
    """Schools with the chosen year's characteristics attached as ``profile_*`` values."""
    profile = SchoolProfile.objects.filter(school=OuterRef("pk"), school_year_id=year)
    return schools.select_related("district").annotate(
        profile_enrollment=Subquery(profile.values("enrollment")[:1]),
        profile_low=Subquery(profile.values("lowest_grade")[:1]),
        profile_high=Subquery(profile.values("highest_grade")[:1]),
        profile_locale=Subquery(profile.values("locale")[:1]),
        profile_low_income=Subquery(
            profile.values("pct_low_income")[:1],
            output_field=DecimalField(max_digits=5, decimal_places=1),
        ),
        profile_designation=Subquery(profile.values("federal_designation")[:1]),
    )


def schools_missing_profile(district: District, *, year: int) -> int:
    return School.objects.filter(district=district).exclude(profiles__school_year_id=year).count()


def staff_memberships(**filters: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(**filters)
        .select_related("user", "school", "district", "hub")
        .order_by("role", "user__full_name")
    )


def school_overview(school: School) -> dict[str, Any]:
    return {
        "profiles": list(school.profiles.order_by("-school_year_id")),
        "programs": list(school.special_programs.all()),
        "participations": list(
            school.participations.select_related("hub").order_by("-start_year_id")
        ),
        "leaders": list(
            staff_memberships(school=school, role__in=["principal", "assistant_principal"])
        ),
    }


def school_history(school: School, *, limit: int = 30) -> list[dict[str, Any]]:
    """Changes to the school and to its yearly characteristics, programs and participation."""
    streams = [
        history_entries(School.history.filter(id=school.pk), limit=limit),  # type: ignore[attr-defined]
        history_entries(SchoolProfile.history.filter(school_id=school.pk), limit=limit),  # type: ignore[attr-defined]
        history_entries(SpecialProgram.history.filter(school_id=school.pk), limit=limit),  # type: ignore[attr-defined]
        history_entries(ProgramParticipation.history.filter(school_id=school.pk), limit=limit),  # type: ignore[attr-defined]
    ]
    merged = sorted(chain.from_iterable(streams), key=lambda e: e["when"], reverse=True)
    return merged[:limit]


def district_calendar(district: District, year: int) -> DistrictCalendar | None:
    return (
        DistrictCalendar.objects.filter(district=district, school_year_id=year)
        .prefetch_related(Prefetch("closures"))
        .first()
    )


def district_school_counts(district: District) -> dict[str, int]:
    year = current_school_year()
    return SchoolProfile.objects.filter(district=district, school_year_id=year).aggregate(
        with_profile=Count("pk"),
        designated=Count("pk", filter=~Q(federal_designation="none")),
    )
