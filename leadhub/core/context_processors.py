from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from leadhub.health.access import teams_with_health_visible_to
from leadhub.imports.access import import_places_for
from leadhub.invitations.access import can_invite_anyone
from leadhub.orgs.models import Membership
from leadhub.orgs.scope import org_scope_for
from leadhub.rosters.access import roster_districts_for
from leadhub.strategy.access import strategic_plans_visible_to
from leadhub.students.access import student_reach
from leadhub.surveys.access import survey_schools_visible_to
from leadhub.teams.access import SCHOOL_MANAGER_ROLES, teams_visible_to


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main navigation, by role: my school, my district, my hub, people, admin."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = org_scope_for(user)
    items: list[tuple[str, str]] = [
        ("Home", reverse("core:home")),
        ("My work", reverse("work:inbox")),
    ]
    works_in_teams = bool(scope.staff_school_ids or scope.led_district_ids or scope.hub_ids)
    if works_in_teams or teams_visible_to(user).exists():
        items.append(("Meetings", reverse("meetings:my_meetings")))
        items.append(("Teams", reverse("teams:team_list")))
    if scope.is_state_admin or teams_with_health_visible_to(user).exists():
        items.append(("Team health", reverse("health:home")))
    plans_leader = bool(scope.led_district_ids) or scope.is_hub_staff or scope.is_state_admin
    if plans_leader or scope.staff_school_ids:
        items.append(("Plans", reverse("plans:home")))
    if plans_leader or (
        scope.roles & SCHOOL_MANAGER_ROLES and strategic_plans_visible_to(user).exists()
    ):
        items.append(("Strategy", reverse("strategy:home")))
    if scope.roles:
        items.append(("Data", reverse("measures:home")))
    if student_reach(user).any:
        items.append(("Students", reverse("students:student_list")))
    if scope.staff_school_ids or survey_schools_visible_to(user).exists():
        items.append(("Surveys", reverse("surveys:list")))
    if import_places_for(user):
        items.append(("Imports", reverse("imports:list")))
    elif roster_districts_for(user).exists():
        items.append(("Imports", reverse("rosters:import_list")))
    memberships = (
        Membership.objects.current()
        .filter(user=user)
        .select_related("school", "district", "hub")
        .order_by("start_date")
    )
    schools = {m.school for m in memberships if m.school}
    districts = {m.district for m in memberships if m.district and m.level == "district"}
    hubs = {m.hub for m in memberships if m.hub}
    for school in sorted(schools, key=str)[:2]:
        label = "My school" if len(schools) == 1 else school.name
        items.append((label, school.get_absolute_url()))
    for district in sorted(districts, key=str)[:2]:
        label = "My district" if len(districts) == 1 else district.name
        items.append((label, district.get_absolute_url()))
    if schools and not districts:
        district = sorted(schools, key=str)[0].district
        items.append(("My district", district.get_absolute_url()))
    for hub in sorted(hubs, key=str)[:2]:
        items.append(("My hub" if len(hubs) == 1 else hub.name, hub.get_absolute_url()))
    if scope.reads_state_org_records:
        items.append(("Hubs", reverse("orgs:hub_list")))
    if can_invite_anyone(user):
        items.append(("Invite staff", reverse("invitations:list")))
    items.append(("People", reverse("accounts:people_directory")))
    if scope.is_state_admin:
        items.append(("Audit log", reverse("audit:list")))
    if scope.is_state_admin and user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    current = request.path
    active = max(
        (url for _, url in items if current.startswith(url) and url != "/"),
        key=len,
        default="/" if current == "/" else "",
    )
    return {"nav_items": [(label, url, url == active) for label, url in items]}
