from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sinergi.documents"
    label = "documents"
