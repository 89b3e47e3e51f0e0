"""The whole demo state for one scale and one school year, as plain values.

``build_plan`` is pure: the same scale and anchor year always give equal plans.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadhub.demo import school_details
from leadhub.demo.organizations import STATE, organization_tree
from leadhub.demo.records import (
    CalendarRecord,
    DistrictRecord,
    HubRecord,
    MembershipRecord,
    ParticipationRecord,
    PersonRecord,
    ProfileRecord,
    SchoolRecord,
    ServiceAreaRecord,
    SpecialProgramRecord,
    StateRecord,
)
from leadhub.demo.scales import YEARS_OF_HISTORY, Scale
from leadhub.demo.staff import staff_roster


@dataclass(frozen=True)
class DemoPlan:
    scale: Scale
    anchor_year: int
    state: StateRecord
    school_years: tuple[int, ...]
    hubs: tuple[HubRecord, ...]
    districts: tuple[DistrictRecord, ...]
    service_areas: tuple[ServiceAreaRecord, ...]
    schools: tuple[SchoolRecord, ...]
    special_programs: tuple[SpecialProgramRecord, ...]
    participations: tuple[ParticipationRecord, ...]
    profiles: tuple[ProfileRecord, ...]
    calendars: tuple[CalendarRecord, ...]
    people: tuple[PersonRecord, ...]
    memberships: tuple[MembershipRecord, ...]


def build_plan(scale: Scale, anchor_year: int) -> DemoPlan:
    """Everything the demo holds when the current school year is ``anchor_year``."""
    tree = organization_tree(scale)
    profile_years = range(anchor_year - scale.profile_years + 1, anchor_year + 1)
    special_programs: list[SpecialProgramRecord] = []
    participations: list[ParticipationRecord] = []
    profiles: list[ProfileRecord] = []
    for school in tree.schools:
        traits = school_details.SchoolTraits(school)
        special_programs += school_details.special_programs(school, traits)
        participations += school_details.participations(school, traits, tree.hubs, anchor_year)
        profiles += [school_details.profile(school, traits, year) for year in profile_years]
    calendars = [
        calendar
        for district in tree.districts
        for calendar in school_details.calendars(district, profile_years)
    ]
    roster = staff_roster(scale, anchor_year, STATE, tree)
    return DemoPlan(
        scale=scale,
        anchor_year=anchor_year,
        state=STATE,
        school_years=tuple(range(anchor_year - YEARS_OF_HISTORY, anchor_year + 1)),
        hubs=tuple(hub.record for hub in tree.hubs),
        districts=tuple(district.record for district in tree.districts),
        service_areas=tuple(school_details.service_areas(tree.districts, tree.hubs, anchor_year)),
        schools=tuple(school.record for school in tree.schools),
        special_programs=tuple(special_programs),
        participations=tuple(participations),
        profiles=tuple(profiles),
        calendars=tuple(calendars),
        people=tuple(roster.people),
        memberships=tuple(roster.memberships),
    )
