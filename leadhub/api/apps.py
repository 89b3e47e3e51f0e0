from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "leadhub.api"
    label = "api"
