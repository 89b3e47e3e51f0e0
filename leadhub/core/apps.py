from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leadhub.core"
    label = "core"
    verbose_name = "LeadHub core"
