"""The only gate to organization records: hubs, districts, schools and their staff lists.

Each ``*_visible_to`` returns what a person may list; each ``*_get_for_user``
returns one record or raises 404 when it is missing or out of scope; each
``*_can_*`` answers whether an in-scope person may change it (403 when not).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import District, Hub, HubServiceArea, Role, School
from leadhub.orgs.scope import org_scope_for

Person = User | AnonymousUser


def hubs_visible_to(user: Person) -> QuerySet[Hub]:
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return Hub.objects.all()
    serving_led_districts = HubServiceArea.objects.active_on(timezone.localdate()).filter(
        district_id__in=scope.led_district_ids
    )
    return Hub.objects.filter(
        Q(pk__in=scope.hub_ids) | Q(pk__in=serving_led_districts.values("hub_id"))
    )


def hub_get_for_user(user: Person, slug: str) -> Hub:
    hub = hubs_visible_to(user).filter(slug=slug).first()
    return hub if hub is not None else not_found()


def districts_visible_to(user: Person) -> QuerySet[District]:
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.org_district_ids)


def district_get_for_user(user: Person, pk: int) -> District:
    district = districts_visible_to(user).filter(pk=pk).first()
    return district if district is not None else not_found()


def district_can_manage(user: Person, district: District) -> bool:
    scope = org_scope_for(user)
    return scope.is_state_admin or district.pk in scope.led_district_ids


def district_require_manage(user: Person, district: District) -> None:
    if not district_can_manage(user, district):
        forbidden("Only the district's leaders can change its calendar and school records.")


def schools_visible_to(user: Person) -> QuerySet[School]:
    """School pages (name, yearly characteristics, programs) are readable across a district."""
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return School.objects.all()
    return School.objects.filter(district_id__in=scope.org_district_ids)


def school_get_for_user(user: Person, pk: int) -> School:
    school = schools_visible_to(user).select_related("district").filter(pk=pk).first()
    return school if school is not None else not_found()


def school_staff_visible(user: Person, school: School) -> bool:
    scope = org_scope_for(user)
    return (
        scope.is_state_admin
        or school.district_id in scope.staff_district_ids
        or school.pk in scope.staff_school_ids
    )


def school_staff_get_for_user(user: Person, pk: int) -> School:
    """The staff list is for the school's own staff and those who serve or lead it."""
    school = school_get_for_user(user, pk)
    return school if school_staff_visible(user, school) else not_found()


def school_can_edit(user: Person, school: School) -> bool:
    scope = org_scope_for(user)
    return (
        scope.is_state_admin
        or school.district_id in scope.led_district_ids
        or Role.PRINCIPAL in scope.roles_at_school(school.pk)
    )


def school_require_edit(user: Person, school: School) -> None:
    if not school_can_edit(user, school):
        forbidden("Only the principal and district leaders can change this school's records.")
