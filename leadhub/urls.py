from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("leadhub.core.urls")),
    path("", include("leadhub.orgs.urls")),
    path("people/", include("leadhub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "leadhub.core.views.bad_request"
handler403 = "leadhub.core.views.permission_denied"
handler404 = "leadhub.core.views.page_not_found"
handler500 = "leadhub.core.views.server_error"
