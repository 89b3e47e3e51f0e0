from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from leadhub.api import views, viewsets
from leadhub.api.versioning import CURRENT_VERSION
from leadhub.measures import api as measures_api
from leadhub.meetings import api as meetings_api
from leadhub.plans import api as plans_api
from leadhub.strategy import api as strategy_api

app_name = "api"

router = SimpleRouter()
router.register("hubs", viewsets.HubViewSet, basename="hub")
router.register("districts", viewsets.DistrictViewSet, basename="district")
router.register("schools", viewsets.SchoolViewSet, basename="school")
router.register("school-years", viewsets.SchoolYearViewSet, basename="school-year")
router.register("people", viewsets.PersonViewSet, basename="person")
router.register("teams", meetings_api.TeamViewSet, basename="team")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("agenda-items", meetings_api.AgendaItemViewSet, basename="agenda-item")
router.register("decisions", meetings_api.DecisionViewSet, basename="decision")
router.register("action-items", meetings_api.ActionItemViewSet, basename="action-item")
router.register("measures", measures_api.MeasureViewSet, basename="measure")
router.register("measure-values", measures_api.MeasureValueViewSet, basename="measure-value")
router.register("plans", plans_api.SchoolPlanViewSet, basename="plan")
router.register("plan-goals", plans_api.GoalViewSet, basename="plan-goal")
router.register("plan-checkpoints", plans_api.CheckpointViewSet, basename="plan-checkpoint")
router.register("strategic-plans", strategy_api.StrategicPlanViewSet, basename="strategic-plan")
router.register("driver-diagrams", strategy_api.DriverDiagramViewSet, basename="driver-diagram")

version_1 = [*router.urls, path("me/", viewsets.MeView.as_view(), name="me")]

urlpatterns = [
    path("v1/", include((version_1, CURRENT_VERSION))),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            api_version=CURRENT_VERSION,
            versioning_class=None,
            authentication_classes=viewsets.AUTHENTICATION,
            permission_classes=[IsAuthenticated],
        ),
        name="schema",
    ),
    path("docs/", views.api_docs, name="docs"),
    path("tokens/", views.api_tokens, name="tokens"),
]
