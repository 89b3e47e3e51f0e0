from django.urls import path

from leadhub.meetings.views import records

urlpatterns = [
    path("<int:pk>/minutes/", records.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", records.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/minutes/approve/", records.minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/send/", records.minutes_send, name="minutes_send"),
    path("teams/<int:team_pk>/actions/", records.team_actions, name="team_actions"),
    path(
        "teams/<int:team_pk>/actions.csv",
        records.team_actions_download,
        {"fmt": "csv"},
        name="team_actions_csv",
    ),
    path(
        "teams/<int:team_pk>/actions.xlsx",
        records.team_actions_download,
        {"fmt": "xlsx"},
        name="team_actions_xlsx",
    ),
    path("actions/<int:pk>/", records.action_detail, name="action_detail"),
    path("report-backs/<int:pk>/", records.report_back, name="report_back"),
    path("teams/<int:team_pk>/coverage/", records.coverage, name="coverage"),
]
