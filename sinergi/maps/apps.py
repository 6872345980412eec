from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "sinergi.maps"
    label = "maps"
