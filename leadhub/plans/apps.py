from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "leadhub.plans"
    label = "plans"
    verbose_name = "Improvement plans"
