from django.apps import AppConfig


class CircumstancesConfig(AppConfig):
    name = "clusterwork.circumstances"
    label = "circumstances"
    verbose_name = "Changes in circumstances"
