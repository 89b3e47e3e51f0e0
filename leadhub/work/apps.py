from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkConfig(AppConfig):
    name = "leadhub.work"
    label = "work"
    verbose_name = "My work"

    def ready(self) -> None:
        # Each app's work.py registers the sources of its people's work items.
        autodiscover_modules("work")
