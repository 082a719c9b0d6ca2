from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Tab


class CircumstancesConfig(ContributingApp):
    name = "clusterwork.circumstances"
    personal_data = [
        linked_rows(
            app="circumstances",
            label="Changes in circumstances and staff changes",
            models=("circumstances.Circumstance", "circumstances.StaffChange"),
            scrub={"circumstances.StaffChange": ("handover_notes",)},
        )
    ]
    verbose_name = "Changes in circumstances"
    tabs = {
        "cluster": [
            Tab("Changes and staff", "cluster_changes", order=60, also_current=("staff_change",))
        ]
    }
