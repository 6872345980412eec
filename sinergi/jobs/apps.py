from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "sinergi.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import notification_kinds, policy  # noqa: F401  (notification kinds and the job permission)

        # Each app registers its job kinds from its own `jobs.py` (e.g. sinergi/cases/jobs.py).
        autodiscover_modules("jobs")
