from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "sinergi.tenants"
    label = "tenants"
