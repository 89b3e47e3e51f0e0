from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

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
# dated memberships), so the admin does not offer them. District sign-in apps are set on
# each district's sign-in page, which never shows their client secret again; LeadHub
# stores no provider tokens.
for model in (Group, EmailAddress, SocialApp, SocialToken, Authenticator):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Authenticator)
class ResettableAuthenticatorAdmin(AuthenticatorAdmin):
    """A state administrator removes the authenticator of someone who lost their phone, who
    then sets up a new one; the secret inside it is never shown, and none is added here."""

    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
