from django.urls import path

from leadhub.work import views

app_name = "work"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
