from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "leadhub.surveys"
    label = "surveys"
    verbose_name = "Surveys"
