from django.urls import path

from leadhub.health.views import across, self_assessment, standards, team

app_name = "health"

urlpatterns = [
    path("", team.home, name="home"),
    path("teams/<int:pk>/", team.team_health, name="team"),
    path("teams/<int:pk>/evidence/<slug:indicator>/", team.evidence, name="evidence"),
    path(
        "teams/<int:pk>/self-assessment/",
        self_assessment.self_assessment,
        name="self_assessment",
    ),
    path(
        "teams/<int:pk>/self-assessment/new/",
        self_assessment.self_assessment_start,
        name="self_assessment_start",
    ),
    path("schools/<int:pk>/", across.school_health, name="school"),
    path("districts/<int:pk>/", across.district_health, name="district"),
    path("districts/<int:pk>/export.csv", across.district_export, name="district_export"),
    path("districts/<int:pk>/standards/", standards.standards_edit, name="standards"),
    path("hubs/<int:pk>/", across.hub_health, name="hub"),
    path("hubs/<int:pk>/export.csv", across.hub_export, name="hub_export"),
]
