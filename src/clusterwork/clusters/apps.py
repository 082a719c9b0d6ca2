from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusterwork.clusters"
    label = "clusters"
