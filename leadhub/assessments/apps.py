from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "leadhub.assessments"
    label = "assessments"
    verbose_name = "Assessment results"
