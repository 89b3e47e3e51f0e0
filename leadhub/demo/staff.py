"""The people of the demo state and their memberships, every role at every level.

A person is fixed by a slot: the state's, a hub's or a district's email domain and a
position within it (school 3's principal, school 3's fifth teacher). The slot gives
the name, so names never collide within a domain and do not depend on how many
other people a scale generates. The published demo sign-ins take the slots of
their roles at the first hub, district and school.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from leadhub.demo.names import NICKNAMES, NamePool, email_local_part, rng_for
from leadhub.demo.organizations import (
    ELEMENTARY,
    HIGH,
    MIDDLE,
    DistrictBlueprint,
    HubBlueprint,
    OrganizationTree,
    SchoolBlueprint,
    in_demo_scale,
)
from leadhub.demo.records import MembershipRecord, PersonRecord, StateRecord
from leadhub.demo.scales import DEMO, Scale
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.orgs.models import Role
from leadhub.orgs.schoolyears import school_year_bounds

STATE_DOMAIN = "state-board.k12.il.us"
# Positions in a district's name pool: leaders first, then a block per school.
DISTRICT_LEADER_SLOTS = 4
SLOTS_PER_SCHOOL = 256
MAX_TEACHERS = SLOTS_PER_SCHOOL - 3
ASSISTANT_PRINCIPAL_FROM_ENROLLMENT = 450
FIRST_SCHOOL = (0, 0, 0)
ZONE = zoneinfo.ZoneInfo("America/Chicago")

_GRADES = ["Kindergarten"] + [f"Grade {grade}" for grade in range(1, 6)]
TEACHER_TITLES = {
    ELEMENTARY: [f"{grade} teacher" for grade in _GRADES]
    + [
        "Special education teacher",
        "ESL teacher",
        "Reading interventionist",
        "Music teacher",
        "Art teacher",
        "Physical education teacher",
    ],
    MIDDLE: [
        f"Grade {grade} {subject} teacher"
        for grade in (6, 7, 8)
        for subject in ("math", "science", "English language arts", "social studies")
    ]
    + ["Special education teacher", "Band director", "Physical education teacher"],
    HIGH: [
        "English teacher",
        "Algebra teacher",
        "Geometry teacher",
        "Biology teacher",
        "Chemistry teacher",
        "Physics teacher",
        "U.S. history teacher",
        "Spanish teacher",
        "Special education teacher",
        "Health sciences teacher",
        "Agriculture teacher",
        "Art teacher",
        "Choir director",
        "Physical education teacher",
        "Computer science teacher",
        "Economics teacher",
    ],
}
COACH_TITLES = ["Instructional coach", "Literacy coach", "Math coach"]


@dataclass
class StaffRoster:
    people: list[PersonRecord] = field(default_factory=list)
    memberships: list[MembershipRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    """One person to generate, and the draws that vary between people."""

    pool: NamePool
    domain: str
    position: int
    role: str
    org_key: str
    title: str
    years_back: int
    nickname_roll: float
    public_id: uuid.UUID
    is_known_slot: bool


@dataclass(frozen=True)
class SlotDrawer:
    """Draws the slots of one email domain (or one school in it) from one generator."""

    rng: random.Random
    domain: str
    pool: NamePool

    @classmethod
    def for_domain(cls, rng: random.Random, domain: str) -> SlotDrawer:
        return cls(rng=rng, domain=domain, pool=NamePool(domain))

    def draw(
        self,
        position: int,
        role: str,
        org_key: str,
        titles: list[str],
        *,
        tenure: float,
        known: bool = False,
    ) -> Slot:
        rng = self.rng
        # The same four draws for every slot, so each sequence stays in step across scales.
        return Slot(
            pool=self.pool,
            domain=self.domain,
            position=position,
            role=role,
            org_key=org_key,
            title=rng.choice(titles),
            years_back=min(int(rng.expovariate(1 / tenure)), 15),
            nickname_roll=rng.random(),
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            is_known_slot=known,
        )


def teacher_count(scale: Scale, school: SchoolBlueprint) -> int:
    if scale.is_tiny:
        return 3
    rng = rng_for("teacher-count", school.key)
    if not scale.is_state:
        return rng.randint(8, 14)
    per_teacher = {ELEMENTARY: 14.0, MIDDLE: 15.5, HIGH: 17.0}[school.level]
    students = school.record.base_enrollment * rng.uniform(0.92, 1.08)
    count = max(4, round(students / per_teacher))
    if in_demo_scale(school.position):
        count = max(count, teacher_count(DEMO, school))  # keep every demo teacher
    return min(MAX_TEACHERS, count)


class StaffBuilder:
    def __init__(self, scale: Scale, anchor_year: int) -> None:
        self.scale = scale
        self.anchor_year = anchor_year
        self.roster = StaffRoster()
        self.known_start = self.start_of(anchor_year - 2)

    def start_of(self, year: int) -> dt.date:
        return school_year_bounds(year)[0]

    def add(
        self, slot: Slot, *, start: dt.date | None = None, joined: dt.date | None = None
    ) -> str:
        """Add the person in ``slot`` with one current membership; returns their email."""
        start = start or self.start_of(self.anchor_year - slot.years_back)
        known = KNOWN_BY_ROLE[slot.role] if slot.is_known_slot else None
        if known is not None:
            email, full_name, preferred, title = known.email, known.full_name, "", known.title
            start = self.known_start
        else:
            first, last = slot.pool.name_at(slot.position)
            email = f"{email_local_part(first, last)}@{slot.domain}"
            full_name = f"{first} {last}"
            nickname = NICKNAMES.get(first, "")
            preferred = nickname if slot.nickname_roll < 0.4 else ""
            title = slot.title
        self.roster.people.append(
            PersonRecord(
                email=email,
                full_name=full_name,
                preferred_name=preferred,
                public_id=slot.public_id,
                is_staff=slot.role == Role.STATE_ADMIN,
                is_known_signin=known is not None,
                joined=joined or start,
            )
        )
        self.roster.memberships.append(
            MembershipRecord(email, slot.role, slot.org_key, title, start, None)
        )
        return email

    def add_state_staff(self, state: StateRecord) -> None:
        rng = rng_for("state-staff")
        drawer = SlotDrawer.for_domain(rng, STATE_DOMAIN)
        admins, evaluators = rng.randint(1, 2), rng.randint(1, 2)
        admin_titles = ["Director of school support", "State systems administrator"]
        evaluator_titles = ["Program evaluator", "Research and evaluation lead"]
        for index in range(admins):
            self.add(
                drawer.draw(
                    index, Role.STATE_ADMIN, state.code, admin_titles, tenure=5, known=index == 0
                )
            )
        for index in range(evaluators):
            self.add(
                drawer.draw(
                    2 + index,
                    Role.EVALUATOR,
                    state.code,
                    evaluator_titles,
                    tenure=4,
                    known=index == 0,
                )
            )

    def add_hub_staff(self, hub: HubBlueprint) -> None:
        drawer = SlotDrawer.for_domain(rng_for("hub-staff", hub.index), hub.record.email_domain)
        roles = [(Role.HUB_DIRECTOR, ["Hub director"])]
        roles += [(Role.HUB_COACH, ["Leadership coach", "Improvement coach"])] * hub.coach_count
        roles += [(Role.NETWORK_FACILITATOR, ["Network facilitator"])]
        for position, (role, titles) in enumerate(roles):
            # At the first hub, the director, the first coach and the facilitator are known.
            known = hub.index == 0 and (position <= 1 or role == Role.NETWORK_FACILITATOR)
            self.add(drawer.draw(position, role, hub.record.slug, titles, tenure=4, known=known))

    def add_district_leaders(self, district: DistrictBlueprint) -> None:
        drawer = SlotDrawer.for_domain(
            rng_for("district-staff", district.key), district.record.email_domain
        )
        titles = [["Superintendent"], ["Assistant superintendent for teaching and learning"]]
        for index in range(district.leader_count):
            known = district.position == (0, 0) and index == 0
            self.add(
                drawer.draw(
                    index,
                    Role.DISTRICT_LEADER,
                    district.record.state_id,
                    titles[index],
                    tenure=5,
                    known=known,
                )
            )

    def school_slots(self, school: SchoolBlueprint, school_index: int) -> Iterator[Slot]:
        drawer = SlotDrawer.for_domain(
            rng_for("school-staff", school.key), school.district.record.email_domain
        )
        base = DISTRICT_LEADER_SLOTS + school_index * SLOTS_PER_SCHOOL
        first = school.position == FIRST_SCHOOL
        org = school.record.state_id
        yield drawer.draw(base, Role.PRINCIPAL, org, ["Principal"], tenure=4, known=first)
        if first or school.record.base_enrollment >= ASSISTANT_PRINCIPAL_FROM_ENROLLMENT:
            yield drawer.draw(
                base + 1,
                Role.ASSISTANT_PRINCIPAL,
                org,
                ["Assistant principal"],
                tenure=3,
                known=first,
            )
        if first or rng_for("coach", school.key).random() < 0.5:
            yield drawer.draw(
                base + 2, Role.INSTRUCTIONAL_COACH, org, COACH_TITLES, tenure=3, known=first
            )
        titles = TEACHER_TITLES[school.level]
        for index in range(teacher_count(self.scale, school)):
            yield drawer.draw(
                base + 3 + index, Role.TEACHER, org, titles, tenure=6, known=first and index == 0
            )

    def add_school_staff(self, schools: list[SchoolBlueprint]) -> None:
        """All staff of one district's schools; in some districts a teacher changed schools."""
        for school_index, school in enumerate(schools):
            for slot in self.school_slots(school, school_index):
                if school_index == 1 and school.district.has_mover and self.is_mover(slot):
                    self.add_mover(slot, moved_from=schools[0])
                else:
                    self.add(slot)

    @staticmethod
    def is_mover(slot: Slot) -> bool:
        """The second school's first teacher came from the first school two years ago."""
        return slot.position == DISTRICT_LEADER_SLOTS + SLOTS_PER_SCHOOL + 3

    @staticmethod
    def earlier_title(slot: Slot, moved_from: SchoolBlueprint) -> str:
        titles = TEACHER_TITLES[moved_from.level]
        return slot.title if slot.title in titles else titles[slot.position % len(titles)]

    def add_mover(self, slot: Slot, *, moved_from: SchoolBlueprint) -> None:
        hired = self.start_of(self.anchor_year - 6)
        email = self.add(slot, start=self.start_of(self.anchor_year - 1), joined=hired)
        self.roster.memberships.append(
            MembershipRecord(
                email,
                Role.TEACHER,
                moved_from.record.state_id,
                self.earlier_title(slot, moved_from),
                hired,
                school_year_bounds(self.anchor_year - 2)[1],
            )
        )


def staff_roster(
    scale: Scale, anchor_year: int, state: StateRecord, tree: OrganizationTree
) -> StaffRoster:
    builder = StaffBuilder(scale, anchor_year)
    builder.add_state_staff(state)
    for hub in tree.hubs:
        builder.add_hub_staff(hub)
    schools_by_district: dict[str, list[SchoolBlueprint]] = {}
    for school in tree.schools:
        schools_by_district.setdefault(school.district.record.state_id, []).append(school)
    for district in tree.districts:
        builder.add_district_leaders(district)
        builder.add_school_staff(schools_by_district.get(district.record.state_id, []))
    return builder.roster


def joined_at(day: dt.date) -> dt.datetime:
    """Accounts are dated at 8 a.m. on the first day of the person's first membership."""
    return dt.datetime.combine(day, dt.time(8), tzinfo=ZONE)
