from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("leadhub.core.urls")),
    path("", include("leadhub.orgs.urls")),
    path("people/", include("leadhub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("sso/", include("leadhub.accounts.sso_urls")),
    path("invitations/", include("leadhub.invitations.urls")),
    path("audit/", include("leadhub.audit.urls")),
    path("files/", include("leadhub.files.urls")),
    path("my-work/", include("leadhub.work.urls")),
    path("teams/", include("leadhub.teams.urls")),
    path("meetings/", include("leadhub.meetings.urls")),
    path("data/", include("leadhub.lifecycle.urls")),
    path("students/", include("leadhub.students.urls")),
    path("imports/", include("leadhub.imports.urls")),
    path("rosters/", include("leadhub.rosters.urls")),
    path("measures/", include("leadhub.measures.urls")),
    path("surveys/", include("leadhub.surveys.urls")),
    path("health/", include("leadhub.health.urls")),
    path("plans/", include("leadhub.plans.urls")),
    path("strategy/", include("leadhub.strategy.urls")),
    path("api/", include("leadhub.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "leadhub.core.views.bad_request"
handler403 = "leadhub.core.views.permission_denied"
handler404 = "leadhub.core.views.page_not_found"
handler500 = "leadhub.core.views.server_error"
