from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "clusterwork.dashboard"
    label = "dashboard"
    verbose_name = "Home page"

    def ready(self):
        from clusterwork.core import registry

        registry.add_link("main", registry.Link("Home", "home", order=0))
