from django.urls import path

from leadhub.strategy.views import alignment, diagram, plans

app_name = "strategy"

urlpatterns = [
    path("", plans.home, name="home"),
    path("new/", plans.create, name="create"),
    path("<int:pk>/", plans.plan_page, name="plan"),
    path("<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("<int:pk>/analysis/", plans.analysis, name="analysis"),
    path("<int:pk>/theories/new/", plans.theory_new, name="theory_new"),
    path("theories/<int:pk>/", plans.theory, name="theory"),
    path("<int:pk>/road-map/", plans.road_map, name="road_map"),
    path("<int:pk>/capacity/", plans.capacity, name="capacity"),
    path("<int:pk>/driver-diagram/", diagram.diagram_page, name="diagram"),
    path("<int:pk>/driver-diagram/aim/", diagram.aim_edit, name="aim_edit"),
    path("<int:pk>/driver-diagram/nodes/", diagram.node_add, name="node_add"),
    path("driver-nodes/<int:pk>/", diagram.node_edit, name="node_edit"),
    path("driver-nodes/<int:pk>/move/", diagram.node_move, name="node_move"),
    path("driver-nodes/<int:pk>/delete/", diagram.node_delete, name="node_delete"),
    path("districts/<int:pk>/line-of-sight/", alignment.line_of_sight, name="line_of_sight"),
]
