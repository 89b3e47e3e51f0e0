from django.urls import path

from leadhub.meetings.views import agenda

urlpatterns = [
    path("<int:pk>/agenda/", agenda.agenda_edit, name="agenda_edit"),
    path("items/<int:pk>/edit/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path("items/<int:pk>/delete/", agenda.agenda_item_delete, name="agenda_item_delete"),
    path("items/<int:pk>/move/", agenda.agenda_item_move, name="agenda_item_move"),
    path("<int:pk>/agenda/send/", agenda.agenda_send, name="agenda_send"),
    path("<int:pk>/next-agenda/", agenda.agenda_draft_next, name="agenda_draft_next"),
    path("teams/<int:team_pk>/intake/", agenda.intake_list, name="intake_list"),
    path("teams/<int:team_pk>/intake/new/", agenda.intake_propose, name="intake_propose"),
    path("intake/mine/", agenda.my_proposals, name="my_proposals"),
    path("intake/<int:pk>/", agenda.intake_detail, name="intake_detail"),
    path("intake/<int:pk>/accept/", agenda.intake_accept, name="intake_accept"),
    path("intake/<int:pk>/answer/", agenda.intake_answer, name="intake_answer"),
]
