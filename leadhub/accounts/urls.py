from django.urls import path

from leadhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.people_directory, name="people_directory"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
]
