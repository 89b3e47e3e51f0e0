from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "leadhub.demo"
    label = "demo"
    verbose_name = "Demo state"
