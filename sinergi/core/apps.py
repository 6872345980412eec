import importlib
import importlib.util

from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"

    def ready(self) -> None:
        # Register every app's permission rules (sinergi/<app>/policy.py) with the one policy.
        for config in apps.get_app_configs():
            if config.name.startswith("sinergi."):
                module = f"{config.name}.policy"
                if importlib.util.find_spec(module) is not None:
                    importlib.import_module(module)
