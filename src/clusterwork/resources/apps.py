from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Section, Tab


class ResourcesConfig(ContributingApp):
    name = "clusterwork.resources"
    verbose_name = "Shared resources"
    tabs = {
        "cluster": [
            Tab(
                "Shared resources",
                "resources:cluster_resources",
                order=48,
                also_current=("resources:resource_new", "resources:resource_detail"),
            )
        ]
    }
    # Who added or archived an item (loans have their own entry in plugins.py).
    personal_data = [
        linked_rows(
            app="resources", label="Shared items added or archived", models=("resources.Resource",)
        )
    ]
    sections = {
        "impact_cluster": [
            Section(
                "resources/_impact_cluster.html",
                "clusterwork.resources.plugins.impact_cluster",
                order=48,
            )
        ]
    }

    def ready(self):
        super().ready()
        from . import plugins

        plugins.register()
