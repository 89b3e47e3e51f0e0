from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "leadhub.health"
    label = "health"
    verbose_name = "Team health"

    def ready(self) -> None:
        from leadhub.health import signals

        signals.connect()
