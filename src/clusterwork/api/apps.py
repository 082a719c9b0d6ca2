from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "clusterwork.api"
    label = "api"
