from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "clusterwork.formation"
    label = "formation"
    verbose_name = "Cluster formation"

    def ready(self):
        from clusterwork.core import registry

        registry.add_tab(
            "programme",
            registry.Tab(
                "Formation runs",
                "formation:run_list",
                order=50,
                permission="formation.form_clusters",
                also_current=("formation:run_new", "formation:run_detail"),
            ),
        )
        registry.add_tab(
            "programme",
            registry.Tab(
                "What if…", "formation:whatif", order=55, permission="formation.form_clusters"
            ),
        )
