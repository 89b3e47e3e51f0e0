from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "leadhub.invitations"
    label = "invitations"
