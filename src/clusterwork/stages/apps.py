from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "clusterwork.stages"
    label = "stages"
    verbose_name = "Programme stages"
