from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "leadhub.teams"
    label = "teams"
    verbose_name = "Teams"
