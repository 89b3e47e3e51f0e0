from django.urls import path

from leadhub.files import views

app_name = "files"

urlpatterns = [
    path("schools/<int:pk>/", views.school_files, name="school_files"),
    path("<uuid:pk>/", views.download, name="download"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
]
