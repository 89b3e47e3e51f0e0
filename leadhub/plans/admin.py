"""Improvement plans in the admin: to look at, not to edit. A plan's content and its
approval change on the plan's pages, which keep versions, record every transition and
audit each change; editing a row here would bypass all three."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.plans.models import Goal, IndicatorSet, PlanTransition, SchoolPlan


class ReadOnlyAdmin(LeadHubModelAdmin):
    """For models with a change history (simple-history)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyPlainAdmin(admin.ModelAdmin):
    """For models without a change history: state administrators look, nobody edits."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ReadOnlyPlainAdmin):
    list_display = ["name", "state", "district", "builtin", "updated_at"]
    list_filter = ["builtin"]
    search_fields = ["name"]


@admin.register(SchoolPlan)
class SchoolPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "school_year", "status", "current_number", "updated_at"]
    list_filter = ["status", "school_year"]
    list_select_related = ["school"]
    search_fields = ["title", "school__name", "district__name"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["outcome", "plan", "measure", "student_group", "retired"]
    list_filter = ["retired"]
    list_select_related = ["plan", "measure", "student_group"]
    search_fields = ["outcome", "plan__title"]


@admin.register(PlanTransition)
class PlanTransitionAdmin(ReadOnlyPlainAdmin):
    list_display = ["plan", "version_number", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["plan", "actor"]
