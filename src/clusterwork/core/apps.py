from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clusterwork.core"
    label = "core"
    verbose_name = "Clusterwork core"
