"""seed_demo and demo_signins, at tiny scale (the state scale is measured in bench/)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F, Model
from django.utils import timezone
from pytest_django.fixtures import Settings

from leadhub.accounts.models import User
from leadhub.demo.names import FIRST_NAMES, LAST_NAMES, NamePool
from leadhub.demo.plan import build_plan
from leadhub.demo.scales import DEMO, STATE, TINY
from leadhub.demo.signins import KNOWN_SIGNINS
from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    Membership,
    NonInstructionalDay,
    ProgramParticipation,
    School,
    SchoolProfile,
    SchoolYear,
    SpecialProgram,
    State,
)
from leadhub.orgs.schoolyears import school_year_of

pytestmark = pytest.mark.django_db

ANCHOR_YEAR = 2026


def seed(scale: str = "tiny") -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", scale, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table Django knows, historical tables included.

    Models that other test modules declare without a table are skipped.
    """
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


SNAPSHOT_MODELS: tuple[type[Model], ...] = (
    User,
    Membership,
    District,
    HubServiceArea,
    School,
    SchoolProfile,
    DistrictCalendar,
    NonInstructionalDay,
)


def full_rows() -> dict[str, list[dict[str, object]]]:
    """Every column of every row of a few tables, to catch keys that change or rows updated."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in SNAPSHOT_MODELS
    }


def test_a_second_run_creates_and_changes_nothing() -> None:
    first_output = seed()
    assert "Created" in first_output
    counts, rows = row_counts(), full_rows()

    second_output = seed()

    assert "nothing to create" in second_output
    assert row_counts() == counts
    assert full_rows() == rows


def test_the_build_adds_every_kind_of_row_with_history() -> None:
    before = row_counts()
    seed()
    after = row_counts()
    grown = {label for label in after if after[label] > before[label]}
    for model in (
        State, Hub, District, HubServiceArea, School, SpecialProgram, ProgramParticipation,
        SchoolProfile, DistrictCalendar, NonInstructionalDay, User, Membership,
    ):  # fmt: skip
        history = model.history.model  # type: ignore[attr-defined]
        assert model._meta.label in grown
        added = after[model._meta.label] - before[model._meta.label]
        assert after[history._meta.label] - before[history._meta.label] == added
    reasons = Counter(
        School.history.values_list(  # type: ignore[attr-defined]
            "history_change_reason", "history_user", "history_type"
        )
    )
    assert reasons[("demo seed", None, "+")] == 4


def test_every_demo_signin_signs_in_with_the_demo_password() -> None:
    seed()
    for signin in KNOWN_SIGNINS:
        user = authenticate(email=signin.email, password=settings.LEADHUB_DEMO_PASSWORD)
        assert user is not None, signin.email
        assert Membership.objects.current().filter(user=user, role=signin.role).exists()
    assert authenticate(email="teacher@leadhub.demo", password="not-the-password") is None


def test_demo_signins_are_connected() -> None:
    seed()
    current = Membership.objects.current()
    by_email = {
        m.user.email: m
        for m in current.filter(user__email__endswith="@leadhub.demo").select_related("user")
    }
    school_ids = {
        by_email[email].school_id
        for email in (
            "principal@leadhub.demo",
            "assistant.principal@leadhub.demo",
            "teacher@leadhub.demo",
            "instructional.coach@leadhub.demo",
        )
    }
    assert len(school_ids) == 1
    school = School.objects.get(pk=school_ids.pop())
    assert by_email["district.leader@leadhub.demo"].district_id == school.district_id
    serving_hub = HubServiceArea.objects.active_on(timezone.localdate()).get(
        district_id=school.district_id
    )
    for email in (
        "hub.director@leadhub.demo",
        "hub.coach@leadhub.demo",
        "network.facilitator@leadhub.demo",
    ):
        assert by_email[email].hub_id == serving_hub.hub_id
    assert User.objects.get(email="state.admin@leadhub.demo").is_staff


def test_school_scoped_rows_carry_their_schools_district() -> None:
    seed()
    for model in (SchoolProfile, SpecialProgram, ProgramParticipation):
        assert not model.objects.exclude(district_id=F("school__district_id")).exists()
    school_memberships = Membership.objects.filter(school__isnull=False)
    assert school_memberships.exists()
    assert not school_memberships.exclude(district_id=F("school__district_id")).exists()
    assert not NonInstructionalDay.objects.exclude(district_id=F("calendar__district_id")).exists()


def test_people_history_and_dated_assignments() -> None:
    seed()
    il_districts = District.objects.filter(parent_state__code="IL")
    ended = Membership.objects.filter(end_date__isnull=False, district__in=il_districts)
    assert ended.exists(), "a teacher who moved schools keeps the earlier membership"
    mover = ended.first()
    assert mover is not None
    later = Membership.objects.get(user=mover.user, end_date__isnull=True)
    assert later.school_id != mover.school_id
    assert later.start_date == mover.end_date + dt.timedelta(days=1)

    switched = HubServiceArea.objects.filter(district__in=il_districts, end_date__isnull=False)
    assert switched.count() == 1
    district_areas = HubServiceArea.objects.filter(district=switched.get().district)
    assert district_areas.values("hub").distinct().count() == 2


def test_calendars_hold_a_full_illinois_year() -> None:
    seed()
    calendars = DistrictCalendar.objects.filter(district__parent_state__code="IL")
    assert calendars.count() == 3 * TINY.profile_years
    for calendar in calendars:
        calendar.full_clean()
        assert calendar.first_day.month == 8 and 10 <= calendar.first_day.day <= 31
        assert (calendar.last_day.month, calendar.last_day.day) >= (5, 20)
        assert calendar.last_day.month <= 6
        assert calendar.instructional_day_count() == 176
        labels = set(calendar.closures.values_list("label", flat=True))
        assert {"Labor Day", "Thanksgiving break", "Winter break", "Spring break"} <= labels
        assert {"Martin Luther King Jr. Day", "Teacher institute day"} <= labels


def test_profiles_are_valid_and_drift_between_years() -> None:
    seed()
    profiles = SchoolProfile.objects.filter(district__parent_state__code="IL")
    assert profiles.count() == 4 * TINY.profile_years
    for profile in profiles:
        profile.full_clean()
        assert profile.pct_low_income.as_tuple().exponent == -1
    by_school: dict[int, set[int]] = {}
    for school_id, enrollment in profiles.values_list("school_id", "enrollment"):
        by_school.setdefault(school_id, set()).add(enrollment)
    assert any(len(enrollments) > 1 for enrollments in by_school.values())


def test_refuses_to_run_in_production(settings: Settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=r"refuses to run in production"):
        seed()
    assert not State.objects.filter(code="IL").exists()


def test_a_new_school_year_only_adds_that_years_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    today = timezone.localdate()
    seed()
    before = row_counts()
    next_year_day = dt.date(school_year_of(today), 9, 15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: next_year_day)

    seed()

    after = row_counts()
    grown = {label for label in after if after[label] != before[label]}
    per_year = {SchoolYear, SchoolProfile, DistrictCalendar, NonInstructionalDay}
    allowed = {model._meta.label for model in per_year}
    allowed |= {model.history.model._meta.label for model in per_year - {SchoolYear}}  # type: ignore[attr-defined]
    assert grown and grown <= allowed
    assert SchoolYear.objects.filter(year=school_year_of(next_year_day)).exists()


def test_demo_signins_lists_every_signin_and_the_password() -> None:
    out = io.StringIO()
    call_command("demo_signins", stdout=out)
    assert "seed_demo" in out.getvalue()

    seed()
    out = io.StringIO()
    call_command("demo_signins", stdout=out)
    listing = out.getvalue()
    for signin in KNOWN_SIGNINS:
        assert signin.email in listing
    assert settings.LEADHUB_DEMO_PASSWORD in listing


# The plan itself, without the database ---------------------------------------------


def test_the_plan_is_the_same_every_time() -> None:
    assert build_plan(TINY, ANCHOR_YEAR) == build_plan(TINY, ANCHOR_YEAR)
    first, second = build_plan(DEMO, ANCHOR_YEAR), build_plan(DEMO, ANCHOR_YEAR)
    assert first == second
    assert [p.email for p in first.people] == [p.email for p in second.people]


def test_demo_scale_has_the_promised_shape() -> None:
    plan = build_plan(DEMO, ANCHOR_YEAR)
    assert len(plan.hubs) == 6
    assert len(plan.districts) == 30
    assert 120 <= len(plan.schools) <= 180
    emails = [person.email for person in plan.people]
    assert len(emails) == len(set(emails))
    assert all(email == email.lower() for email in emails)
    assert len({school.nces_id for school in plan.schools}) == len(plan.schools)
    districts = {d.state_id: d for d in plan.districts}
    assert all(s.nces_id[:7] == districts[s.district_state_id].nces_id for s in plan.schools)
    roles = Counter(m.role for m in plan.memberships)
    assert set(roles) == {signin.role for signin in KNOWN_SIGNINS}


def test_smaller_scales_are_part_of_larger_ones() -> None:
    tiny, demo = build_plan(TINY, ANCHOR_YEAR), build_plan(DEMO, ANCHOR_YEAR)
    for field in ("hubs", "districts", "schools", "profiles", "calendars", "people"):
        assert set(getattr(tiny, field)) <= set(getattr(demo, field)), field


def test_a_years_profiles_do_not_depend_on_the_year_of_the_build() -> None:
    this_year, next_year = build_plan(DEMO, ANCHOR_YEAR), build_plan(DEMO, ANCHOR_YEAR + 1)
    shared = {p for p in this_year.profiles if p.year >= ANCHOR_YEAR - 2}
    assert shared <= set(next_year.profiles)
    assert {p.email for p in this_year.people} == {p.email for p in next_year.people}


def test_names_are_distinct_and_known_signins_stand_apart() -> None:
    pool = NamePool("example.k12.il.us")
    names = {pool.name_at(position) for position in range(5000)}
    assert len(names) == 5000
    for signin in KNOWN_SIGNINS:
        first, last = signin.full_name.split(" ", 1)
        assert first not in FIRST_NAMES or last not in LAST_NAMES, signin.full_name


def test_state_scale_is_configured_without_demo_passwords() -> None:
    assert not STATE.demo_passwords and not STATE.record_history
