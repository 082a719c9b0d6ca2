from clusterwork.core.registry import ContributingApp, Section, Tab


class SharedServicesConfig(ContributingApp):
    name = "clusterwork.sharedservices"
    label = "sharedservices"
    verbose_name = "Shared services and teacher deployment"
    tabs = {
        "cluster": [
            Tab(
                "Shared services",
                "sharedservices:cluster_services",
                order=70,
                also_current=(
                    "sharedservices:service_new",
                    "sharedservices:service_detail",
                    "sharedservices:service_terms",
                    "sharedservices:service_history",
                ),
            ),
            Tab(
                "Teacher deployment",
                "sharedservices:cluster_deployments",
                order=72,
                also_current=("sharedservices:deployment_new", "sharedservices:deployment_detail"),
            ),
        ],
        "programme": [
            Tab(
                "Shared services",
                "sharedservices:programme_services",
                order=70,
                also_current=("sharedservices:programme_service_new",),
            )
        ],
    }
    sections = {
        "impact_cluster": [
            Section(
                "sharedservices/section_impact_cluster.html",
                "clusterwork.sharedservices.contrib.impact_cluster_section",
                order=60,
            )
        ],
        "move_proposal": [
            Section(
                "sharedservices/section_move_proposal.html",
                "clusterwork.sharedservices.contrib.move_proposal_section",
                order=60,
            )
        ],
    }

    def ready(self):
        super().ready()
        from . import contrib

        contrib.register()
