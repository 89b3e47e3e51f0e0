from django.urls import path

from leadhub.meetings.views import roles

urlpatterns = [
    path("<int:pk>/roles/", roles.meeting_roles, name="meeting_roles"),
    path("teams/<int:team_pk>/roles/", roles.role_history, name="role_history"),
]
