from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "sinergi.publications"
    label = "publications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import authentication, policy  # noqa: F401  (permissions; the newsroom scheme for the schema)
