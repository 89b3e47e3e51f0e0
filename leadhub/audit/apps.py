from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "leadhub.audit"
    label = "audit"

    def ready(self) -> None:
        from leadhub.audit import signals  # noqa: F401  (connects the sign-in receivers)
