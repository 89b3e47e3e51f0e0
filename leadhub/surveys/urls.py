from django.urls import path

from leadhub.surveys.views import administrations, answering

app_name = "surveys"

urlpatterns = [
    path("", administrations.survey_list, name="list"),
    path("schools/<int:school_pk>/new/", administrations.administration_create, name="create"),
    path("schools/<int:school_pk>/new-statement/", administrations.own_item_add, name="item_add"),
    path("schools/<int:school_pk>/trends/", administrations.school_trends, name="trends"),
    path("<int:pk>/", administrations.administration_detail, name="detail"),
    path("<int:pk>/edit/", administrations.administration_edit, name="edit"),
    path("<int:pk>/send/", administrations.administration_send, name="send"),
    path("<int:pk>/close/", administrations.administration_close, name="close"),
    path("<int:pk>/answer/", answering.answer, name="answer"),
    # The emailed link: exchanged for a note in the session, then a clean address.
    path("r/<str:token>/", answering.survey_link, name="link"),
    path("r/", answering.link_not_valid, name="link_not_valid"),
]
