from clusterwork.core.registry import ContributingApp, Tab


class CircumstancesConfig(ContributingApp):
    name = "clusterwork.circumstances"
    verbose_name = "Changes in circumstances"
    tabs = {
        "cluster": [
            Tab("Changes and staff", "cluster_changes", order=60, also_current=("staff_change",))
        ]
    }
