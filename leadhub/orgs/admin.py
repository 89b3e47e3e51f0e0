from django.contrib import admin

from leadhub.core.admin_site import LeadHubModelAdmin
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
    SpecialProgram,
    State,
)


@admin.register(State)
class StateAdmin(LeadHubModelAdmin):
    list_display = ["name", "code", "time_zone"]


@admin.register(Hub)
class HubAdmin(LeadHubModelAdmin):
    list_display = ["name", "host_organization", "state"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(HubServiceArea)
class HubServiceAreaAdmin(LeadHubModelAdmin):
    list_display = ["hub", "district", "start_date", "end_date"]
    list_filter = ["hub"]
    autocomplete_fields = ["district", "hub"]


@admin.register(District)
class DistrictAdmin(LeadHubModelAdmin):
    list_display = ["name", "state_id", "nces_id", "time_zone"]
    search_fields = ["name", "state_id", "nces_id"]


@admin.register(School)
class SchoolAdmin(LeadHubModelAdmin):
    list_display = ["name", "district", "state_id", "nces_id"]
    search_fields = ["name", "state_id", "nces_id"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


@admin.register(SchoolProfile)
class SchoolProfileAdmin(LeadHubModelAdmin):
    list_display = ["school", "school_year", "enrollment", "locale", "federal_designation"]
    list_filter = ["school_year", "locale", "federal_designation"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    exclude = ["district"]


@admin.register(DistrictCalendar)
class DistrictCalendarAdmin(LeadHubModelAdmin):
    list_display = ["district", "school_year", "first_day", "last_day"]
    list_filter = ["school_year"]


@admin.register(NonInstructionalDay)
class NonInstructionalDayAdmin(LeadHubModelAdmin):
    list_display = ["label", "calendar", "start_date", "end_date", "kind"]


@admin.register(SpecialProgram)
class SpecialProgramAdmin(LeadHubModelAdmin):
    list_display = ["school", "kind", "name"]
    list_filter = ["kind"]


@admin.register(ProgramParticipation)
class ProgramParticipationAdmin(LeadHubModelAdmin):
    list_display = ["school", "hub", "start_year", "end_year", "support_tier"]
    list_filter = ["hub", "support_tier"]


@admin.register(Membership)
class MembershipAdmin(LeadHubModelAdmin):
    list_display = ["user", "role", "organization", "start_date", "end_date"]
    list_filter = ["role", "level"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user", "school", "district", "hub"]
