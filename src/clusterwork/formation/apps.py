from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "clusterwork.formation"
    label = "formation"
    verbose_name = "Cluster formation"
