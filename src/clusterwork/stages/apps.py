from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Tab


class StagesConfig(ContributingApp):
    name = "clusterwork.stages"
    personal_data = [
        linked_rows(
            app="stages",
            label="Checklist ticks and stage applications",
            models=("stages.ChecklistItem", "stages.ChecklistTick", "stages.Application"),
        )
    ]
    verbose_name = "Programme stages"
    tabs = {
        "programme": [
            Tab(
                "Board (stages)",
                "programme_board",
                order=10,
                also_current=("programme_stages", "application_new", "application_detail"),
            )
        ],
        "cluster": [Tab("Programme stage", "cluster_stage", order=50)],
    }
