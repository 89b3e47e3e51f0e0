from django.urls import path

from leadhub.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_create, name="create"),
    path("<uuid:pk>/", views.import_detail, name="detail"),
    path("<uuid:pk>/check/", views.import_check, name="check"),
    path("<uuid:pk>/commit/", views.import_commit, name="commit"),
    path("<uuid:pk>/columns/", views.import_remap, name="remap"),
    path("<uuid:pk>/cancel/", views.import_cancel, name="cancel"),
    path("<uuid:pk>/progress/", views.import_progress, name="progress"),
    path("<uuid:pk>/problems.csv", views.import_problems, name="problems"),
]
