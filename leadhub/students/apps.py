from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "leadhub.students"
    label = "students"
    verbose_name = "Students"
