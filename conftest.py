"""Shared test set-up: a small world of organizations and the personas every test uses.

The world is built once per test session, in the test database, before any test
runs; each test then runs inside a transaction that is rolled back, so the world
is the same for every test. Tests never seed the full demo.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory, give_totp
from leadhub.core.models import TaskProgress
from leadhub.health.signals import health_refresh_paused
from leadhub.meetings.tests.world import build_team_world
from leadhub.orgs.models import District, DistrictCalendar, Hub, School
from leadhub.orgs.tests.factories import (
    DistrictCalendarFactory,
    DistrictFactory,
    HubFactory,
    HubServiceAreaFactory,
    MembershipFactory,
    NonInstructionalDayFactory,
    ProgramParticipationFactory,
    SchoolFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
    SpecialProgramFactory,
    StateFactory,
    current_year,
)
from leadhub.plans.tests.world import build_plan_world
from leadhub.students.tests.world import build_student_world


@dataclass
class World:
    """Hub 1 serves district 1 (schools 1 and 2); hub 2 serves district 2 (school 3)."""

    hub: Hub
    other_hub: Hub
    district: District
    other_district: District
    school: School
    sibling_school: School
    other_school: School
    calendar: DistrictCalendar
    year: int
    people: dict[str, User] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def persona(self, name: str) -> User | None:
        return self.people.get(name)


@health_refresh_paused()  # fixture data: no background recomputation queued for it
def build_world() -> World:
    today = timezone.localdate()
    year = current_year()
    state = StateFactory()
    hub = HubFactory(state=state, name="North Test Hub", slug="north-test-hub")
    other_hub = HubFactory(state=state, name="South Test Hub", slug="south-test-hub")
    district = DistrictFactory(parent_state=state, name="Maple Grove CUSD 1")
    other_district = DistrictFactory(parent_state=state, name="Far River SD 2")
    HubServiceAreaFactory(hub=hub, district=district)
    HubServiceAreaFactory(hub=other_hub, district=other_district)
    school = SchoolFactory(district=district, name="Lincoln Elementary")
    sibling_school = SchoolFactory(district=district, name="Douglass Middle")
    other_school = SchoolFactory(district=other_district, name="Riverside High")
    for y in (year - 1, year):
        SchoolProfileFactory(school=school, school_year=SchoolYearFactory(year=y))
    SchoolProfileFactory(school=sibling_school, school_year=SchoolYearFactory(year=year - 1))
    calendar = DistrictCalendarFactory(district=district, school_year=SchoolYearFactory(year=year))
    closure = NonInstructionalDayFactory(calendar=calendar)
    SpecialProgramFactory(school=school)
    ProgramParticipationFactory(school=school, hub=hub, start_year=SchoolYearFactory(year=year))

    def person(key: str, role: str, **org: Any) -> User:
        user = UserFactory(
            email=f"{key.replace('_', '.')}@world.test",
            full_name=key.replace("_", " ").title(),
            is_staff=role == "state_admin",
        )
        MembershipFactory(user=user, role=role, **org)
        return user

    people = {
        "state_admin": person("state_admin", "state_admin", state=state),
        "evaluator": person("evaluator", "evaluator", state=state),
        "hub_director": person("hub_director", "hub_director", hub=hub),
        "hub_coach": person("hub_coach", "hub_coach", hub=hub),
        "network_facilitator": person("network_facilitator", "network_facilitator", hub=hub),
        "district_leader": person("district_leader", "district_leader", district=district),
        "principal": person("principal", "principal", school=school, district=district),
        "assistant_principal": person(
            "assistant_principal", "assistant_principal", school=school, district=district
        ),
        "teacher": person("teacher", "teacher", school=school, district=district),
        "instructional_coach": person(
            "instructional_coach", "instructional_coach", school=school, district=district
        ),
        "other_school_teacher": person(
            "other_school_teacher", "teacher", school=sibling_school, district=district
        ),
        "outsider": person("outsider", "principal", school=other_school, district=other_district),
    }
    # State and hub roles must use two-factor sign-in; their personas have set it up.
    for key in ("state_admin", "evaluator", "hub_director", "hub_coach", "network_facilitator"):
        give_totp(people[key])
    progress = TaskProgress.objects.create(
        kind="test", label="A task the principal started", owner=people["principal"]
    )
    former = UserFactory(email="former.teacher@world.test", full_name="Former Teacher")
    MembershipFactory(
        user=former,
        role="teacher",
        school=school,
        district=district,
        start_date=today - dt.timedelta(days=900),
        end_date=today - dt.timedelta(days=400),
    )
    objects = {"closure": closure, "progress": progress, "former": former}
    objects.update(build_team_world(hub=hub, district=district, school=school, people=people))
    objects.update(
        build_student_world(
            district=district,
            other_district=other_district,
            school=school,
            sibling_school=sibling_school,
            other_school=other_school,
            people=people,
            year=year,
            teams=objects,
        )
    )
    objects.update(
        build_plan_world(
            hub=hub,
            district=district,
            school=school,
            sibling_school=sibling_school,
            people=people,
            year=year,
            teams=objects,
        )
    )
    return World(
        hub=hub,
        other_hub=other_hub,
        district=district,
        other_district=other_district,
        school=school,
        sibling_school=sibling_school,
        other_school=other_school,
        calendar=calendar,
        year=year,
        people=people,
        objects=objects,
    )


_WORLD: dict[str, World] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _WORLD["world"] = build_world()


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _private_media(settings: Any, _media_root: Path) -> None:
    """Uploads made by tests go to a temporary folder of their own, never into var/private.

    Not ``tmp_path``: pytest lists every earlier test's folder to number a new one, which
    costs more with each test; the storage makes this folder on the first upload."""
    settings.MEDIA_ROOT = _media_root / uuid.uuid4().hex


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Throttling counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    """The session's world, with its people fetched afresh and its records copied, so no
    test sees another's edits: a test that changes or refreshes a record in memory changes
    its own copy (a model instance's copy has its own field values and cache)."""
    built = _WORLD["world"]
    fresh = {u.pk: u for u in User.objects.filter(pk__in=[p.pk for p in built.people.values()])}
    return replace(
        built,
        people={name: fresh[p.pk] for name, p in built.people.items()},
        objects={
            key: copy.copy(value) if isinstance(value, Model) else value
            for key, value in built.objects.items()
        },
    )


@pytest.fixture
def client_for(world: World) -> Any:
    """``client_for("principal")`` is a test client signed in as that persona."""

    def make(persona: str) -> Client:
        client = Client()
        user = world.persona(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing is deliberately slow in production; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
