from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "clusterwork.surveys"
    label = "surveys"
    verbose_name = "Self-assessment"
