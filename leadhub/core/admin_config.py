from django.contrib.admin.apps import AdminConfig


class LeadHubAdminConfig(AdminConfig):
    """The Django admin, restricted to state administrators by LeadHubAdminSite."""

    default_site = "leadhub.core.admin_site.LeadHubAdminSite"
