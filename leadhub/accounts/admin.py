from django.contrib import admin

from leadhub.accounts.models import User
from leadhub.core.admin_site import LeadHubModelAdmin


@admin.register(User)
class UserAdmin(LeadHubModelAdmin):
    list_display = ["full_name", "email", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fields = ["email", "full_name", "preferred_name", "is_active", "is_staff", "deactivated_at"]
    readonly_fields = ["deactivated_at"]
