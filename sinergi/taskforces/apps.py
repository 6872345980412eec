from django.apps import AppConfig


class TaskforcesConfig(AppConfig):
    name = "sinergi.taskforces"
    label = "taskforces"

    def ready(self) -> None:
        from . import notification_kinds  # noqa: F401  (names and links of its notification groups)
