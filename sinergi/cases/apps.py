from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sinergi.cases"
    label = "cases"
