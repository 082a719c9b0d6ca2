from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader (``clusterwork load-demo``): the top of the house, it may use every app."""

    name = "clusterwork.demo"
    label = "demo"
    verbose_name = "Demo data"
