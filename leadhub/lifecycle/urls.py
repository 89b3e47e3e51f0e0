from django.urls import path

from leadhub.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("districts/<int:pk>/", views.district_data, name="district_data"),
    path("districts/<int:pk>/export/", views.export_start, name="export_start"),
    path("exports/<uuid:pk>/", views.export_download, name="export_download"),
    path("disposals/<uuid:pk>/", views.disposal_detail, name="disposal_detail"),
]
