from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "clusterwork.schools"
    label = "schools"
