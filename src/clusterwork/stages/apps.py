from django.apps import AppConfig


class StagesConfig(AppConfig):
    name = "clusterwork.stages"
    label = "stages"
    verbose_name = "Programme stages"

    def ready(self):
        from clusterwork.core import registry

        registry.add_tab(
            "programme",
            registry.Tab(
                "Board (stages)",
                "programme_board",
                order=10,
                also_current=("programme_stages", "application_new", "application_detail"),
            ),
        )
        registry.add_tab("cluster", registry.Tab("Programme stage", "cluster_stage", order=50))
