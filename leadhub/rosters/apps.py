from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "leadhub.rosters"
    label = "rosters"
    verbose_name = "Rosters (OneRoster)"
