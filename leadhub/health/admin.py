"""Team health in the admin: to look at, not to edit. A district's figures change on its
standards page, which checks them, guards against two leaders saving at once and audits the
change; snapshots are computed, and rewritten whenever their team is recomputed."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.health.models import HealthSnapshot, IndicatorStandard


@admin.register(IndicatorStandard)
class IndicatorStandardAdmin(LeadHubModelAdmin):
    list_display = ["district", "team_kind", "indicator", "expectation", "strong", "developing"]
    list_display += ["min_data", "version", "updated_at"]
    list_filter = ["team_kind", "indicator"]
    list_select_related = ["district"]
    search_fields = ["district__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(admin.ModelAdmin[HealthSnapshot]):
    list_display = ["team", "month", "indicator", "year_status", "year_value", "year_band"]
    list_display += ["recent_status", "recent_value", "recent_band", "computed_at"]
    list_filter = ["team_kind", "indicator", "year_band", "month"]
    list_select_related = ["team"]
    search_fields = ["team__name", "school__name", "district__name"]
    date_hierarchy = "month"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
