from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "clusterwork.goals"
    label = "goals"
    verbose_name = "Vision, goals, projects and achievements"
