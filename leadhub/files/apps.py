from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "leadhub.files"
    label = "files"
