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
