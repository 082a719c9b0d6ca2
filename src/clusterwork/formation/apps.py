from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Tab

FORM_CLUSTERS = "formation.form_clusters"


class FormationConfig(ContributingApp):
    name = "clusterwork.formation"
    personal_data = [
        linked_rows(
            app="formation",
            label="Formation runs started or decided",
            models=("formation.FormationRun",),
        )
    ]
    verbose_name = "Cluster formation"
    tabs = {
        "programme": [
            Tab(
                "Formation runs",
                "formation:run_list",
                order=50,
                permission=FORM_CLUSTERS,
                also_current=("formation:run_new", "formation:run_detail"),
            ),
            Tab("What if…", "formation:whatif", order=55, permission=FORM_CLUSTERS),
        ]
    }
