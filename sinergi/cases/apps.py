from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sinergi.cases"
    label = "cases"

    def ready(self) -> None:
        from . import (
            dashboard,  # noqa: F401  (registers the home-dashboard widgets)
            notification_kinds,  # noqa: F401  (names and links of its notification groups)
        )
