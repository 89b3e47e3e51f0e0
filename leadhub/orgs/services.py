"""Writes to organization records. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from leadhub.accounts.models import User
from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    NonInstructionalDay,
    School,
    SchoolProfile,
    SchoolYear,
)

CARRY_FORWARD_BATCH = 50


@transaction.atomic
def calendar_save(
    *, district: District, year: int, first_day: dt.date, last_day: dt.date
) -> DistrictCalendar:
    SchoolYear.ensure(year)
    calendar = DistrictCalendar.objects.filter(district=district, school_year_id=year).first()
    if calendar is None:
        calendar = DistrictCalendar(district=district, school_year_id=year)
    calendar.first_day = first_day
    calendar.last_day = last_day
    calendar.full_clean()
    calendar.save()
    return calendar


@transaction.atomic
def closure_add(
    *,
    calendar: DistrictCalendar,
    start_date: dt.date,
    end_date: dt.date,
    kind: str,
    label: str,
) -> NonInstructionalDay:
    closure = NonInstructionalDay(
        calendar=calendar,
        district_id=calendar.district_id,
        start_date=start_date,
        end_date=end_date,
        kind=kind,
        label=label,
    )
    closure.full_clean()
    closure.save()
    return closure


@transaction.atomic
def closure_remove(*, closure: NonInstructionalDay) -> None:
    closure.delete()


@transaction.atomic
def school_profile_save(*, profile: SchoolProfile) -> SchoolProfile:
    SchoolYear.ensure(profile.school_year_id)
    profile.district_id = profile.school.district_id
    profile.full_clean()
    profile.save()
    return profile


def district_profiles_carry_forward(
    *,
    district: District,
    to_year: int,
    actor: User | None,
    report: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Start ``to_year``'s characteristics from each school's latest earlier year.

    Schools that already have a profile for ``to_year`` are left as they are.
    Works set by set: one read of the latest profiles, then a bulk insert per batch.
    """
    SchoolYear.ensure(to_year)
    schools = list(
        School.objects.filter(district=district)
        .exclude(profiles__school_year_id=to_year)
        .values_list("pk", flat=True)
    )
    latest: dict[int, SchoolProfile] = {}
    for profile in SchoolProfile.objects.filter(
        school_id__in=schools, school_year_id__lt=to_year
    ).order_by("school_id", "-school_year_id"):
        latest.setdefault(profile.school_id, profile)
    total = len(schools)
    report(0, total)
    created = 0
    for start in range(0, total, CARRY_FORWARD_BATCH):
        batch = schools[start : start + CARRY_FORWARD_BATCH]
        rows = [
            SchoolProfile(
                school_id=school_id,
                district_id=district.pk,
                school_year_id=to_year,
                lowest_grade=source.lowest_grade,
                highest_grade=source.highest_grade,
                locale=source.locale,
                enrollment=source.enrollment,
                pct_low_income=source.pct_low_income,
                pct_english_learners=source.pct_english_learners,
                pct_iep=source.pct_iep,
                federal_designation=source.federal_designation,
            )
            for school_id in batch
            if (source := latest.get(school_id)) is not None
        ]
        with transaction.atomic():
            bulk_create_with_history(rows, SchoolProfile, default_user=actor)
        created += len(rows)
        report(min(start + len(batch), total), total)
    return created
