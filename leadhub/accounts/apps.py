from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leadhub.accounts"
    label = "accounts"
    verbose_name = "People"
