from django.urls import path

from leadhub.meetings.views import live

urlpatterns = [
    path("<int:pk>/", live.meeting_detail, name="meeting_detail"),
    path("<int:pk>/start/", live.meeting_start, name="meeting_start"),
    path("<int:pk>/end/", live.meeting_end, name="meeting_end"),
    path("<int:pk>/times/", live.meeting_times, name="meeting_times"),
    path("<int:pk>/attendance/", live.attendance, name="attendance"),
    path("<int:pk>/attendance/guests/", live.guest_add, name="guest_add"),
    path("items/<int:pk>/timer/", live.item_timer, name="item_timer"),
    path("items/<int:pk>/notes/", live.item_notes, name="item_notes"),
    path("items/<int:pk>/status/", live.item_status, name="item_status"),
    path("<int:pk>/decisions/new/", live.decision_create, name="decision_create"),
    path("decisions/<int:pk>/edit/", live.decision_edit, name="decision_edit"),
    path("<int:pk>/actions/new/", live.action_create, name="action_create"),
    path("actions/<int:pk>/status/", live.action_status, name="action_status"),
    path("<int:pk>/log/", live.meeting_log, name="meeting_log"),
    path("teams/<int:team_pk>/log/", live.meeting_log_new, name="meeting_log_new"),
]
