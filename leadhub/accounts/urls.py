from django.urls import path

from leadhub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.people_directory, name="people_directory"),
    path("security/", views.account_security, name="security"),
    path("<uuid:public_id>/", views.person_detail, name="person_detail"),
]
