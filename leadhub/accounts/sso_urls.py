from django.urls import path

from leadhub.accounts import sso_views

app_name = "sso"

urlpatterns = [
    path("", sso_views.choose_district, name="choose"),
    path("districts/<int:pk>/", sso_views.district_settings, name="district_settings"),
]
