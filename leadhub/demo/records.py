"""The demo state as plain values, before anything touches the database.

Each record names what it belongs to by natural key (a hub's slug, a district's or
school's state identifier, a person's email), which is also how the builder finds
what already exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import NamedTuple

from leadhub.demo.calendars import Closure


class StateRecord(NamedTuple):
    code: str
    name: str
    time_zone: str


class HubRecord(NamedTuple):
    slug: str
    name: str
    host_organization: str
    email_domain: str


class DistrictRecord(NamedTuple):
    state_id: str
    name: str
    nces_id: str
    time_zone: str
    email_domain: str
    hub_slug: str  # the hub that serves it today


class ServiceAreaRecord(NamedTuple):
    district_state_id: str
    hub_slug: str
    start_date: dt.date
    end_date: dt.date | None


class SchoolRecord(NamedTuple):
    state_id: str
    district_state_id: str
    name: str
    nces_id: str
    city: str
    level: str  # elementary, middle or high: decides grades, titles and programs
    base_enrollment: int


class SpecialProgramRecord(NamedTuple):
    school_state_id: str
    kind: str
    name: str


class ParticipationRecord(NamedTuple):
    school_state_id: str
    hub_slug: str
    start_year: int
    end_year: int | None
    support_tier: str


class ProfileRecord(NamedTuple):
    school_state_id: str
    year: int
    lowest_grade: str
    highest_grade: str
    locale: str
    enrollment: int
    pct_low_income: Decimal
    pct_english_learners: Decimal
    pct_iep: Decimal
    federal_designation: str


class CalendarRecord(NamedTuple):
    district_state_id: str
    year: int
    first_day: dt.date
    last_day: dt.date
    closures: tuple[Closure, ...]


class PersonRecord(NamedTuple):
    email: str
    full_name: str
    preferred_name: str
    public_id: uuid.UUID
    is_staff: bool
    is_known_signin: bool
    joined: dt.date


class MembershipRecord(NamedTuple):
    email: str
    role: str
    org_key: str  # state code, hub slug, district or school state identifier, by role level
    title: str
    start_date: dt.date
    end_date: dt.date | None
