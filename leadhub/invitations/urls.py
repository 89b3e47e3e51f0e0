from django.urls import path

from leadhub.invitations import views

app_name = "invitations"

urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("new/", views.invitation_create, name="create"),
    path("new/list/", views.invitation_bulk, name="bulk"),
    path("<int:pk>/resend/", views.invitation_resend, name="resend"),
    path("<int:pk>/revoke/", views.invitation_revoke, name="revoke"),
    path("accept/<str:token>/", views.invitation_accept, name="accept"),
    path("schools/<int:pk>/staff/", views.school_staff, name="school_staff"),
    path(
        "schools/<int:pk>/staff/<uuid:public_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
]
