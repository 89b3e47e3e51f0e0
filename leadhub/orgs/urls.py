from django.urls import path

from leadhub.orgs import views

app_name = "orgs"

urlpatterns = [
    path("hubs/", views.hub_list, name="hub_list"),
    path("hubs/<slug:slug>/", views.hub_detail, name="hub_detail"),
    path("districts/<int:pk>/", views.district_detail, name="district_detail"),
    path(
        "districts/<int:pk>/characteristics/carry-forward/",
        views.district_carry_forward,
        name="district_carry_forward",
    ),
    path(
        "districts/<int:pk>/schools.csv",
        views.district_schools_download,
        {"fmt": "csv"},
        name="district_schools_csv",
    ),
    path(
        "districts/<int:pk>/schools.xlsx",
        views.district_schools_download,
        {"fmt": "xlsx"},
        name="district_schools_xlsx",
    ),
    path("districts/<int:pk>/calendar/<int:year>/", views.calendar_edit, name="calendar_edit"),
    path(
        "districts/<int:pk>/calendar/<int:year>/days-off/",
        views.closure_add,
        name="closure_add",
    ),
    path(
        "districts/<int:pk>/calendar/<int:year>/days-off/<int:closure_pk>/delete/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/staff/", views.school_staff, name="school_staff"),
    path("schools/<int:pk>/fact-sheet.pdf", views.school_fact_sheet, name="school_fact_sheet"),
    path(
        "schools/<int:pk>/characteristics/<int:year>/",
        views.school_profile_edit,
        name="school_profile_edit",
    ),
]
