from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictional demo data for `make demo` (`manage.py demo_keys`, `demo_seed`, `demo_logins`).

    The top of the layering: it may import every app; nothing imports it.
    """

    name = "sinergi.demo"
    label = "demo"
