from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group

from leadhub.accounts.models import User
from leadhub.core.admin_site import LeadHubModelAdmin


@admin.register(User)
class UserAdmin(LeadHubModelAdmin):
    list_display = ["full_name", "email", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fields = ["email", "full_name", "preferred_name", "is_active", "is_staff", "deactivated_at"]
    readonly_fields = ["deactivated_at"]


# Groups and allauth's email rows play no part in LeadHub's access model (roles are
# dated memberships), so the admin does not offer them.
for model in (Group, EmailAddress):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
