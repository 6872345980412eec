from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    name = "sinergi.core.tests.plugin_app"
    label = "plugin_app"
    default_auto_field = "django.db.models.BigAutoField"
