from django.urls import path

from leadhub.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<uuid:pk>/", views.task_detail, name="task_detail"),
]
