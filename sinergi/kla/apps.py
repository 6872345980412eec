from django.apps import AppConfig


class KlaConfig(AppConfig):
    name = "sinergi.kla"
    label = "kla"

    def ready(self) -> None:
        from . import notification_kinds  # noqa: F401  (names and links of its notification groups)
