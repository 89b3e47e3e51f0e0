from django.urls import path

from leadhub.rosters import views

app_name = "rosters"

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("<uuid:pk>/", views.import_detail, name="import_detail"),
    path("<uuid:pk>/report.csv", views.import_report, name="import_report"),
    path("<uuid:pk>/run/", views.import_run, name="import_run"),
]
