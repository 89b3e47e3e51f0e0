from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "leadhub.lifecycle"
    label = "lifecycle"
