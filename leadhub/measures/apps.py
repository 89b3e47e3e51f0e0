from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "leadhub.measures"
    label = "measures"
    verbose_name = "Measures"
