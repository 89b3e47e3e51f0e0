from django.urls import path

from leadhub.meetings.views import schedule

urlpatterns = [
    path("", schedule.my_meetings, name="my_meetings"),
    path("teams/<int:team_pk>/", schedule.team_meetings, name="team_meetings"),
    path("teams/<int:team_pk>/new/", schedule.meeting_create, name="meeting_create"),
    path("teams/<int:team_pk>/series/new/", schedule.series_create, name="series_create"),
    path("series/<int:pk>/edit/", schedule.series_edit, name="series_edit"),
    path("<int:pk>/reschedule/", schedule.meeting_reschedule, name="meeting_reschedule"),
    path("<int:pk>/cancel/", schedule.meeting_cancel, name="meeting_cancel"),
    path("calendar/", schedule.feed_links, name="feed_links"),
    path("calendar/new/", schedule.feed_link_create, name="feed_link_create"),
    path("calendar/<int:pk>/revoke/", schedule.feed_link_revoke, name="feed_link_revoke"),
    path("calendar/<str:token>.ics", schedule.feed, name="feed"),
]
