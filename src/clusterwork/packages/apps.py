from clusterwork.core.personal_data import linked_rows
from clusterwork.core.registry import ContributingApp, Link, Section, Tab


class PackagesConfig(ContributingApp):
    name = "clusterwork.packages"
    # Rows that point at a person or an account beyond those of the app's own
    # personal-data entries (tests/people/test_personal_data.py asks for them).
    personal_data = [
        linked_rows(
            app="packages",
            label="Package items, versions agreed and memberships recorded",
            models=("packages.PackageItem", "packages.PackageVersion", "packages.SchoolMembership"),
        )
    ]
    verbose_name = "Support packages"
    tabs = {
        "cluster": [
            Tab(
                "Support package",
                "packages:cluster_packages",
                order=47,
                also_current=(
                    "packages:package_new",
                    "packages:package_detail",
                ),
            )
        ],
        "programme": [
            Tab(
                "Support packages",
                "packages:programme_packages",
                order=47,
                also_current=("packages:catalogue",),
            )
        ],
    }
    links = {"account": [Link("My caseload", "packages:caseload", order=47)]}
    sections = {
        "impact_cluster": [
            Section(
                "packages/_impact_cluster.html",
                "clusterwork.packages.plugins.impact_cluster",
                order=47,
            )
        ]
    }

    def ready(self):
        super().ready()
        from . import plugins

        plugins.register()
