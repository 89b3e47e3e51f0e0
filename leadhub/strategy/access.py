"""The only gate to strategic plans, theories of action, driver diagrams, road maps, the
capacity-building framework and the line-of-sight view.

A district's plan is written by the district's leaders. While it is a draft it is read by
them and by the staff of the hub that serves the district; once in use it is read by
everyone whose organization records reach the district (its schools' staff among them,
so a school can name the district strategy its goals serve) and by the state's
administrators. A hub's plan is written by the hub's director; its staff read it, and
once in use so do the leaders of the districts it serves and the state's administrators.

The line of sight runs from a district's strategies down to school goals and the ILT work
on them; it is for the district's leaders, the serving hub's staff and the state's
administrators. Out of reach is 404; within reach but not allowed is 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import District, HubServiceArea, Role
from leadhub.orgs.scope import OrgScope, org_scope_for
from leadhub.strategy.models import (
    DriverDiagram,
    StrategicPlan,
    StrategicPlanStatus,
    TheoryOfAction,
)
from leadhub.teams.access import HUB_READER_ROLES, Person


@dataclass(frozen=True)
class StrategyAccess:
    read: bool = False
    edit: bool = False


NO_ACCESS = StrategyAccess()


def _state_admin_of(scope: OrgScope, state_id: int) -> bool:
    return scope.is_state_admin and state_id in scope.state_ids


def _district_readers(scope: OrgScope, district: District, *, in_use: bool) -> bool:
    if district.pk in scope.led_district_ids:
        return True
    if bool(scope.roles & HUB_READER_ROLES) and district.pk in scope.served_district_ids:
        return True
    return in_use and (
        district.pk in scope.org_district_ids or _state_admin_of(scope, district.parent_state_id)
    )


def _hub_served_districts_led(scope: OrgScope, hub_id: int) -> bool:
    if not scope.led_district_ids:
        return False
    return (
        HubServiceArea.objects.active_on(timezone.localdate())
        .filter(hub_id=hub_id, district_id__in=scope.led_district_ids)
        .exists()
    )


def strategic_plan_access(user: Person, plan: StrategicPlan) -> StrategyAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    scope = org_scope_for(user)
    in_use = plan.status != StrategicPlanStatus.DRAFT
    if plan.district_id is not None:
        district = plan.district
        assert district is not None  # noqa: S101 - strategic_plan_one_owner
        return StrategyAccess(
            read=_district_readers(scope, district, in_use=in_use),
            edit=district.pk in scope.led_district_ids,
        )
    hub = plan.hub
    assert hub is not None  # noqa: S101 - strategic_plan_one_owner
    hub_staff = plan.hub_id in scope.hub_ids and scope.is_hub_staff
    return StrategyAccess(
        read=hub_staff
        or (
            in_use
            and (_state_admin_of(scope, hub.state_id) or _hub_served_districts_led(scope, hub.pk))
        ),
        edit=plan.hub_id in scope.hub_ids and Role.HUB_DIRECTOR in scope.roles,
    )


def strategic_plan_get_for_user(user: Person, pk: int) -> tuple[StrategicPlan, StrategyAccess]:
    plan = StrategicPlan.objects.select_related("district", "hub", "diagram").filter(pk=pk).first()
    if plan is None:
        not_found()
    access = strategic_plan_access(user, plan)
    if not access.read:
        not_found()
    return plan, access


def strategic_plans_visible_to(user: Person) -> QuerySet[StrategicPlan]:
    """The plans the person may open (the rules of :func:`strategic_plan_access`)."""
    if not user.is_authenticated or not user.is_active:
        return StrategicPlan.objects.none()
    scope = org_scope_for(user)
    in_use = ~Q(status=StrategicPlanStatus.DRAFT)
    condition = Q(district_id__in=scope.led_district_ids)
    if scope.roles & HUB_READER_ROLES:
        condition |= Q(district_id__in=scope.served_district_ids)
    condition |= in_use & Q(district_id__in=scope.org_district_ids)
    if scope.is_hub_staff:
        condition |= Q(hub_id__in=scope.hub_ids)
    if scope.led_district_ids:
        serving = HubServiceArea.objects.active_on(timezone.localdate()).filter(
            district_id__in=scope.led_district_ids
        )
        condition |= in_use & Q(hub_id__in=serving.values("hub_id"))
    if scope.is_state_admin:
        condition |= in_use & (
            Q(district__parent_state_id__in=scope.state_ids) | Q(hub__state_id__in=scope.state_ids)
        )
    return StrategicPlan.objects.filter(condition)


def diagram_get_for_user(user: Person, pk: int) -> tuple[DriverDiagram, StrategyAccess]:
    diagram = (
        DriverDiagram.objects.select_related("plan__district", "plan__hub").filter(pk=pk).first()
    )
    if diagram is None:
        not_found()
    access = strategic_plan_access(user, diagram.plan)
    if not access.read:
        not_found()
    return diagram, access


def theory_get_for_user(user: Person, pk: int) -> tuple[TheoryOfAction, StrategyAccess]:
    """A theory of action is read and written with the plan it belongs to."""
    theory = (
        TheoryOfAction.objects.select_related("strategic_plan__district", "strategic_plan__hub")
        .filter(pk=pk)
        .first()
    )
    if theory is None or theory.strategic_plan is None:
        not_found()
    access = strategic_plan_access(user, theory.strategic_plan)
    if not access.read:
        not_found()
    return theory, access


def may_start_plan_for_district(user: Person, district: District) -> bool:
    return user.is_authenticated and district.pk in org_scope_for(user).led_district_ids


def districts_planned_by(user: Person) -> QuerySet[District]:
    return District.objects.filter(pk__in=org_scope_for(user).led_district_ids)


def hubs_planned_by(user: Person) -> list[int]:
    scope = org_scope_for(user)
    return sorted(scope.hub_ids) if Role.HUB_DIRECTOR in scope.roles else []


def reads_line_of_sight(user: Person, district: District) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    scope = org_scope_for(user)
    return (
        district.pk in scope.led_district_ids
        or (bool(scope.roles & HUB_READER_ROLES) and district.pk in scope.served_district_ids)
        or _state_admin_of(scope, district.parent_state_id)
    )


def district_get_for_line_of_sight(user: Person, pk: int) -> District:
    district = District.objects.filter(pk=pk).first()
    if district is None or not reads_line_of_sight(user, district):
        not_found()
    return district


def require(allowed: bool, reason: str) -> None:
    """403 with ``reason`` unless ``allowed``: the person sees the page but may not do this."""
    if not allowed:
        forbidden(reason)
