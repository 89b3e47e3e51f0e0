from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "leadhub.strategy"
    label = "strategy"
    verbose_name = "Strategic plans"
