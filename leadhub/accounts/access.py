"""The only gate to people: who appears in a person's directory and profile pages."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.orgs.access import district_can_manage
from leadhub.orgs.models import HUB_ROLES, District, HubServiceArea, Membership, Role
from leadhub.orgs.scope import org_scope_for

Person = User | AnonymousUser


def people_visible_to(user: Person) -> QuerySet[User]:
    """People with a current membership somewhere the viewer's scope reaches, and themselves.

    School staff see their school's staff and their district's leaders; district
    leaders their district and the hub staff who serve it; hub staff their hub and
    service area; state administrators everyone. Evaluators see only themselves.
    """
    if not user.is_authenticated:
        return User.objects.none()
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return User.objects.all()
    today = timezone.localdate()
    current = Membership.objects.active_on(today)
    reach = Q(pk=user.pk)
    if scope.hub_ids:
        reach |= Q(pk__in=current.filter(hub_id__in=scope.hub_ids).values("user_id"))
    if scope.staff_district_ids:
        reach |= Q(
            pk__in=current.filter(district_id__in=scope.staff_district_ids).values("user_id")
        )
    if scope.led_district_ids:
        serving_hubs = HubServiceArea.objects.active_on(today).filter(
            district_id__in=scope.led_district_ids
        )
        reach |= Q(
            pk__in=current.filter(
                hub_id__in=serving_hubs.values("hub_id"), role__in=HUB_ROLES
            ).values("user_id")
        )
    if scope.staff_school_ids:
        reach |= Q(pk__in=current.filter(school_id__in=scope.staff_school_ids).values("user_id"))
        reach |= Q(
            pk__in=current.filter(
                district_id__in=scope.staff_school_district_ids, role=Role.DISTRICT_LEADER
            ).values("user_id")
        )
    return User.objects.filter(reach)


def person_get_for_user(user: Person, public_id: uuid.UUID) -> User:
    person = people_visible_to(user).filter(public_id=public_id).first()
    return person if person is not None else not_found()


def district_sign_in_require_manage(user: Person, district: District) -> None:
    """A district's single sign-on is set by its own leaders and by state administrators."""
    if not district_can_manage(user, district):
        forbidden("Only the district's leaders and state administrators can set its sign-in.")
