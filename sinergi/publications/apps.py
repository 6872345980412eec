from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "sinergi.publications"
    label = "publications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy  # noqa: F401  (the publications permissions)
