from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "leadhub.imports"
    label = "imports"
    verbose_name = "Data imports"
