from django.urls import path

from leadhub.students import views

app_name = "students"

urlpatterns = [
    path("", views.student_list, name="student_list"),
    path("export.csv", views.student_export, {"fmt": "csv"}, name="student_export_csv"),
    path("export.xlsx", views.student_export, {"fmt": "xlsx"}, name="student_export_xlsx"),
    path("<int:pk>/", views.student_detail, name="student_detail"),
    path("classes/<int:pk>/", views.section_detail, name="section_detail"),
    path("schools/<int:pk>/summary/", views.school_summary, name="school_summary"),
]
