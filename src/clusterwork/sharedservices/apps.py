from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Section, Tab


class SharedServicesConfig(ContributingApp):
    name = "clusterwork.sharedservices"
    # Rows that point at a person or an account beyond those of the app's own
    # personal-data entries (tests/people/test_personal_data.py asks for them).
    personal_data = [
        linked_rows(
            app="sharedservices",
            label="Shared services agreed or changed and hours recorded",
            models=(
                "sharedservices.SharedService",
                "sharedservices.ServiceTerms",
                "sharedservices.HoursUsed",
            ),
        )
    ]
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
    # Who proposed, agreed, changed or recorded (accounts only); a person's deployments are
    # registered in contrib (their own export and erasure).
    personal_data = [
        linked_rows(
            app="sharedservices",
            label="Shared services proposed, agreed or recorded",
            models=(
                "sharedservices.SharedService",
                "sharedservices.ServiceTerms",
                "sharedservices.HoursUsed",
                "sharedservices.PupilCount",
            ),
        )
    ]
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
