from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "leadhub.meetings"
    label = "meetings"
    verbose_name = "Meetings"
