from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from leadhub.core.history import is_confidential


class LeadHubAdminSite(admin.AdminSite):
    """The Django admin is for state administrators only."""

    site_header = "LeadHub administration"
    site_title = "LeadHub admin"
    index_title = "State administration"

    def has_permission(self, request: HttpRequest) -> bool:
        from leadhub.orgs.scope import org_scope_for

        user = request.user
        return bool(user.is_active and user.is_staff and org_scope_for(user).is_state_admin)


class LeadHubModelAdmin(SimpleHistoryAdmin):
    """Shows no confidential field, on any page of the admin, history included."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded + [f.name for f in self.model._meta.get_fields() if is_confidential(f)]

    # State administrators (the only people the site lets in) manage every record here,
    # without Django's per-model permission rows.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are ended or deactivated, not deleted; a district purge is the one way out.
        return False
