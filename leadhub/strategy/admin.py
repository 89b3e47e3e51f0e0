"""Strategic plans in the admin: to look at. They change on their pages, which guard
against two people saving at once and audit every change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.strategy.models import StrategicPlan


@admin.register(StrategicPlan)
class StrategicPlanAdmin(LeadHubModelAdmin):
    list_display = ["title", "district", "hub", "first_year", "last_year", "status"]
    list_filter = ["status"]
    list_select_related = ["district", "hub"]
    search_fields = ["title", "district__name", "hub__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
