from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.teams.models import Team, TeamMembership


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fk_name = "team"
    extra = 0
    fields = ["user", "role", "community_kind", "represents_team", "represents_program"]
    fields += ["start_date", "end_date"]
    autocomplete_fields = ["user"]
    show_change_link = True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Memberships end (a last day), they are never deleted.
        return False


@admin.register(Team)
class TeamAdmin(LeadHubModelAdmin):
    list_display = ["name", "kind", "school", "district", "hub", "archived_on"]
    list_filter = ["kind", "level"]
    list_select_related = ["school", "district", "hub"]
    search_fields = ["name", "school__name", "district__name", "hub__name"]
    autocomplete_fields = ["school", "district", "hub"]
    readonly_fields = ["level"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(LeadHubModelAdmin):
    list_display = ["user", "team", "role", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["user", "team"]
    search_fields = ["user__full_name", "user__email", "team__name"]
    autocomplete_fields = ["user", "team", "represents_team"]
    exclude = ["district"]
