from django.apps import AppConfig


class CircumstancesConfig(AppConfig):
    name = "clusterwork.circumstances"
    label = "circumstances"
    verbose_name = "Changes in circumstances"

    def ready(self):
        from clusterwork.core import registry

        registry.add_tab(
            "cluster",
            registry.Tab(
                "Changes and staff", "cluster_changes", order=60, also_current=("staff_change",)
            ),
        )
