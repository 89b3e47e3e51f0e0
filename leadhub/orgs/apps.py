from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "leadhub.orgs"
    label = "orgs"
    verbose_name = "Organizations"
