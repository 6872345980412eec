from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"

    def ready(self) -> None:
        # Every app's permission rules (sinergi/<app>/policy.py) register with the one policy, then its
        # plug-ins (sinergi/<app>/plugin.py: URLs, navigation, audit events, demo data; see core.plugins).
        autodiscover_modules("policy", "plugin")
