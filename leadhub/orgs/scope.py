"""A person's organizational scope, computed from their current memberships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.orgs.models import HUB_ROLES, HubServiceArea, Membership, Role


@dataclass(frozen=True)
class OrgScope:
    """Where a person's organization-tree scope reaches today."""

    roles: frozenset[str] = frozenset()
    state_ids: frozenset[int] = frozenset()
    hub_ids: frozenset[int] = frozenset()
    led_district_ids: frozenset[int] = frozenset()
    served_district_ids: frozenset[int] = frozenset()
    staff_school_ids: frozenset[int] = frozenset()
    staff_school_district_ids: frozenset[int] = frozenset()
    school_roles: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_state_admin(self) -> bool:
        return Role.STATE_ADMIN in self.roles

    @property
    def reads_state_org_records(self) -> bool:
        return bool(self.roles & {Role.STATE_ADMIN, Role.EVALUATOR})

    @property
    def is_hub_staff(self) -> bool:
        return bool(self.roles & HUB_ROLES)

    @property
    def org_district_ids(self) -> frozenset[int]:
        """Districts whose organization records this person may read."""
        return self.led_district_ids | self.served_district_ids | self.staff_school_district_ids

    @property
    def staff_district_ids(self) -> frozenset[int]:
        """Districts whose every school's staff lists this person may read."""
        return self.led_district_ids | self.served_district_ids

    def roles_at_school(self, school_id: int) -> frozenset[str]:
        return self.school_roles.get(school_id, frozenset())


EMPTY_SCOPE = OrgScope()


def org_scope_for(user: User | AnonymousUser, *, on: dt.date | None = None) -> OrgScope:
    """The scope of ``user`` on ``on`` (today by default), cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    day = on or timezone.localdate()
    cache: dict[dt.date, OrgScope] = user.__dict__.setdefault("_org_scope_cache", {})
    if day not in cache:
        cache[day] = _compute_scope(user, day)
    return cache[day]


def _compute_scope(user: User, day: dt.date) -> OrgScope:
    memberships = list(
        Membership.objects.active_on(day)
        .filter(user=user)
        .values("role", "state_id", "hub_id", "district_id", "school_id")
    )
    hub_ids = frozenset(m["hub_id"] for m in memberships if m["hub_id"])
    served = (
        frozenset(
            HubServiceArea.objects.active_on(day)
            .filter(hub_id__in=hub_ids)
            .values_list("district_id", flat=True)
        )
        if hub_ids
        else frozenset()
    )
    school_roles: dict[int, set[str]] = {}
    for m in memberships:
        if m["school_id"]:
            school_roles.setdefault(m["school_id"], set()).add(m["role"])
    staff_school_ids = frozenset(school_roles)
    return OrgScope(
        roles=frozenset(m["role"] for m in memberships),
        state_ids=frozenset(m["state_id"] for m in memberships if m["state_id"]),
        hub_ids=hub_ids,
        led_district_ids=frozenset(
            m["district_id"] for m in memberships if m["role"] == Role.DISTRICT_LEADER
        ),
        served_district_ids=served,
        staff_school_ids=staff_school_ids,
        staff_school_district_ids=frozenset(
            m["district_id"] for m in memberships if m["school_id"]
        ),
        school_roles={k: frozenset(v) for k, v in school_roles.items()},
    )
