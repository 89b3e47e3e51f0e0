"""Meeting URLs, one module per area of the work (schedule, roles, live, agenda, records)."""

from leadhub.meetings.urls import agenda, live, records, roles, schedule

app_name = "meetings"

urlpatterns = [
    *schedule.urlpatterns,
    *roles.urlpatterns,
    *live.urlpatterns,
    *agenda.urlpatterns,
    *records.urlpatterns,
]
